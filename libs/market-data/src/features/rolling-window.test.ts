import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import { RollingWindow, pearson, sampleStd } from './rolling-window.js';

describe('RollingWindow', () => {
  it('keeps the newest `capacity` values; ago(0) is the newest', () => {
    const window = new RollingWindow<number>(3);
    for (const v of [1, 2, 3, 4, 5]) window.push(v);
    expect(window.length).toBe(3);
    expect([window.ago(0), window.ago(1), window.ago(2)]).toEqual([5, 4, 3]);
    expect(window.last(2)).toEqual([4, 5]);
    expect(() => window.ago(3)).toThrow(RangeError);
    expect(() => window.last(4)).toThrow(RangeError);
  });

  it('property: matches a plain array slice after any number of pushes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer(), { maxLength: 200 }), (capacity, values) => {
        const window = new RollingWindow<number>(capacity);
        values.forEach((v) => window.push(v));
        const expected = values.slice(-capacity);
        expect(window.last(window.length)).toEqual(expected);
      }),
    );
  });
});

describe('sampleStd / pearson', () => {
  it('agree with simple-statistics', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 3, maxLength: 50 }), (pairs) => {
        const x = pairs.map((p) => p[0]);
        const y = pairs.map((p) => p[1]);
        expect(sampleStd(x)).toBeCloseTo(sampleStandardDeviation(x), 9);
        const sx = sampleStandardDeviation(x);
        const sy = sampleStandardDeviation(y);
        if (sx > 1e-6 && sy > 1e-6) expect(pearson(x, y)).toBeCloseTo(sampleCorrelation(x, y), 9);
      }),
    );
  });

  it('returns 0 for degenerate samples', () => {
    expect(sampleStd([1])).toBe(0);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});
