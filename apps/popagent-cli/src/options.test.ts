import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { DEFAULT_DATA_DIR } from './command.js';
import { parseAblationOptions } from './options.js';
import type { RawAblationFlags } from './options.js';

const defaults: RawAblationFlags = {
  condition: 'all',
  symbols: 'BTC,ETH,SOL,XRP,DOGE',
  start: '2022-01-01',
  end: '2024-12-01',
  timeframe: '4h',
  population: '10',
  seed: '42',
  dataDir: DEFAULT_DATA_DIR,
  out: 'out/ablation',
  progress: true,
};

/** Parses `defaults` with `overrides` and returns the ConfigError it throws. */
function configError(overrides: Partial<RawAblationFlags>): ConfigError {
  try {
    parseAblationOptions({ ...defaults, ...overrides }, {}, true);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(overrides)}`);
}

describe('parseAblationOptions', () => {
  it('accepts the defaults: all → A and C, five USDT pairs, UTC midnight dates', () => {
    const options = parseAblationOptions(defaults, {}, false);
    expect(options.conditions).toEqual(['A', 'C']);
    expect(options.skippedConditions).toEqual(['B', 'D']);
    expect(options.symbols).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'DOGE/USDT']);
    expect(options.start).toBe(Date.UTC(2022, 0, 1));
    expect(options.end).toBe(Date.UTC(2024, 11, 1));
    expect(options.timeframe).toBe('4h');
    expect(options.population).toBe(10);
    expect(options.seed).toBe(42);
    expect(options.config).toEqual({ population: 10 });
  });

  it('accepts other spellings of a symbol and lower-case input', () => {
    expect(parseAblationOptions({ ...defaults, symbols: 'eth, BTC/USDT,solusdt' }, {}, true).symbols).toEqual(['ETH/USDT', 'BTC/USDT', 'SOL/USDT']);
  });

  it.each([
    ['0', '--population'],
    ['-3', '--population'],
    ['2.5', '--population'],
    ['ten', '--population'],
    ['1001', '--population'],
  ])('rejects --population %s', (population, flag) => {
    const error = configError({ population });
    expect(error.parameter).toBe(flag);
    expect(error.value).toBe(population);
    expect(error.message).toContain('--population');
    expect(error.message).toContain(JSON.stringify(population));
    expect(error.message).toContain('integer from 1 to 1000');
  });

  it.each(['2h', '1m', '4H', ''])('rejects --timeframe %j', (timeframe) => {
    const error = configError({ timeframe });
    expect(error.parameter).toBe('--timeframe');
    expect(error.message).toBe(`Invalid --timeframe: got ${JSON.stringify(timeframe)}, expected one of 1h, 4h, 1d`);
  });

  it('rejects --start after --end, naming --end and both dates', () => {
    const error = configError({ start: '2024-06-01', end: '2024-01-01' });
    expect(error.parameter).toBe('--end');
    expect(error.message).toContain('"2024-01-01"');
    expect(error.message).toContain('2024-06-01');
  });

  it('rejects a date that does not exist or is not YYYY-MM-DD', () => {
    expect(configError({ start: '2023-02-30' }).parameter).toBe('--start');
    expect(configError({ end: '01/02/2024' }).parameter).toBe('--end');
  });

  it('rejects an unknown symbol, naming it and the symbols available', () => {
    const error = configError({ symbols: 'BTC,FOO' });
    expect(error.parameter).toBe('--symbols');
    expect(error.value).toBe('FOO');
    expect(error.message).toContain('"FOO"');
    expect(error.expected).toContain('BTC, DOGE, ETH, SOL, XRP');
  });

  it('rejects a pair with another quote, an empty entry and a repeated symbol', () => {
    expect(configError({ symbols: 'BTC/EUR' }).value).toBe('BTC/EUR');
    expect(configError({ symbols: 'BTC,,ETH' }).parameter).toBe('--symbols');
    expect(configError({ symbols: 'BTC,btc' }).expected).toBe('each symbol once');
  });

  it('rejects conditions B and D alone because they need an LLM endpoint', () => {
    for (const condition of ['B', 'D']) {
      const error = configError({ condition });
      expect(error.parameter).toBe('--condition');
      expect(error.message).toContain('LLM endpoint');
    }
    expect(configError({ condition: 'E' }).expected).toBe('one of A, B, C, D, all');
  });

  it('rejects a bad --seed and a missing --data-dir', () => {
    expect(configError({ seed: '-1' }).parameter).toBe('--seed');
    expect(configError({ seed: '4294967296' }).parameter).toBe('--seed');
    const error = configError({ dataDir: '/definitely/not/here' });
    expect(error.parameter).toBe('--data-dir');
    expect(error.value).toBe('/definitely/not/here');
  });

  it('lets an explicit --population override the config file, and the file override the default', () => {
    expect(parseAblationOptions(defaults, { population: 4, transferRate: 0.2 }, false).config).toEqual({ population: 4, transferRate: 0.2 });
    expect(parseAblationOptions(defaults, { population: 4 }, true).population).toBe(10);
    expect(parseAblationOptions(defaults, { population: 4 }, false).population).toBe(4);
  });

  it.each(['0', '-1', '1.5', 'two', '', '2e3'])('rejects --threads %j, naming the flag and the value', (threads) => {
    const error = configError({ threads });
    expect(error.parameter).toBe('--threads');
    expect(error.value).toBe(threads);
    expect(error.message).toBe(`Invalid --threads: got ${JSON.stringify(threads)}, expected an integer ≥ 1 (threads for the runs; 1 runs them in-process)`);
  });

  it('takes --threads as given up to the number of runs (conditions × symbols), and the cores by default', () => {
    // Defaults: conditions A and C × five symbols = 10 runs.
    expect(parseAblationOptions({ ...defaults, threads: '1' }, {}, false).threads).toBe(1);
    expect(parseAblationOptions({ ...defaults, threads: ' 3 ' }, {}, false).threads).toBe(3);
    expect(parseAblationOptions({ ...defaults, threads: '64' }, {}, false).threads).toBe(10);
    expect(parseAblationOptions({ ...defaults, threads: '4', condition: 'A', symbols: 'ETH' }, {}, false).threads).toBe(1);
    expect(parseAblationOptions({ ...defaults, threads: '4', symbols: 'ETH' }, {}, false).threads).toBe(2);
    expect(parseAblationOptions(defaults, {}, false).threads).toBe(Math.min(availableParallelism(), 10));
  });

  describe('LLM flags (conditions B and D)', () => {
    const endpoint = { llmBaseUrl: 'http://127.0.0.1:11434/v1', llmModel: 'llama3.1:8b' };

    it('--condition all with an endpoint runs A, B, C and D, caching in <out>/llm-cache.sqlite, asking every 6th decision', () => {
      const options = parseAblationOptions({ ...defaults, ...endpoint, threads: '64' }, {}, false);
      expect(options.conditions).toEqual(['A', 'B', 'C', 'D']);
      expect(options.skippedConditions).toEqual([]);
      expect(options.llm).toEqual({ model: 'llama3.1:8b', baseURL: 'http://127.0.0.1:11434/v1', cache: resolve('out/ablation/llm-cache.sqlite'), every: 6 });
      expect(options.threads).toBe(10); // A and C × 5 symbols: B and D run in-process
    });

    it('replays offline from an existing --llm-cache, and takes the limits, key variable and cadence', () => {
      const cache = join(mkdtempSync(join(tmpdir(), 'popagent-opt-')), 'cache.sqlite');
      writeFileSync(cache, '');
      const raw = { ...defaults, condition: 'D', llmModel: 'gpt-4o-mini', llmCache: cache, llmApiKeyEnv: 'MY_KEY', llmBudgetUsd: '2.5', llmMaxTokens: '100000', llmEvery: '3' };
      const options = parseAblationOptions(raw, {}, false);
      expect(options.conditions).toEqual(['D']);
      expect(options.threads).toBe(1);
      expect(options.llm).toEqual({ model: 'gpt-4o-mini', cache, apiKeyEnv: 'MY_KEY', budgetUsd: 2.5, maxTokens: 100_000, every: 3 });
    });

    it('leaves the LLM out when only A or C runs', () => {
      expect(parseAblationOptions({ ...defaults, ...endpoint, condition: 'A' }, {}, false).llm).toBeUndefined();
    });

    it.each([
      [{ llmModel: undefined }, '--llm-model', '(not set)'],
      [{ llmModel: '  ' }, '--llm-model', '  '],
      [{ llmBaseUrl: 'localhost:11434' }, '--llm-base-url', 'localhost:11434'],
      [{ llmBaseUrl: 'ftp://host/v1' }, '--llm-base-url', 'ftp://host/v1'],
      [{ llmApiKeyEnv: 'MY-KEY' }, '--llm-api-key-env', 'MY-KEY'],
      [{ llmBudgetUsd: '0' }, '--llm-budget-usd', '0'],
      [{ llmBudgetUsd: '$5' }, '--llm-budget-usd', '$5'],
      [{ llmMaxTokens: '1.5' }, '--llm-max-tokens', '1.5'],
      [{ llmEvery: '0' }, '--llm-every', '0'],
      [{ llmEvery: 'daily' }, '--llm-every', 'daily'],
      [{ llmBaseUrl: undefined, llmCache: '/no/such/cache.sqlite' }, '--llm-cache', '/no/such/cache.sqlite'],
    ])('rejects %j naming %s and the value', (overrides, flag, value) => {
      const error = configError({ condition: 'B', ...endpoint, ...overrides });
      expect(error.parameter).toBe(flag);
      expect(error.value).toBe(value);
    });
  });
});
