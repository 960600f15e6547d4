import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@trading-ml/core';
import { forEachCsvRecord, parseCsv, readCsvText, resolveCsvPath } from './csv-source.js';
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

/** The DataError `f` throws (fails the test when it throws nothing or something else). */
function dataError(f: () => unknown): DataError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

describe('parseCsv: quoting, line numbers, byte-order mark (RFC 4180 §2)', () => {
  it('quoted fields keep commas, doubled quotes and line breaks; a record is numbered by the line it ends on', () => {
    // line 1 header; lines 2–4 one record whose second field spans three lines; line 5 empty; line 6 a record
    const text = 'a,b\n1,"x, ""y""\nsecond\nthird"\n\n2,z\n';
    expect(parseCsv(text, 'f.csv', ['a', 'b'])).toEqual([
      { line: 4, fields: ['1', 'x, "y"\nsecond\nthird'] },
      { line: 6, fields: ['2', 'z'] },
    ]);
  });

  it('CRLF files: a CRLF inside quotes is one line break, not two', () => {
    const text = 'a,b\r\n1,"x\r\ny"\r\n2,z\r\n';
    expect(parseCsv(text, 'f.csv', ['a', 'b'])).toEqual([
      { line: 3, fields: ['1', 'x\r\ny'] },
      { line: 4, fields: ['2', 'z'] },
    ]);
  });

  it('skips a leading byte-order mark and empty lines (which still count as lines), and reads a last line without break', () => {
    expect(parseCsv('\uFEFFa,b\n\n1,2\n\n\n3,4', 'f.csv', ['a', 'b'])).toEqual([
      { line: 3, fields: ['1', '2'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('a wrong field count after a multi-line record names the right line and column', () => {
    const error = dataError(() => parseCsv('a,b\n1,"x\ny"\n2,3,4\n', 'f.csv', ['a', 'b']));
    expect(error.location).toEqual({ file: 'f.csv', line: 4, column: 'b' });
    expect(error.value).toBe('2,3,4');
  });

  it('a line holding only "" is a record with one empty field, not an empty line', () => {
    expect(parseCsv('a\n""\n\n1\n', 'f.csv', ['a'])).toEqual([
      { line: 2, fields: [''] },
      { line: 4, fields: ['1'] },
    ]);
    expect(dataError(() => parseCsv('a,b\n""\n', 'f.csv', ['a', 'b'])).location).toEqual({ file: 'f.csv', line: 2, column: 'b' });
  });

  it('empty text has no header: DataError at line 1', () => {
    expect(dataError(() => parseCsv('', 'f.csv', ['a', 'b'])).location).toEqual({ file: 'f.csv', line: 1, column: 'header' });
  });

  it('an unterminated quote is reported at the line where the quote opens', () => {
    const error = dataError(() => parseCsv('a,b\n1,2\n3,"x\n4,5\n6,7\n', 'f.csv', ['a', 'b']));
    expect(error.code).toBe('DATA_INVALID');
    expect(error.location).toEqual({ file: 'f.csv', line: 3 });
    expect(error.message).toMatch(/f\.csv, line 3: got "3,\\"x\\n4,5.*expected well-formed CSV: a closing quote/);
  });

  it.each([
    ['a quote inside an unquoted field', 3, 'a,b\n1,2\n3,ab"c\n'],
    ['text after a closing quote', 2, 'a,b\n1,"ab" x\n'],
    ['text after a closing quote, then more fields', 2, 'a,b\n1,"ab"x,3\n'],
  ])('%s is malformed CSV (DataError at line %i)', (_name, line, text) => {
    const error = dataError(() => parseCsv(text, 'f.csv', ['a', 'b']));
    expect(error.location.line).toBe(line);
    expect(error.expected).toMatch(/^well-formed CSV/);
  });

  it('forEachCsvRecord lets an error thrown by the visitor through unchanged and stops there', () => {
    const seen: number[] = [];
    const stop = new Error('stop');
    expect(() =>
      forEachCsvRecord('a\n1\n2\n3\n', 'f.csv', ['a'], (record) => {
        seen.push(record.line);
        if (record.line === 3) throw stop;
      }),
    ).toThrow(stop);
    expect(seen).toEqual([2, 3]);
  });

  it('property: any fields (commas, quotes, line breaks) written per RFC 4180 read back with the line each record ends on', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\n', 'é'), maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(field, field, field, fc.nat({ max: 2 })), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (rows, lineBreak, bom) => {
          const quote = (value: string): string => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
          const records = rows.map(([x, y, z, blankLinesBefore]) => ({ fields: [x, y, z].map((v) => v.replaceAll('\n', lineBreak)), blankLinesBefore }));
          let text = `${bom ? '\uFEFF' : ''}x,y,z${lineBreak}`;
          const expected: { line: number; fields: string[] }[] = [];
          for (const { fields, blankLinesBefore } of records) {
            text += lineBreak.repeat(blankLinesBefore) + fields.map(quote).join(',');
            // independent count: the record ends on the line numbered by how many line breaks precede its end, plus one
            expected.push({ line: text.split(lineBreak).length, fields });
            text += lineBreak;
          }
          expect(parseCsv(text, 'f.csv', ['x', 'y', 'z'])).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
