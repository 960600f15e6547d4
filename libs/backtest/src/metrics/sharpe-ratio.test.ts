import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '@trading-ml/core';
import { sharpeRatio } from './sharpe-ratio.js';

describe('sharpeRatio', () => {
  it('matches mean/sd·√periodsPerYear on a hand-worked series (Sharpe 1994)', () => {
    // [0.01, 0.02, 0.03, −0.01]: mean 0.0125; deviations −0.0025, 0.0075, 0.0175, −0.0225;
    // Σ dev² = 6.25e-6 + 5.625e-5 + 3.0625e-4 + 5.0625e-4 = 8.75e-4; sd = √(8.75e-4/3) = 0.0170782513
    // Sharpe = 0.0125/0.0170782513·√252 = 11.61895004
    expect(sharpeRatio([0.01, 0.02, 0.03, -0.01], { periodsPerYear: 252 })).toBeCloseTo(11.61895004, 6);
  });

  it('subtracts the per-period risk-free rate', () => {
    // excess [0.01, 0.03]: mean 0.02, sd √((0.01² + 0.01²)/1) = 0.0141421; ratio √2 = 1.41421356 at 1 period/year
    expect(sharpeRatio([0.02, 0.04], { periodsPerYear: 1, riskFreeRatePerPeriod: 0.01 })).toBeCloseTo(Math.SQRT2, 10);
  });

  it('is 0 when the standard deviation is 0 or there are fewer than two returns', () => {
    expect(sharpeRatio([0.1, 0.1, 0.1], { periodsPerYear: 365 })).toBe(0);
    expect(sharpeRatio([0.1], { periodsPerYear: 365 })).toBe(0);
    expect(sharpeRatio([], { periodsPerYear: 365 })).toBe(0);
  });

  it('is unchanged when the returns are scaled by c > 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 50 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (returns, c) => {
          const spread = Math.max(...returns) - Math.min(...returns);
          fc.pre(spread > 1e-6); // well away from sd = 0, where the ratio is defined as 0
          const base = sharpeRatio(returns, { periodsPerYear: 8760 });
          const scaled = sharpeRatio(returns.map((r) => r * c), { periodsPerYear: 8760 });
          expect(Math.abs(scaled - base)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(base)));
        },
      ),
    );
  });

  it('rejects bad options', () => {
    expect(() => sharpeRatio([0.1, 0.2], { periodsPerYear: -1 })).toThrow(ConfigError);
    expect(() => sharpeRatio([0.1, 0.2], { periodsPerYear: 1, riskFreeRatePerPeriod: Number.NaN })).toThrow(/riskFreeRatePerPeriod/);
  });
});
