import { describe, it, expect } from 'vitest';
import { ConfigError, Rng } from '@trading-ml/core';
import { bootstrapSharpeInterval } from './bootstrap-sharpe-interval.js';
import { sharpeRatio } from './sharpe-ratio.js';

const rng = Rng.fromSeed(2024);
const normal = rng.derive('returns');
const returns = Array.from({ length: 1000 }, () => normal.normal(0.001, 0.01));

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
    const [low, high] = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(9), periodsPerYear: 252 });
    expect((high - low) / expected).toBeGreaterThan(0.85);
    expect((high - low) / expected).toBeLessThan(1.15);
  });

  it('narrows as the confidence level falls', () => {
    const wide = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(3), periodsPerYear: 252, confidence: 0.95 });
    const narrow = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(3), periodsPerYear: 252, confidence: 0.5 });
    expect(narrow[1] - narrow[0]).toBeLessThan(wide[1] - wide[0]);
  });

  it('is [0, 0] for fewer than two returns and validates its options', () => {
    expect(bootstrapSharpeInterval([0.1], { rng, periodsPerYear: 252 })).toEqual([0, 0]);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, resamples: 0 })).toThrow(ConfigError);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapSharpeInterval(returns, { rng, periodsPerYear: 252, blockLength: 1001 })).toThrow(/blockLength/);
  });
});
