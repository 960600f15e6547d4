import type { Bar } from '@trading-ml/core';

export const HOUR = 3_600_000;
/** 2024-01-01T00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

/**
 * `count` hourly bars from T0 with a deterministic zig-zag price: close_i = base·(1 + 0.01·sin(i)), round to cents;
 * open_i = close_{i−1} + base/10 000 (a small gap, so a fill at the next open is told apart from one at the close).
 * @param base - price level, quote per base.
 */
export function hourlyBars(count: number, base = 40_000): Bar[] {
  const bars: Bar[] = [];
  let previous = base;
  for (let i = 0; i < count; i++) {
    const close = Math.round(base * (1 + 0.01 * Math.sin(i)) * 100) / 100;
    const open = Math.round((previous + base / 10_000) * 100) / 100;
    bars.push({ openTime: T0 + i * HOUR, closeTime: T0 + (i + 1) * HOUR, open, high: Math.max(open, close) + 5, low: Math.min(open, close) - 5, close, volume: 10 + i });
    previous = close;
  }
  return bars;
}
