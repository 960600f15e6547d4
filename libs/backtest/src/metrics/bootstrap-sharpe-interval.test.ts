import { describe, it, expect } from 'vitest';
import { quantile } from 'simple-statistics';
import { ConfigError, DataError, Rng } from '@trading-ml/core';
import { bootstrapSharpeInterval, geometricBlockLength } from './bootstrap-sharpe-interval.js';
import { sharpeRatio } from './sharpe-ratio.js';

const rng = Rng.fromSeed(2024);
const normal = rng.derive('returns');
const returns = Array.from({ length: 1000 }, () => normal.normal(0.001, 0.01));

/** AR(1) returns r_t = μ + φ(r_{t−1} − μ) + ε_t, ε ~ N(0, sd²). */
function ar1(source: Rng, n: number, phi: number, mu: number, sd: number): number[] {
  const out: number[] = [];
  let previous = mu;
  for (let t = 0; t < n; t++) {
    previous = mu + phi * (previous - mu) + source.normal(0, sd);
    out.push(previous);
  }
  return out;
}

/**
 * Reference: the stationary bootstrap as Politis & Romano (1994) state it element by element — start uniformly,
 * then at each step restart at a uniform position with probability p = 1/blockLength, else take the next return
 * (wrapping) — with the resample materialised and scored by sharpeRatio.
 */
function referenceInterval(series: readonly number[], source: Rng, blockLength: number, resamples: number, periodsPerYear: number): [number, number] {
  const n = series.length;
  const ratios: number[] = [];
  const sample = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    let index = source.int(0, n - 1);
    sample[0] = series[index]!;
    for (let t = 1; t < n; t++) {
      index = source.float() < 1 / blockLength ? source.int(0, n - 1) : (index + 1) % n;
      sample[t] = series[index]!;
    }
    ratios.push(sharpeRatio(sample, { periodsPerYear }));
  }
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

describe('geometricBlockLength', () => {
  it('inverts the Geometric(p) distribution on {1, 2, …}', () => {
    // pmf P(L = k) = (1 − p)^(k−1)·p; a fine grid of u in [0, 1) hits each k with frequency pmf(k) ± 1/grid
    for (const p of [0.5, 0.1, 1 / 19]) {
      const grid = 100_000;
      const counts = new Map<number, number>();
      let total = 0;
      for (let i = 0; i < grid; i++) {
        const length = geometricBlockLength((i + 0.5) / grid, Math.log1p(-p));
        counts.set(length, (counts.get(length) ?? 0) + 1);
        total += length;
      }
      for (const k of [1, 2, 3, 5, 10]) expect((counts.get(k) ?? 0) / grid).toBeCloseTo((1 - p) ** (k - 1) * p, 4);
      expect(total / grid).toBeCloseTo(1 / p, 2); // E[L] = 1/p
    }
    // hand-computed, p = 0.5: 1 + ⌊ln(1 − u)/ln 0.5⌋ → u = 0 → 1, u = 0.49 → 1, u = 0.5 → 2, u = 0.75 → 3
    expect([0, 0.49, 0.5, 0.75].map((u) => geometricBlockLength(u, Math.log(0.5)))).toEqual([1, 1, 2, 3]);
    expect(geometricBlockLength(0.999, -Infinity)).toBe(1); // p = 1: every block has length 1
  });
});

describe('bootstrapSharpeInterval', () => {
  it('contains the point estimate', () => {
    const point = sharpeRatio(returns, { periodsPerYear: 252 });
    const [low, high] = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(1), periodsPerYear: 252 });
    expect(low).toBeLessThan(point);
    expect(high).toBeGreaterThan(point);
  });

  it('is reproducible with the same seed and differs with another', () => {
    const a = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(5), periodsPerYear: 252, resamples: 200 });
    const b = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(5), periodsPerYear: 252, resamples: 200 });
    const c = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(6), periodsPerYear: 252, resamples: 200 });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('has about the width of the asymptotic IID interval on IID returns (Lo 2002)', () => {
    // Lo (2002) eq. 9: se(SR per period) = √((1 + SR²/2)/n); 95 % width = 2·1.96·se·√periodsPerYear
    const perPeriod = sharpeRatio(returns, { periodsPerYear: 1 });
    const expected = 2 * 1.959964 * Math.sqrt((1 + (perPeriod * perPeriod) / 2) / returns.length) * Math.sqrt(252);
    for (const seed of [9, 10, 11]) {
      const [low, high] = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(seed), periodsPerYear: 252 });
      expect((high - low) / expected).toBeGreaterThan(0.85);
      expect((high - low) / expected).toBeLessThan(1.15);
    }
  });

  it('widens with the block length on autocorrelated returns as the stationary bootstrap variance predicts', () => {
    // AR(1), φ = 0.5. Lo (2002) eq. 9 (IID) gives the width w₀; the stationary bootstrap estimates the variance of
    // the mean as γ₀/n·[1 + 2Σ_k (1 − p)^k ρ_k] (Politis & Romano 1994, sec. 4), ρ_k = φ^k, so with mean block
    // length b the width grows by √(1 + 2qφ/(1 − qφ)), q = 1 − 1/b (small SR: se(SR) ≈ se(mean)/σ).
    const phi = 0.5;
    const series = ar1(Rng.fromSeed(77), 4000, phi, 0.0002, 0.01);
    const perPeriod = sharpeRatio(series, { periodsPerYear: 1 });
    const iidWidth = 2 * 1.959964 * Math.sqrt((1 + (perPeriod * perPeriod) / 2) / series.length);
    const width = (blockLength: number): number => {
      const [low, high] = bootstrapSharpeInterval(series, { rng: Rng.fromSeed(blockLength), periodsPerYear: 1, blockLength });
      return high - low;
    };
    expect(width(1) / iidWidth).toBeGreaterThan(0.88);
    expect(width(1) / iidWidth).toBeLessThan(1.12);
    const q = 1 - 1 / 20;
    const factor = Math.sqrt(1 + (2 * q * phi) / (1 - q * phi)); // ≈ 1.676; the full long-run factor √3 ≈ 1.732
    expect(width(20) / (iidWidth * factor)).toBeGreaterThan(0.88);
    expect(width(20) / (iidWidth * factor)).toBeLessThan(1.12);
  });

  it('agrees with the element-by-element stationary bootstrap up to Monte Carlo error', () => {
    const series = ar1(Rng.fromSeed(31), 1000, 0.3, 0.001, 0.01);
    const reference = referenceInterval(series, Rng.fromSeed(100), 10, 2000, 365);
    const fast = bootstrapSharpeInterval(series, { rng: Rng.fromSeed(200), periodsPerYear: 365, blockLength: 10, resamples: 2000 });
    const referenceWidth = reference[1] - reference[0];
    // each endpoint's Monte Carlo sd is ≈ 2 % of the width at 2000 resamples; allow 10 %
    expect(Math.abs(fast[0] - reference[0])).toBeLessThan(0.1 * referenceWidth);
    expect(Math.abs(fast[1] - reference[1])).toBeLessThan(0.1 * referenceWidth);
  });

  it('scores a constant resample 0, as sharpeRatio does, and subtracts the risk-free rate', () => {
    // 49 zeros and one 0.01, IID resampling: (49/50)^50 ≈ 36 % of resamples miss the 0.01 and are constant → 0
    const sparse = [...new Array<number>(49).fill(0), 0.01];
    const [low, high] = bootstrapSharpeInterval(sparse, { rng: Rng.fromSeed(4), periodsPerYear: 1, blockLength: 1 });
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(0);
    expect(bootstrapSharpeInterval(new Array<number>(30).fill(0.002), { rng: Rng.fromSeed(4), periodsPerYear: 1 })).toEqual([0, 0]);
    // a constant shift by r_f is the same as lowering every return by r_f
    const shifted = returns.map((r) => r - 0.0005);
    const a = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(8), periodsPerYear: 252, riskFreeRatePerPeriod: 0.0005 });
    const b = bootstrapSharpeInterval(shifted, { rng: Rng.fromSeed(8), periodsPerYear: 252 });
    expect(a[0]).toBeCloseTo(b[0], 9);
    expect(a[1]).toBeCloseTo(b[1], 9);
  });

  it('narrows as the confidence level falls', () => {
    const wide = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(3), periodsPerYear: 252, confidence: 0.95 });
    const narrow = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(3), periodsPerYear: 252, confidence: 0.5 });
    expect(narrow[1] - narrow[0]).toBeLessThan(wide[1] - wide[0]);
  });

  it('is [0, 0] for fewer than two returns and validates its inputs', () => {
    expect(bootstrapSharpeInterval([0.1], { rng, periodsPerYear: 252 })).toEqual([0, 0]);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, resamples: 0 })).toThrow(ConfigError);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, blockLength: 1001 })).toThrow(/blockLength/);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, riskFreeRatePerPeriod: NaN })).toThrow(/riskFreeRatePerPeriod/);
    expect(() => bootstrapSharpeInterval([0.1, Infinity, 0.2], { rng, periodsPerYear: 252 })).toThrow(DataError);
  });
});
