import { z } from 'zod';
import { DataError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import type { CsvRecord } from './csv-source.js';
import { newYorkToUtc } from './new-york-time.js';

/** Column layout of a crypto bar file: timestamp = candle open time, UTC ISO-8601. */
export const CRYPTO_HEADER = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
/** Column layout of a stock bar file: date = US trading day. */
export const STOCK_HEADER = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const decimal = (what: string) =>
  z
    .string()
    .regex(DECIMAL, `${what} written as a decimal number`)
    .transform(Number)
    .refine((n) => Number.isFinite(n), `a finite ${what}`);

const price = decimal('price').refine((n) => n > 0, 'a price > 0');
const volume = decimal('volume').refine((n) => n >= 0, 'a volume ≥ 0');

const isoTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, "an ISO-8601 UTC timestamp such as '2021-06-01T00:00:00Z'")
  .transform((s) => Date.parse(s))
  .refine((ms) => Number.isFinite(ms), 'a valid calendar timestamp');

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

const cryptoRow = z.tuple([isoTimestamp, price, price, price, price, volume]).superRefine(checkEnvelope);
const stockRow = z.tuple([tradingDate, price, price, price, price, volume]).superRefine(checkEnvelope);

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
 * Validates crypto rows and builds bars: openTime = timestamp, closeTime = openTime + timeframe.
 * @throws DataError on the first bad row (file, 1-based line, column, value, expectation).
 */
export function cryptoBarsFromRecords(records: readonly CsvRecord[], file: string, timeframe: Timeframe): Bar[] {
  const duration = TIMEFRAME_MS[timeframe];
  const bars: Bar[] = [];
  let previous: number | undefined;
  for (const record of records) {
    const result = cryptoRow.safeParse(record.fields);
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
  }
  return bars;
}

/**
 * Validates stock rows and builds bars for the US regular session: openTime = 09:30 and closeTime = 16:00
 * America/New_York on the trading day, converted to UTC (DST-aware).
 * @throws DataError on the first bad row.
 */
export function stockBarsFromRecords(records: readonly CsvRecord[], file: string): Bar[] {
  const bars: Bar[] = [];
  let previous: number | undefined;
  for (const record of records) {
    const result = stockRow.safeParse(record.fields);
    if (!result.success) throw rowError(result.error, record, file, STOCK_HEADER);
    const [date, open, high, low, close, vol] = result.data;
    const openTime = newYorkToUtc(date, 9, 30);
    checkOrder(previous, openTime, record, file, 'date');
    previous = openTime;
    bars.push({ openTime, closeTime: newYorkToUtc(date, 16, 0), open, high, low, close, volume: vol });
  }
  return bars;
}
