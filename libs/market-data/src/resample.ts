import { ConfigError, DataError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';

/**
 * Aggregates bars to a longer timeframe on UTC-aligned buckets, the way exchange klines are built
 * (4h buckets open at 00, 04, 08 … UTC; 1d buckets at 00:00 UTC): open = first, high = max, low = min,
 * close = last, volume = sum.
 *
 * A bucket with missing constituents (a real outage) is built from the bars that exist, as Binance's own klines
 * are. The trailing bucket is dropped unless all of its time has closed (its last constituent's closeTime equals
 * the bucket's closeTime), so a partial bar is never presented as complete.
 *
 * @param bars - Bars of timeframe `from`, strictly increasing openTime on the `from` grid.
 * @param from - Timeframe of the input bars.
 * @param to - Target timeframe; a whole multiple of `from`.
 * @returns New bars of timeframe `to` (closeTime = openTime + to); the input is not modified.
 * @throws ConfigError when `to` is not a whole multiple of `from` (or shorter).
 * @throws DataError when an input bar is not a `from` bar on its grid, or times do not strictly increase.
 * @see Binance Spot API docs, "Kline/Candlestick data" (klines are uniquely identified by their open time).
 * @example
 * const h = 3_600_000;
 * const hourly = [0, 1, 2, 3].map((i) => ({ openTime: i * h, closeTime: (i + 1) * h, open: 10 + i, high: 12 + i, low: 9, close: 11 + i, volume: 1 }));
 * resampleBars(hourly, '1h', '4h');
 * // [{ openTime: 0, closeTime: 4h, open: 10, high: 15, low: 9, close: 14, volume: 4 }]
 */
export function resampleBars(bars: readonly Bar[], from: Timeframe, to: Timeframe): Bar[] {
  const step = TIMEFRAME_MS[from];
  const bucket = TIMEFRAME_MS[to];
  if (bucket < step || bucket % step !== 0) {
    throw new ConfigError({ parameter: 'to', value: to, expected: `a timeframe that is a whole multiple of from = '${from}'` });
  }
  const out: Bar[] = [];
  let current: Bucket | null = null;
  let previousOpen = -Infinity;
  for (const [index, bar] of bars.entries()) {
    if (bar.closeTime - bar.openTime !== step || bar.openTime % step !== 0) {
      throw new DataError({
        location: { file: 'resampleBars', line: index + 1, column: 'openTime' },
        value: { openTime: bar.openTime, closeTime: bar.closeTime },
        expected: `a ${from} bar on the UTC ${from} grid (closeTime − openTime = ${step} ms)`,
      });
    }
    if (bar.openTime <= previousOpen) {
      throw new DataError({
        code: bar.openTime === previousOpen ? 'DATA_DUPLICATE' : 'DATA_ORDER',
        location: { file: 'resampleBars', line: index + 1, column: 'openTime' },
        value: bar.openTime,
        expected: `an openTime after ${previousOpen}`,
      });
    }
    previousOpen = bar.openTime;
    const bucketOpen = Math.floor(bar.openTime / bucket) * bucket;
    if (current !== null && current.openTime === bucketOpen) {
      current.high = Math.max(current.high, bar.high);
      current.low = Math.min(current.low, bar.low);
      current.close = bar.close;
      current.volume += bar.volume;
      current.lastClose = bar.closeTime;
      continue;
    }
    if (current !== null) out.push(toBar(current, bucket));
    current = { openTime: bucketOpen, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, lastClose: bar.closeTime };
  }
  // The trailing bucket is complete only once its last constituent closes at the bucket's close.
  if (current !== null && current.lastClose === current.openTime + bucket) out.push(toBar(current, bucket));
  return out;
}

/** A bucket being filled: running OHLCV plus the closeTime of the latest constituent. */
interface Bucket {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  lastClose: number;
}

function toBar(b: Bucket, bucket: number): Bar {
  return { openTime: b.openTime, closeTime: b.openTime + bucket, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
}
