import { describe, it, expect } from 'vitest';
import { DataError } from '@trading-ml/core';
import { simpleReturns } from './simple-returns.js';

describe('simpleReturns', () => {
  it('computes E_t/E_{t−1} − 1', () => {
    // 110/100 − 1 = 0.1; 99/110 − 1 = −0.1; 99/99 − 1 = 0
    const r = simpleReturns([100, 110, 99, 99]);
    expect(r).toHaveLength(3);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(-0.1, 15);
    expect(r[2]).toBe(0);
  });

  it('is empty for fewer than two points', () => {
    expect(simpleReturns([])).toEqual([]);
    expect(simpleReturns([5])).toEqual([]);
  });

  it('rejects a non-positive denominator or a non-finite value', () => {
    expect(() => simpleReturns([100, 0, 50])).toThrow(DataError);
    expect(() => simpleReturns([100, Number.NaN])).toThrow(/equity\[1\]/);
  });
});
