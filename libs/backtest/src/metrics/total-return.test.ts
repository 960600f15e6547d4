import { describe, it, expect } from 'vitest';
import { DataError } from '@trading-ml/core';
import { totalReturn } from './total-return.js';

describe('totalReturn', () => {
  it('is E_last/E_first − 1', () => {
    expect(totalReturn([100, 90, 125])).toBeCloseTo(0.25, 15); // 125/100 − 1
    expect(totalReturn([200, 150])).toBeCloseTo(-0.25, 15); // 150/200 − 1
    expect(totalReturn([42])).toBe(0);
  });

  it('rejects an empty curve with DATA_MISSING', () => {
    expect(() => totalReturn([])).toThrow(DataError);
    try {
      totalReturn([]);
    } catch (e) {
      expect((e as DataError).code).toBe('DATA_MISSING');
    }
  });
});
