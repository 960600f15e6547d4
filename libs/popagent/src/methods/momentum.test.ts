import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createMomentumMethod } from './momentum.js';

describe('momentum', () => {
  it('is the sign of close/close[−n] − 1, flat during warm-up', () => {
    // n = 2: closes 10, 11, 12, 11, 13, 11 → ROC from index 2: 12/10−1 > 0, 11/11−1 = 0, 13/12−1 > 0, 11/11−1 = 0
    const signals = signalsOf(createMomentumMethod({ period: 2 }), barsFrom([10, 11, 12, 11, 13, 11]));
    expect(signals).toEqual([0, 0, 1, 0, 1, 0]);
    const falling = signalsOf(createMomentumMethod({ period: 2 }), barsFrom([10, 11, 9]));
    expect(falling[2]).toBe(-1); // 9/10 − 1 < 0
  });

  it('matches the sign of the n-bar return on random series (brute force)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 6, maxLength: 40 }), (closes) => {
        const n = 4;
        const signals = signalsOf(createMomentumMethod({ period: n }), barsFrom(closes));
        signals.forEach((s, i) => {
          const expected = i < n ? 0 : Math.sign((closes[i]! - closes[i - n]!) / closes[i - n]!);
          expect(s).toBe(expected === 0 ? 0 : expected); // normalises −0
        });
      }),
    );
  });
});
