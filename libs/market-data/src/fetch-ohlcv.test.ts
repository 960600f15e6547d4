import { describe, expect, it } from 'vitest';
import { BadSymbol, NetworkError, RateLimitExceeded } from 'ccxt';
import { ConfigError, DataError, ExchangeError } from '@trading-ml/core';
import { createExchange, fetchOhlcvRange } from './fetch-ohlcv.js';
import type { OhlcvExchange } from './fetch-ohlcv.js';

const H = 3_600_000;
type Tuple = [number, number, number, number, number, number];

/** Ten hourly candles, hours 0..9, close = 100 + hour. */
const CANDLES: Tuple[] = Array.from({ length: 10 }, (_, h) => [h * H, 100 + h, 102 + h, 99 + h, 100 + h, 10 + h]);

/**
 * In-memory exchange serving `candles` like Binance: up to `limit` candles with openTime ≥ since
 * (or ≥ since − overlap, to imitate exchanges that repeat the boundary candle). `failures` are thrown first.
 */
function fakeExchange(candles: Tuple[], options: { overlap?: number; failures?: Error[] } = {}) {
  const calls: { symbol: string; timeframe: string | undefined; since: number | undefined; limit: number | undefined }[] = [];
  const failures = [...(options.failures ?? [])];
  const exchange: OhlcvExchange = {
    id: 'fake',
    async fetchOHLCV(symbol, timeframe, since, limit) {
      calls.push({ symbol, timeframe, since, limit });
      const failure = failures.shift();
      if (failure) throw failure;
      const from = (since ?? 0) - (options.overlap ?? 0);
      return candles.filter((c) => c[0] >= from).slice(0, limit);
    },
  };
  return { exchange, calls };
}

const expectedBars = (hours: number[]) =>
  hours.map((h) => ({ openTime: h * H, closeTime: (h + 1) * H, open: 100 + h, high: 102 + h, low: 99 + h, close: 100 + h, volume: 10 + h }));

describe('fetchOhlcvRange', () => {
  it('pages by advancing since to last openTime + 1h and stops once past until', async () => {
    const { exchange, calls } = fakeExchange(CANDLES);
    const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 9 * H, now: 100 * H, limit: 4 });
    expect(calls.map((c) => c.since)).toEqual([0, 4 * H, 8 * H]);
    expect(calls.every((c) => c.limit === 4 && c.symbol === 'BTC/USDT' && c.timeframe === '1h')).toBe(true);
    expect(bars).toEqual(expectedBars([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('stops on an empty page', async () => {
    const { exchange, calls } = fakeExchange(CANDLES);
    const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 1000 * H, now: 1000 * H, limit: 5 });
    expect(calls.map((c) => c.since)).toEqual([0, 5 * H, 10 * H]);
    expect(bars).toHaveLength(10);
  });

  it('keeps only bars inside [since, until]', async () => {
    const { exchange } = fakeExchange(CANDLES);
    const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 2 * H, until: 4 * H, now: 100 * H, limit: 1000 });
    expect(bars).toEqual(expectedBars([2, 3, 4]));
  });

  it('drops duplicates when pages overlap at their boundaries', async () => {
    const { exchange, calls } = fakeExchange(CANDLES, { overlap: H });
    const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 1000 * H, now: 1000 * H, limit: 4 });
    // pages: [0..3], [3..6], [6..9], [9], [9] → the cursor does not advance after the last page → stop
    expect(calls.map((c) => c.since)).toEqual([0, 4 * H, 7 * H, 10 * H]);
    expect(bars).toEqual(expectedBars([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('drops the still-forming last bar (closeTime > now) and does not ask for bars that cannot have closed', async () => {
    const { exchange, calls } = fakeExchange(CANDLES);
    const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 1000 * H, now: 9.5 * H, limit: 6 });
    expect(bars).toEqual(expectedBars([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(calls.map((c) => c.since)).toEqual([0, 6 * H]); // next cursor 10h: 10h + 1h > now
  });

  it('retries a transient NetworkError / RateLimitExceeded, then succeeds', async () => {
    const { exchange, calls } = fakeExchange(CANDLES, { failures: [new NetworkError('ECONNRESET'), new RateLimitExceeded('429')] });
    const bars = await fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 9 * H, now: 100 * H, minRetryDelayMs: 1 });
    expect(calls.map((c) => c.since)).toEqual([0, 0, 0]);
    expect(bars).toHaveLength(10);
  });

  it('does not retry a permanent BadSymbol; maps it to ExchangeError(retryable false)', async () => {
    const { exchange, calls } = fakeExchange(CANDLES, { failures: [new BadSymbol('binance does not have market symbol FOO/USDT')] });
    const promise = fetchOhlcvRange({ exchange, symbol: 'FOO/USDT', timeframe: '1h', since: 0, until: 9 * H, now: 100 * H, minRetryDelayMs: 1 });
    await expect(promise).rejects.toBeInstanceOf(ExchangeError);
    await expect(promise).rejects.toMatchObject({ retryable: false, code: 'EXCHANGE_FATAL' });
    expect(calls).toHaveLength(1);
  });

  it('gives up after `retries` network failures with a clear offline message', async () => {
    const offline = Array.from({ length: 10 }, () => new NetworkError('getaddrinfo ENOTFOUND api.binance.com'));
    const { exchange, calls } = fakeExchange(CANDLES, { failures: offline });
    const promise = fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 9 * H, now: 100 * H, retries: 2, minRetryDelayMs: 1 });
    await expect(promise).rejects.toMatchObject({ retryable: true, code: 'EXCHANGE_RETRYABLE' });
    await expect(promise).rejects.toThrow(/fake: could not reach the exchange.*after 3 attempts.*bundled data\//);
    expect(calls).toHaveLength(3);
  });

  it('validates every tuple (DataError naming exchange, symbol and column)', async () => {
    const bad: Tuple[] = [CANDLES[0] as Tuple, [H, 100, 99, 98, 100.5, 1]]; // high 99 < max(open, close)
    const { exchange } = fakeExchange(bad);
    const promise = fetchOhlcvRange({ exchange, symbol: 'BTC/USDT', timeframe: '1h', since: 0, until: 9 * H, now: 100 * H });
    await expect(promise).rejects.toBeInstanceOf(DataError);
    await expect(promise).rejects.toMatchObject({ location: { line: 2, column: 'high' } });
    await expect(promise).rejects.toThrow(/fake fetchOHLCV BTC\/USDT 1h/);
  });

  it('rejects bad options as ConfigError', async () => {
    const { exchange } = fakeExchange(CANDLES);
    const base = { exchange, symbol: 'BTC/USDT', timeframe: '1h' as const, since: 0, until: 9 * H, now: 100 * H };
    await expect(fetchOhlcvRange({ ...base, limit: 0 })).rejects.toBeInstanceOf(ConfigError);
    await expect(fetchOhlcvRange({ ...base, since: 10 * H })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('createExchange', () => {
  it('builds a ccxt client for a known id (no network on construction) and rejects unknown ids', async () => {
    const binance = await createExchange('binance');
    expect(binance.id).toBe('binance');
    expect(typeof binance.fetchOHLCV).toBe('function');
    await expect(createExchange('not-an-exchange')).rejects.toThrow(/Invalid exchange: got "not-an-exchange"/);
  });
});
