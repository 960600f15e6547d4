import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createMeanReversionMethod } from './meanReversion.js';

describe('meanReversion', () => {
  it('fades the z-score: closes 1, 2, 3 with n = 3 give −(1/√(2/3))/2', () => {
    // mean 2, population variance ((−1)² + 0 + 1²)/3 = 2/3, z = (3 − 2)/√(2/3) = 1.224745, signal −z/2
    const signals = signalsOf(createMeanReversionMethod({ period: 3, zFull: 2 }), barsFrom([1, 2, 3]));
    expect(signals[0]).toBe(0);
    expect(signals[1]).toBe(0);
    expect(signals[2]).toBeCloseTo(-1.224744871391589 / 2, 12);
  });

  it('is flat on a constant series (σ = 0) and clipped to [−1, 1]', () => {
    expect(signalsOf(createMeanReversionMethod({ period: 3 }), barsFrom([5, 5, 5, 5]))).toEqual([0, 0, 0, 0]);
    // closes 1, 1, 1, 1, 10 with n = 5: z = (10 − 2.8)/σ, σ = √(((−1.8)²·4 + 7.2²)/5) = 3.6, z = 2, zFull 1 → −1 (clipped from −2)
    const s = signalsOf(createMeanReversionMethod({ period: 5, zFull: 1 }), barsFrom([1, 1, 1, 1, 10]));
    expect(s[4]).toBe(-1);
  });

  it('equals the textbook z-score on random windows', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 5, maxLength: 30 }), (closes) => {
        const n = 5;
        const signals = signalsOf(createMeanReversionMethod({ period: n, zFull: 2 }), barsFrom(closes));
        for (let i = n - 1; i < closes.length; i++) {
          const window = closes.slice(i - n + 1, i + 1);
          const mean = window.reduce((a, b) => a + b, 0) / n;
          const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
          const expected = sd > 1e-9 ? Math.max(-1, Math.min(1, -((closes[i]! - mean) / sd) / 2)) : signals[i]!;
          expect(signals[i]).toBeCloseTo(expected, 6);
        }
      }),
    );
  });
});
