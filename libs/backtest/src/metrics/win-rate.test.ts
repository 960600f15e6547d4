import { describe, it, expect } from 'vitest';
import { winRate } from './win-rate.js';

describe('winRate', () => {
  it('is the fraction of strictly positive PnLs', () => {
    expect(winRate([30, -10, 20, 0])).toBe(0.5); // 2 winners of 4; break-even is not a win
    expect(winRate([1, 2, 3])).toBe(1);
    expect(winRate([])).toBe(0);
  });
});
