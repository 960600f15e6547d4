// Test-only bar factories (excluded from the published build by tsconfig.lib.json).
import type { Bar, Rng } from '@trading-ml/core';

/** Bar duration used by the fixtures: one hour. */
export const HOUR = 3_600_000;

/** Bars from [open, close] pairs, back to back from `start`, high/low just around them. */
export function barsFrom(prices: ReadonlyArray<readonly [number, number]>, start = 0, duration = HOUR): Bar[] {
  return prices.map(([open, close], i) => ({
    openTime: start + i * duration,
    closeTime: start + (i + 1) * duration,
    open,
    high: Math.max(open, close) + 1,
    low: Math.min(open, close) - 1,
    close,
    volume: 10,
  }));
}

/** A seeded geometric random walk of `count` valid hourly bars starting near `price`. */
export function randomWalkBars(rng: Rng, count: number, price = 100, volatility = 0.01): Bar[] {
  const bars: Bar[] = [];
  let last = price;
  for (let i = 0; i < count; i++) {
    const open = last * Math.exp(rng.normal(0, volatility / 4));
    const close = open * Math.exp(rng.normal(0, volatility));
    const high = Math.max(open, close) * (1 + 0.005 * rng.float());
    const low = Math.min(open, close) * (1 - 0.005 * rng.float());
    bars.push({ openTime: i * HOUR, closeTime: (i + 1) * HOUR, open, high, low, close, volume: 1 + rng.float() });
    last = close;
  }
  return bars;
}
