import { z } from 'zod';
import { DataError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { forEachCsvRecord } from './csv-source.js';
import type { CsvRecord } from './csv-source.js';
import { parseDecimal, parseIsoTimestamp } from './field-converters.js';
import { newYorkToUtc } from './new-york-time.js';

/** Column layout of a crypto bar file: timestamp = candle open time, UTC ISO-8601. */
export const CRYPTO_HEADER = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
/** Column layout of a stock bar file: date = US trading day. */
export const STOCK_HEADER = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;

const TIMESTAMP_FORMAT = "an ISO-8601 UTC timestamp such as '2021-06-01T00:00:00Z'";

/**
 * A number converted by {@link parseDecimal}: `undefined` means the text was not a decimal literal, ±Infinity that
 * it overflowed (zod 4's `z.number()` rejects undefined, NaN and ±Infinity alike; the message tells them apart).
 */
const converted = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `${what} written as a decimal number` : `a finite ${what}`) });

const price = converted('price').positive('a price > 0');
const volume = converted('volume').nonnegative('a volume ≥ 0');

/** UTC ms from {@link parseIsoTimestamp}: undefined = wrong shape, NaN = not a real instant. */
const openTime = z
  .number({ error: (issue) => (issue.input === undefined ? TIMESTAMP_FORMAT : 'a valid calendar timestamp') })
  .int('a whole number of milliseconds');

const tradingDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date written 'YYYY-MM-DD'")
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a valid calendar date');

/** Checks the OHLC envelope on a parsed row; issue paths point at the offending column index. */
function checkEnvelope(row: readonly [unknown, number, number, number, number, number], ctx: z.RefinementCtx): void {
  const [, open, high, low, close] = row;
  if (low > Math.min(open, close)) {
    ctx.addIssue({ code: 'custom', path: [3], message: `low ≤ min(open, close) = ${Math.min(open, close)}` });
  }
  if (high < Math.max(open, close)) {
    ctx.addIssue({ code: 'custom', path: [2], message: `high ≥ max(open, close) = ${Math.max(open, close)}` });
  }
}

const cryptoRow = z.tuple([openTime, price, price, price, price, volume]).superRefine(checkEnvelope);
const stockRow = z.tuple([tradingDate, price, price, price, price, volume]).superRefine(checkEnvelope);

/** Converts the five numeric columns (open … volume) of a record; the first column is converted by the caller. */
function withNumbers<T>(first: T, fields: readonly string[]): [T, ...(number | undefined)[]] {
  return [first, parseDecimal(fields[1] ?? ''), parseDecimal(fields[2] ?? ''), parseDecimal(fields[3] ?? ''), parseDecimal(fields[4] ?? ''), parseDecimal(fields[5] ?? '')];
}

/** Turns the first zod issue of a row into a DataError pointing at file, line and column. */
function rowError(error: z.ZodError, record: CsvRecord, file: string, header: readonly string[]): DataError {
  const issue = error.issues[0];
  const index = typeof issue?.path[0] === 'number' ? issue.path[0] : 0;
  return new DataError({
    location: { file, line: record.line, column: header[index] },
    value: record.fields[index],
    expected: issue?.message ?? 'a valid row',
  });
}

/** Rejects equal (DATA_DUPLICATE) or decreasing (DATA_ORDER) times. */
function checkOrder(previous: number | undefined, current: number, record: CsvRecord, file: string, column: string): void {
  if (previous === undefined || current > previous) return;
  throw new DataError({
    code: current === previous ? 'DATA_DUPLICATE' : 'DATA_ORDER',
    location: { file, line: record.line, column },
    value: record.fields[0],
    expected: `a time strictly after the previous row's ${new Date(previous).toISOString()}`,
  });
}

/**
 * Parses a crypto bar file and validates every row; bars: openTime = timestamp, closeTime = openTime + timeframe.
 * @param text - The file's text (header `timestamp,open,high,low,close,volume`).
 * @param file - Path used in error locations.
 * @param timeframe - Bar duration; every timestamp must sit on its UTC grid.
 * @returns The bars in file order.
 * @throws DataError on the first bad row (file, 1-based line, column, value as written, expectation).
 */
export function cryptoBarsFromCsv(text: string, file: string, timeframe: Timeframe): Bar[] {
  const duration = TIMEFRAME_MS[timeframe];
  const bars: Bar[] = [];
  let previous: number | undefined;
  forEachCsvRecord(text, file, CRYPTO_HEADER, (record) => {
    const result = cryptoRow.safeParse(withNumbers(parseIsoTimestamp(record.fields[0] ?? ''), record.fields));
    if (!result.success) throw rowError(result.error, record, file, CRYPTO_HEADER);
    const [openTime, open, high, low, close, vol] = result.data;
    if (openTime % duration !== 0) {
      throw new DataError({
        location: { file, line: record.line, column: 'timestamp' },
        value: record.fields[0],
        expected: `a candle open time aligned to the ${timeframe} grid (a multiple of ${duration} ms since the epoch)`,
      });
    }
    checkOrder(previous, openTime, record, file, 'timestamp');
    previous = openTime;
    bars.push({ openTime, closeTime: openTime + duration, open, high, low, close, volume: vol });
  });
  return bars;
}

/**
 * Parses a stock bar file and validates every row; bars span the US regular session: openTime = 09:30 and
 * closeTime = 16:00 America/New_York on the trading day, converted to UTC (DST-aware).
 * @param text - The file's text (header `date,open,high,low,close,volume`).
 * @param file - Path used in error locations.
 * @returns The bars in file order.
 * @throws DataError on the first bad row.
 */
export function stockBarsFromCsv(text: string, file: string): Bar[] {
  const bars: Bar[] = [];
  let previous: number | undefined;
  forEachCsvRecord(text, file, STOCK_HEADER, (record) => {
    const result = stockRow.safeParse(withNumbers(record.fields[0], record.fields));
    if (!result.success) throw rowError(result.error, record, file, STOCK_HEADER);
    const [date, open, high, low, close, vol] = result.data;
    const openTime = newYorkToUtc(date, 9, 30);
    checkOrder(previous, openTime, record, file, 'date');
    previous = openTime;
    bars.push({ openTime, closeTime: newYorkToUtc(date, 16, 0), open, high, low, close, volume: vol });
  });
  return bars;
}
