import { describe, it, expect } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { cagr } from './cagr.js';

describe('cagr', () => {
  it('annualises the total growth over n − 1 periods', () => {
    // 2 periods at 2 periods/year = 1 year: 121/100 − 1 = 0.21
    expect(cagr([100, 110, 121], 2)).toBeCloseTo(0.21, 12);
    // 2 periods at 1 period/year = 2 years: √1.21 − 1 = 0.1
    expect(cagr([100, 80, 121], 1)).toBeCloseTo(0.1, 12);
    // 365 daily periods, 24/7: one year, growth 1.5 → 0.5
    const curve = Array.from({ length: 366 }, (_, i) => 100 * Math.pow(1.5, i / 365));
    expect(cagr(curve, 365)).toBeCloseTo(0.5, 10);
  });

  it('is 0 for one sample and −1 when the curve ends at or below 0', () => {
    expect(cagr([100], 365)).toBe(0);
    expect(cagr([100, -5], 365)).toBe(-1);
  });

  it('requires periodsPerYear > 0', () => {
    expect(() => cagr([100, 110], 0)).toThrow(ConfigError);
  });
});
