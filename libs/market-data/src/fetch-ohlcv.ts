import pRetry from 'p-retry';
import { z } from 'zod';
import { ConfigError, DataError, ExchangeError, TIMEFRAME_MS, isTimeframe } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';

/**
 * The part of a ccxt exchange that downloading candles needs: `fetchOHLCV(symbol, timeframe, since, limit)`
 * resolving to OHLCV tuples `[openTime ms, open, high, low, close, volume]` (volume in base units).
 * A real `new ccxt.binance({ enableRateLimit: true })` fits, and so does an in-memory fake.
 * @see ccxt ts/src/base/types.ts (OHLCV tuple) and Manual, "OHLCV Candlestick Charts".
 */
export interface OhlcvExchange {
  /** Exchange id for messages, e.g. 'binance'. */
  readonly id?: string;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown>;
}

/** Options of {@link fetchOhlcvRange}. Times are UTC epoch ms. */
export interface FetchOhlcvRangeOptions {
  readonly exchange: OhlcvExchange;
  /** Unified ccxt symbol, 'BTC/USDT'. */
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** First candle open time wanted (inclusive). */
  readonly since: number;
  /** Last candle open time wanted (inclusive). */
  readonly until: number;
  /** The current time: only bars with closeTime ≤ now (closed bars) are returned. */
  readonly now: number;
  /** Candles requested per call (default 1000, Binance's maximum). */
  readonly limit?: number;
  /** Retries per call after a network error, timeout or rate limit (default 4). */
  readonly retries?: number;
  /** First retry delay in ms; doubles per retry (default 1000). */
  readonly minRetryDelayMs?: number;
}

const finite = z.number().refine(Number.isFinite, 'a finite number');
const ohlcvTuple = z
  .tuple([z.number().int('an integer open time in ms').nonnegative(), finite.refine((v) => v > 0, 'a price > 0'), finite, finite, finite, finite.refine((v) => v >= 0, 'a volume ≥ 0')])
  .superRefine(([, open, high, low, close], ctx) => {
    if (low > Math.min(open, close)) ctx.addIssue({ code: 'custom', path: [3], message: `low ≤ min(open, close) = ${Math.min(open, close)}` });
    if (high < Math.max(open, close)) ctx.addIssue({ code: 'custom', path: [2], message: `high ≥ max(open, close) = ${Math.max(open, close)}` });
  });
const ohlcvPage = z.array(z.unknown());
const TUPLE_COLUMNS = ['openTime', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Whether a ccxt error is worth retrying: network trouble, timeouts, rate limits, DDoS protection. */
async function isRetryable(error: unknown): Promise<boolean> {
  const { NetworkError, RequestTimeout, RateLimitExceeded, DDoSProtection } = await import('ccxt');
  return [NetworkError, RequestTimeout, RateLimitExceeded, DDoSProtection].some((kind) => error instanceof kind);
}

function toBar(raw: unknown, index: number, source: string, step: number): Bar {
  const result = ohlcvTuple.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const column = typeof issue?.path[0] === 'number' ? TUPLE_COLUMNS[issue.path[0]] : undefined;
    throw new DataError({
      location: { file: source, line: index + 1, column },
      value: raw,
      expected: `an OHLCV tuple [ms, open, high, low, close, volume]: ${issue?.message ?? 'invalid'}`,
    });
  }
  const [openTime, open, high, low, close, volume] = result.data;
  if (openTime % step !== 0) {
    throw new DataError({ location: { file: source, line: index + 1, column: 'openTime' }, value: openTime, expected: `an open time on the ${step} ms grid` });
  }
  return { openTime, closeTime: openTime + step, open, high, low, close, volume };
}

/**
 * Downloads closed candles of one symbol over a time range, page by page, through a ccxt exchange.
 *
 * Pages are requested from `since`; after each page the cursor moves to the last returned openTime + timeframe.
 * It stops on an empty page, once the cursor passes `until`, or when no closed bar can follow (cursor + timeframe > now).
 * Duplicates (the same openTime on two pages) are dropped, bars outside [since, until] are dropped, and only
 * closed bars (closeTime ≤ now) are kept, so a still-forming candle is never stored.
 * Every tuple is validated. Network errors, timeouts, rate limits and DDoS protection are retried with
 * exponential backoff (`retries` times per call); other errors are not.
 *
 * @param options - See {@link FetchOhlcvRangeOptions}.
 * @returns Closed bars, strictly increasing openTime (closeTime = openTime + timeframe).
 * @throws ExchangeError retryable=true when the exchange could not be reached after all retries (the message says
 *   the bundled data/ can be used instead); retryable=false for exchange rejections (e.g. ccxt BadSymbol).
 * @throws DataError when the exchange returns a malformed tuple (location names exchange, symbol, page row).
 * @throws ConfigError for an unknown timeframe, since > until, or a non-positive limit/negative retries.
 * @see ccxt Manual, "OHLCV Candlestick Charts" / "Pagination"; ccxt ts/src/base/errorHierarchy.ts.
 * @example
 * const exchange = await createExchange('binance');
 * const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h',
 *   since: Date.UTC(2024, 0, 1), until: Date.UTC(2024, 0, 2), now: Date.now() });
 */
export async function fetchOhlcvRange(options: FetchOhlcvRangeOptions): Promise<Bar[]> {
  const { exchange, symbol, timeframe, since, until, now, limit = 1000, retries = 4, minRetryDelayMs = 1000 } = options;
  if (!isTimeframe(timeframe)) throw new ConfigError({ parameter: 'timeframe', value: timeframe, expected: "one of '1m', '5m', '15m', '1h', '4h', '1d'" });
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError({ parameter: 'limit', value: limit, expected: 'an integer ≥ 1' });
  if (!Number.isInteger(retries) || retries < 0) throw new ConfigError({ parameter: 'retries', value: retries, expected: 'an integer ≥ 0' });
  if (!(since <= until)) throw new ConfigError({ parameter: 'since', value: since, expected: `a time ≤ until (${until})` });
  const step = TIMEFRAME_MS[timeframe];
  const name = exchange.id ?? 'exchange';
  const source = `${name} fetchOHLCV ${symbol} ${timeframe}`;
  const bars: Bar[] = [];
  let cursor = since;
  while (cursor <= until && cursor + step <= now) {
    const page = await fetchPage(exchange, name, symbol, timeframe, cursor, limit, retries, minRetryDelayMs);
    const parsed = ohlcvPage.safeParse(page);
    if (!parsed.success) throw new DataError({ location: { file: source }, value: page, expected: 'an array of OHLCV tuples' });
    if (parsed.data.length === 0) break;
    const pageBars = parsed.data.map((raw, index) => toBar(raw, index, `${source} since ${cursor}`, step)).sort((a, b) => a.openTime - b.openTime);
    for (const bar of pageBars) {
      const previous = bars[bars.length - 1];
      if (bar.openTime < since || bar.openTime > until || bar.closeTime > now) continue;
      if (previous !== undefined && bar.openTime <= previous.openTime) continue; // duplicate across a page boundary
      bars.push(bar);
    }
    const next = (pageBars[pageBars.length - 1] as Bar).openTime + step;
    if (next <= cursor) break; // the exchange ignored `since`; stop rather than loop forever
    cursor = next;
  }
  return bars;
}

async function fetchPage(
  exchange: OhlcvExchange,
  name: string,
  symbol: string,
  timeframe: Timeframe,
  since: number,
  limit: number,
  retries: number,
  minTimeout: number,
): Promise<unknown> {
  try {
    return await pRetry(() => exchange.fetchOHLCV(symbol, timeframe, since, limit), {
      retries,
      factor: 2,
      minTimeout,
      maxTimeout: 30_000,
      shouldRetry: ({ error }) => isRetryable(error),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (await isRetryable(error)) {
      throw new ExchangeError({
        exchange: name,
        retryable: true,
        message: `could not reach the exchange for ${symbol} ${timeframe} since ${new Date(since).toISOString()} after ${retries + 1} attempts (${message}). Check the network, or use the bundled data/ files instead (loadBars reads them offline).`,
        cause: error,
      });
    }
    throw new ExchangeError({ exchange: name, retryable: false, message: `fetchOHLCV ${symbol} ${timeframe} was rejected: ${message}`, cause: error });
  }
}

/**
 * Creates a ccxt exchange client with rate limiting on, for {@link fetchOhlcvRange}.
 * ccxt is imported lazily, so loading CSV files never pays for it.
 *
 * @param id - A ccxt exchange id such as 'binance'.
 * @returns The ccxt exchange instance (it satisfies {@link OhlcvExchange}).
 * @throws ConfigError when `id` is not a ccxt exchange id.
 * @see ccxt Manual, "Instantiation" (`enableRateLimit`).
 * @example
 * const binance = await createExchange('binance');
 */
export async function createExchange(id: string): Promise<OhlcvExchange> {
  const ccxt = (await import('ccxt')) as unknown as Record<string, unknown> & { exchanges: unknown };
  // ccxt's ESM build exports `exchanges` as a map from id to class, its CJS build as an array of ids
  // next to the classes themselves.
  const ids = Array.isArray(ccxt.exchanges) ? (ccxt.exchanges as string[]) : Object.keys(ccxt.exchanges as object);
  const Constructor = ids.includes(id) ? ccxt[id] : undefined;
  if (typeof Constructor !== 'function') {
    throw new ConfigError({ parameter: 'exchange', value: id, expected: `a ccxt exchange id such as 'binance' (${ids.length} known)` });
  }
  return new (Constructor as new (config: object) => OhlcvExchange)({ enableRateLimit: true });
}
