import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';
import { decimalText, envNameText, httpUrlText, integerText, optionalFlag, parseDataDir, parseFlag, parseSymbolList, parseUtcDate } from './flag-parsers.js';

const directory = mkdtempSync(join(tmpdir(), 'flag-parsers-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The ConfigError `run` throws. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseFlag and the text schemas', () => {
  it('parses digits and decimals with surrounding spaces, and nothing else', () => {
    expect(parseFlag(integerText, '--seed', ' 42 ', 'an integer')).toBe(42);
    expect(parseFlag(decimalText, '--initial-cash', '2.50', 'an amount')).toBe(2.5);
    for (const bad of ['-1', '1e3', '0x10', '4.', '', '1 2']) expect(integerText.safeParse(bad).success).toBe(false);
    for (const bad of ['-1', '.5', '5.', '1e3', 'abc']) expect(decimalText.safeParse(bad).success).toBe(false);
    expect(parseFlag(httpUrlText, '--llm-base-url', 'http://127.0.0.1:11434/v1', 'a URL')).toBe('http://127.0.0.1:11434/v1');
    expect(httpUrlText.safeParse('ftp://host/x').success).toBe(false);
    expect(envNameText.safeParse('OPENAI_API_KEY').success).toBe(true);
    expect(envNameText.safeParse('1KEY').success).toBe(false);
  });

  it('a value the schema rejects is a ConfigError naming the flag, the value as given and what was expected', () => {
    const error = configError(() => parseFlag(integerText.pipe(z.number().int().max(100)), '--warmup-bars', '101', 'an integer from 0 to 100'));
    expect(error).toMatchObject({ parameter: '--warmup-bars', value: '101', expected: 'an integer from 0 to 100' });
    expect(error.message).toBe('Invalid --warmup-bars: got "101", expected an integer from 0 to 100');
  });

  it('optionalFlag parses only a given flag', () => {
    let calls = 0;
    const parse = (text: string) => {
      calls++;
      return parseFlag(integerText, '--max-iterations', text, 'an integer');
    };
    expect(optionalFlag(undefined, parse)).toBeUndefined();
    expect(calls).toBe(0);
    expect(optionalFlag('3', parse)).toBe(3);
    expect(() => optionalFlag('x', parse)).toThrow('Invalid --max-iterations: got "x", expected an integer');
  });
});

describe('parseUtcDate', () => {
  it('returns 00:00 UTC of the date', () => {
    expect(parseUtcDate('--start', '2024-02-29', 'a date')).toBe(Date.UTC(2024, 1, 29));
    expect(parseUtcDate('--start', ' 2022-01-01 ', 'a date')).toBe(1_640_995_200_000); // 52 years · 365 d + 13 leap days, · 86 400 000
  });

  it('says `expected` for a malformed date and `expectedExisting` for one that does not exist', () => {
    expect(configError(() => parseUtcDate('--end', '01/02/2024', 'format', 'exists'))).toMatchObject({ parameter: '--end', value: '01/02/2024', expected: 'format' });
    expect(configError(() => parseUtcDate('--end', '2024-1-2', 'format', 'exists')).expected).toBe('format');
    expect(configError(() => parseUtcDate('--end', '2023-02-29', 'format', 'exists'))).toMatchObject({ value: '2023-02-29', expected: 'exists' });
    expect(configError(() => parseUtcDate('--final-end', '2023-02-30', 'one message')).expected).toBe('one message');
  });
});

describe('parseSymbolList', () => {
  const usdt = (_base: string, quote: string) => quote === 'USDT';

  it('resolves every spelling to the unified symbol, in the order given', () => {
    expect(parseSymbolList('eth, BTC/USDT,solusdt', 'pairs', usdt)).toEqual(['ETH/USDT', 'BTC/USDT', 'SOL/USDT']);
  });

  it('names the whole list for an empty part, the part when it is not accepted, and rejects repeats', () => {
    expect(configError(() => parseSymbolList('BTC,,ETH', 'pairs', usdt))).toMatchObject({ parameter: '--symbols', value: 'BTC,,ETH', expected: 'pairs' });
    expect(configError(() => parseSymbolList('BTC,BTC/EUR', 'pairs', usdt))).toMatchObject({ parameter: '--symbols', value: 'BTC/EUR', expected: 'pairs' });
    expect(configError(() => parseSymbolList('BTC,ETH', 'pairs', (base) => base === 'BTC')).value).toBe('ETH');
    expect(configError(() => parseSymbolList('BTC,btcusdt', 'pairs', usdt))).toMatchObject({ value: 'btcusdt', expected: 'each symbol once' });
  });
});

describe('parseDataDir', () => {
  it('returns the absolute path of an existing folder, and rejects a missing path or a file', () => {
    expect(parseDataDir(directory)).toBe(resolve(directory));
    const file = join(directory, 'a-file');
    writeFileSync(file, 'x');
    for (const bad of [file, join(directory, 'missing')]) {
      expect(configError(() => parseDataDir(bad))).toMatchObject({ parameter: '--data-dir', value: bad, expected: 'an existing folder holding crypto/ and news/' });
    }
  });
});
