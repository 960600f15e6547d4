import { describe, expect, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@trading-ml/core';
import { parseCsv, readCsvText, resolveCsvPath } from './csv-source.js';
import { tempDir, writeText } from './testing/fixtures.js';

describe('resolveCsvPath', () => {
  it('prefers the plain file, falls back to .gz', () => {
    const dir = tempDir();
    writeText(dir, 'a.csv.gz', 'x\n');
    expect(resolveCsvPath(join(dir, 'a.csv'))).toBe(join(dir, 'a.csv.gz'));
    writeText(dir, 'a.csv', 'x\n');
    expect(resolveCsvPath(join(dir, 'a.csv'))).toBe(join(dir, 'a.csv'));
  });

  it('missing file: DATA_MISSING listing the files that exist', () => {
    const dir = tempDir();
    writeText(dir, 'ETHUSDT_1h.csv.gz', 'x\n');
    writeText(dir, 'BTCUSDT_4h.csv', 'x\n');
    try {
      resolveCsvPath(join(dir, 'BTCUSDT_1h.csv'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).code).toBe('DATA_MISSING');
      expect((error as DataError).message).toContain('BTCUSDT_4h.csv, ETHUSDT_1h.csv.gz');
      expect((error as DataError).location.file).toBe(join(dir, 'BTCUSDT_1h.csv'));
    }
  });
});

describe('readCsvText', () => {
  it('reads a gzip file made of several concatenated members as one text', () => {
    const dir = tempDir();
    const path = writeText(dir, 'x.csv.gz', 'a,b\n1,2\n');
    appendFileSync(path, gzipSync('3,4\n'));
    expect(readCsvText(path)).toBe('a,b\n1,2\n3,4\n');
  });
});

describe('parseCsv', () => {
  it('returns records with 1-based line numbers (header = line 1)', () => {
    const records = parseCsv('a,b\n1,2\n3,4\n', 'f.csv', ['a', 'b']);
    expect(records).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('rejects a wrong header at line 1', () => {
    expect(() => parseCsv('a,c\n1,2\n', 'f.csv', ['a', 'b'])).toThrow(/f\.csv, line 1, header: got "a,c", expected the header a,b/);
  });

  it('rejects a row with the wrong field count, naming the line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'f.csv', ['a', 'b'])).toThrow(/f\.csv, line 3/);
  });

  it('rejects broken quoting as DataError', () => {
    expect(() => parseCsv('a,b\n1,"2\n', 'f.csv', ['a', 'b'])).toThrow(DataError);
  });
});
