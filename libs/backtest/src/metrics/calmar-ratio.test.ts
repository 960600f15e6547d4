import { describe, it, expect } from 'vitest';
import { calmarRatio } from './calmar-ratio.js';

describe('calmarRatio', () => {
  it('is CAGR / maxDrawdown', () => {
    // CAGR over 2 yearly periods: √(121/100) − 1 = 0.1; drawdown (100 − 80)/100 = 0.2; ratio 0.5
    expect(calmarRatio([100, 80, 121], 1)).toBeCloseTo(0.5, 12);
    // CAGR: 2 periods = 1 year at 2/year: 90/100 − 1 = −0.1; drawdown (120 − 90)/120 = 0.25; ratio −0.4
    expect(calmarRatio([100, 120, 90], 2)).toBeCloseTo(-0.4, 12);
  });

  it('is +Infinity with growth and no drawdown, 0 with neither', () => {
    expect(calmarRatio([100, 110], 1)).toBe(Infinity);
    expect(calmarRatio([100, 100], 1)).toBe(0);
  });
});
