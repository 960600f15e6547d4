import { describe, expect, it } from 'vitest';
import { DataError } from '@trading-ml/core';
import { cryptoBarsFromCsv, stockBarsFromCsv } from './bar-rows.js';

const HEADER = 'timestamp,open,high,low,close,volume';
const GOOD = '2024-01-01T00:00:00Z,100,110,90,105,3';

/** The DataError that reading `rows` (after the header and one good row) throws. */
function cryptoError(row: string): DataError {
  try {
    cryptoBarsFromCsv([HEADER, GOOD, row].join('\n'), 'f.csv', '1h');
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('cryptoBarsFromCsv: strict conversion of every field', () => {
  it('reads numbers exactly as written and builds openTime/closeTime (1h = 3,600,000 ms)', () => {
    const bars = cryptoBarsFromCsv(`${HEADER}\n2021-06-01T00:00:00Z,37253.82,37894.81,37100,37798.31,5234.072735\n`, 'f.csv', '1h');
    expect(bars).toEqual([
      { openTime: Date.UTC(2021, 5, 1), closeTime: Date.UTC(2021, 5, 1, 1), open: 37253.82, high: 37894.81, low: 37100, close: 37798.31, volume: 5234.072735 },
    ]);
  });

  it.each([
    ['empty', '2024-01-01T01:00:00Z,,110,90,105,3', 'open', '', 'price written as a decimal number'],
    ['whitespace only', '2024-01-01T01:00:00Z,100,  ,90,105,3', 'high', '  ', 'price written as a decimal number'],
    ['leading space', '2024-01-01T01:00:00Z,100,110, 90,105,3', 'low', ' 90', 'price written as a decimal number'],
    ['trailing junk', '2024-01-01T01:00:00Z,100,110,90,1.2abc,3', 'close', '1.2abc', 'price written as a decimal number'],
    ['NaN', '2024-01-01T01:00:00Z,NaN,110,90,105,3', 'open', 'NaN', 'price written as a decimal number'],
    ['Infinity', '2024-01-01T01:00:00Z,100,Infinity,90,105,3', 'high', 'Infinity', 'price written as a decimal number'],
    ['hexadecimal', '2024-01-01T01:00:00Z,100,110,90,105,0x10', 'volume', '0x10', 'volume written as a decimal number'],
    ['overflow', '2024-01-01T01:00:00Z,100,110,90,105,1e999', 'volume', '1e999', 'a finite volume'],
    ['zero price', '2024-01-01T01:00:00Z,100,110,0,105,3', 'low', '0', 'a price > 0'],
    ['negative volume', '2024-01-01T01:00:00Z,100,110,90,105,-0.5', 'volume', '-0.5', 'a volume ≥ 0'],
    ['no offset', '2024-01-01T01:00:00,100,110,90,105,3', 'timestamp', '2024-01-01T01:00:00', "an ISO-8601 UTC timestamp such as '2021-06-01T00:00:00Z'"],
    ['not a real day', '2024-02-30T00:00:00Z,100,110,90,105,3', 'timestamp', '2024-02-30T00:00:00Z', 'a valid calendar timestamp'],
    ['high below open', '2024-01-01T01:00:00Z,100,99,90,95,3', 'high', '99', 'high ≥ max(open, close) = 100'],
  ])('%s → DataError at line 3 naming column, value as written and expectation', (_name, row, column, value, expected) => {
    const error = cryptoError(row);
    expect(error.code).toBe('DATA_INVALID');
    expect(error.location).toEqual({ file: 'f.csv', line: 3, column });
    expect(error.value).toBe(value);
    expect(error.expected).toBe(expected);
    expect(error.message).toBe(`f.csv, line 3, ${column}: got ${JSON.stringify(value)}, expected ${expected}`);
  });

  it('accepts other decimal spellings and offsets: +1, .5, 5., 1e2, +01:00', () => {
    const bars = cryptoBarsFromCsv(`${HEADER}\n2024-01-01T01:00+01:00,+1,1e2,.5,5.,0\n`, 'f.csv', '1h');
    expect(bars[0]).toMatchObject({ openTime: Date.UTC(2024, 0, 1), open: 1, high: 100, low: 0.5, close: 5, volume: 0 });
  });
});

describe('stockBarsFromCsv', () => {
  it('converts prices strictly too and keeps the date checks', () => {
    const text = (row: string) => `date,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n${row}\n`;
    expect(() => stockBarsFromCsv(text('2024-01-03,1,2,0.5,1.5 ,10'), 'TSLA_1d.csv')).toThrow(
      /TSLA_1d\.csv, line 3, close: got "1\.5 ", expected price written as a decimal number/,
    );
    expect(() => stockBarsFromCsv(text('2023-02-29,1,2,0.5,1.5,10'), 'TSLA_1d.csv')).toThrow(/line 3, date: got "2023-02-29", expected a valid calendar date/);
    // 2024-01-03 is winter: 09:30 EST = 14:30 UTC, 16:00 EST = 21:00 UTC
    expect(stockBarsFromCsv(text('2024-01-03,1,2,0.5,1.5,10'), 'TSLA_1d.csv')[1]).toEqual({
      openTime: Date.UTC(2024, 0, 3, 14, 30),
      closeTime: Date.UTC(2024, 0, 3, 21),
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    });
  });
});
