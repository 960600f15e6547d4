import { Rng, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';

/**
 * Test-only: a seeded geometric random walk of valid OHLCV bars on a timeframe's UTC grid (not real data; the
 * library's tests need controlled inputs such as exact gaps).
 */
export function syntheticBars(options: { count: number; timeframe: Timeframe; start?: number; seed?: number; price?: number; sigma?: number }): Bar[] {
  const { count, timeframe, start = Date.UTC(2024, 0, 1), seed = 1, price = 100, sigma = 0.01 } = options;
  const step = TIMEFRAME_MS[timeframe];
  const rng = Rng.fromSeed(seed).derive(`synthetic/${timeframe}`);
  const bars: Bar[] = [];
  let last = price;
  for (let i = 0; i < count; i++) {
    const open = last;
    const close = open * Math.exp(rng.normal(0, sigma));
    const high = Math.max(open, close) * (1 + sigma * rng.float());
    const low = Math.min(open, close) * (1 - sigma * rng.float());
    const openTime = start + i * step;
    bars.push({ openTime, closeTime: openTime + step, open, high, low, close, volume: 10 + 5 * rng.float() });
    last = close;
  }
  return bars;
}
