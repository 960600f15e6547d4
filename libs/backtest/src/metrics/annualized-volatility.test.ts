import { describe, it, expect } from 'vitest';
import { annualizedVolatility } from './annualized-volatility.js';

describe('annualizedVolatility', () => {
  it('is the sample standard deviation (ddof 1) times √periodsPerYear', () => {
    // mean 0; Σ(r − mean)² = 2·0.0001; /(n − 1 = 1) → sd = 0.0141421356; ×√4 = 0.0282842712
    expect(annualizedVolatility([0.01, -0.01], 4)).toBeCloseTo(0.0282842712, 9);
    // [0.01, 0.02, 0.03, −0.01]: mean 0.0125, Σ dev² = 8.75e-4, /3 = 2.9167e-4, sd = 0.0170782513; ×√252 = 0.2711088
    expect(annualizedVolatility([0.01, 0.02, 0.03, -0.01], 252)).toBeCloseTo(0.0170782513 * Math.sqrt(252), 9);
  });

  it('is 0 for fewer than two returns', () => {
    expect(annualizedVolatility([0.05], 8760)).toBe(0);
    expect(annualizedVolatility([], 8760)).toBe(0);
  });
});
