import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topK } from './top-k.js';

describe('topK', () => {
  it('equals a full sort by (score descending, index ascending), cut at k', () => {
    const scores = fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true })), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(scores, fc.nat(), (values, kSeed) => {
        const k = 1 + (kSeed % values.length);
        const taken = new Uint8Array(values.length);
        const reference = values
          .map((score, index) => ({ score, index }))
          .sort((a, b) => (b.score > a.score ? 1 : b.score < a.score ? -1 : a.index - b.index))
          .slice(0, k)
          .map(({ index }) => index);
        expect(topK(Float64Array.from(values), k, taken)).toEqual(reference);
        expect(Array.from(taken).every((flag) => flag === 0)).toBe(true); // scratch handed back clean
      }),
    );
  });

  it('ranks NaN below every number', () => {
    expect(topK(Float64Array.of(Number.NaN, -Infinity, 2), 3, new Uint8Array(3))).toEqual([2, 1, 0]);
  });
});
