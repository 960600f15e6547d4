import { describe, expect, it } from 'vitest';
import { RSI } from 'technicalindicators';
import { ConfigError, Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { checkPrefixInvariance } from '@trading-ml/backtest';
import { computeFeatureMatrix, FEATURE_INDEX, FEATURES_PER_TIMEFRAME, regimeAt } from './feature-matrix.js';
import { syntheticBars } from './testing/synthetic-bars.js';

const F = FEATURES_PER_TIMEFRAME;

function row(matrix: ReturnType<typeof computeFeatureMatrix>, i: number): number[] {
  return Array.from(matrix.values.subarray(i * F, (i + 1) * F));
}

function sampleStd(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

describe('computeFeatureMatrix', () => {
  const bars = syntheticBars({ count: 200, timeframe: '1h', seed: 7 });
  const matrix = computeFeatureMatrix(bars, '1h');

  it('marks exactly the first warmupBars rows as not warm: σ over 20 returns + a 50-bar σ baseline = 69 bars', () => {
    // σ first exists at bar 20 (20 log returns); the baseline averages 50 σ values → first at bar 20 + 49 = 69.
    expect(matrix.warmupBars).toBe(69);
    expect(Array.from(matrix.valid.subarray(0, 69)).every((v) => v === 0)).toBe(true);
    expect(Array.from(matrix.valid.subarray(69)).every((v) => v === 1)).toBe(true);
  });

  it('matches an independent computation of the scale-free columns', () => {
    const i = 120;
    const closes = bars.map((b) => b.close);
    const returns = closes.slice(i - 19, i + 1).map((c, k) => Math.log(c / (closes[i - 19 + k - 1] as number)));
    const sigma = sampleStd(returns);
    const window = closes.slice(i - 19, i + 1);
    const mean = window.reduce((a, b) => a + b, 0) / 20;
    const bar = bars[i] as Bar;
    const values = row(matrix, i);
    expect(values[FEATURE_INDEX.logReturn]).toBeCloseTo(Math.log(bar.close / (closes[i - 1] as number)) / sigma, 4);
    expect(values[FEATURE_INDEX.closeZScore]).toBeCloseTo((bar.close - mean) / sampleStd(window), 4);
    expect(values[FEATURE_INDEX.range]).toBeCloseTo(Math.log(bar.high / bar.low) / sigma, 4);
    // efficiency ratio over 14 bars: |c_i − c_{i−14}| / Σ|Δc|
    let path = 0;
    for (let k = i - 13; k <= i; k++) path += Math.abs((closes[k] as number) - (closes[k - 1] as number));
    expect(values[FEATURE_INDEX.trendStrength]).toBeCloseTo(Math.abs(bar.close - (closes[i - 14] as number)) / path, 5);
    // RSI from the batch form of the same indicator (outputs aligned to the end of the input)
    const rsi = RSI.calculate({ values: closes.slice(0, i + 1), period: 14 });
    expect(values[FEATURE_INDEX.rsi]).toBeCloseTo(((rsi[rsi.length - 1] as number) - 50) / 50, 5);
    // exactly one regime column is set
    expect((values[10] as number) + (values[11] as number) + (values[12] as number)).toBe(1);
  });

  it('reads a steady uptrend as trend strength 1 and a calm market as trending', () => {
    const trend = Array.from({ length: 100 }, (_, i): Bar => {
      const close = 100 * 1.001 ** i * (1 + 0.0002 * (i % 2));
      return { openTime: i * 60_000, closeTime: (i + 1) * 60_000, open: close, high: close * 1.001, low: close * 0.999, close, volume: 1 };
    });
    const m = computeFeatureMatrix(trend, '1m');
    expect(row(m, 99)[FEATURE_INDEX.trendStrength]).toBeGreaterThan(0.6);
    expect(regimeAt(m, 99)).toBe('trending');
  });

  it('restarts every indicator after a gap and never fills it', () => {
    const withGap = [...bars.slice(0, 100), ...bars.slice(103)];
    const m = computeFeatureMatrix(withGap, '1h');
    expect(m.segment[99]).toBe(0);
    expect(m.segment[100]).toBe(1);
    expect(m.valid[99]).toBe(1);
    // the new segment starts at row 100: rows 100..168 warm up again
    expect(Array.from(m.valid.subarray(100, 169)).every((v) => v === 0)).toBe(true);
    expect(m.valid[169]).toBe(1);
    // before the gap nothing changed
    expect(Array.from(m.values.subarray(0, 100 * F))).toEqual(Array.from(matrix.values.subarray(0, 100 * F)));
  });

  it('is prefix invariant: altering or appending bars after t changes no feature at or before t', () => {
    const result = checkPrefixInvariance({
      bars,
      cutIndex: 110,
      rng: Rng.fromSeed(3),
      decide: (bs) => {
        const m = computeFeatureMatrix(bs, '1h');
        return bs.map((_, i) => [m.valid[i], m.segment[i], ...row(m, i)]);
      },
    });
    expect(result).toEqual({ ok: true });
  });

  it('rejects a bad period and out-of-order bars', () => {
    expect(() => computeFeatureMatrix(bars, '1h', { window: 1 })).toThrow(ConfigError);
    expect(() => computeFeatureMatrix([bars[1] as Bar, bars[0] as Bar], '1h')).toThrow(/openTime after/);
    expect(() => regimeAt(matrix, 3)).toThrow(/warm row/);
  });
});
