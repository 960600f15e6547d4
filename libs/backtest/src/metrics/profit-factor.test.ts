import { describe, it, expect } from 'vitest';
import { profitFactor } from './profit-factor.js';

describe('profitFactor', () => {
  it('is gross profit / gross loss', () => {
    expect(profitFactor([30, -10, 20, -20])).toBeCloseTo(50 / 30, 15); // (30 + 20)/(10 + 20)
    expect(profitFactor([-5, 0, 2.5])).toBeCloseTo(0.5, 15); // 2.5/5
  });

  it('is +Infinity with profit and no loss, 0 with neither, 0 with only losses', () => {
    expect(profitFactor([5, 0])).toBe(Infinity);
    expect(profitFactor([])).toBe(0);
    expect(profitFactor([0, 0])).toBe(0);
    expect(profitFactor([-1])).toBe(0);
  });
});
