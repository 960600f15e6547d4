import { describe, expect, it } from 'vitest';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createRsiMethod } from './rsi.js';

/** Wilder's RSI: first averages are the mean of the first n gains/losses, then avg ← avg + (x − avg)/n. */
function wilderRsi(closes: readonly number[], n: number): Array<number | null> {
  const out: Array<number | null> = [null];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i++) {
    const change = closes[i]! - closes[i - 1]!;
    const g = Math.max(change, 0);
    const l = Math.max(-change, 0);
    if (i < n) {
      gain += g;
      loss += l;
      out.push(null);
    } else if (i === n) {
      gain = (gain + g) / n;
      loss = (loss + l) / n;
      out.push(loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
    } else {
      gain += (g - gain) / n;
      loss += (l - loss) / n;
      out.push(loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
    }
  }
  return out;
}

describe('rsi', () => {
  it('maps Wilder RSI to clip((50 − RSI)/20)', () => {
    const closes = [44, 44.3, 44.1, 43.6, 44.3, 44.8, 45.1, 45.4, 45.8, 46.1, 45.9, 46.3, 45.6, 46.3, 46.3, 46.0];
    const n = 5;
    const signals = signalsOf(createRsiMethod({ period: n }), barsFrom(closes));
    const rsi = wilderRsi(closes, n);
    rsi.forEach((value, i) => {
      const expected = value === null ? 0 : Math.max(-1, Math.min(1, (50 - value) / 20));
      expect(signals[i]).toBeCloseTo(expected, 10);
    });
  });

  it('is fully long after only losses (RSI 0) and fully short after only gains (RSI 100)', () => {
    expect(signalsOf(createRsiMethod({ period: 2 }), barsFrom([10, 9, 8, 7])).at(-1)).toBe(1);
    expect(signalsOf(createRsiMethod({ period: 2 }), barsFrom([7, 8, 9, 10])).at(-1)).toBe(-1);
  });
});
