import { describe, expect, it } from 'vitest';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createAdxTrendMethod } from './adxTrend.js';

/**
 * Wilder's ADX written out: +DM/−DM and TR, Wilder-smoothed (first value = mean of n, then s ← s + (x − s)/n),
 * DI = smoothed DM / smoothed TR, DX = 100·|+DI − −DI|/(+DI + −DI), ADX = Wilder smoothing of DX.
 */
function wilderAdx(highs: number[], lows: number[], closes: number[], n: number) {
  const smooth = () => {
    let count = 0;
    let value = 0;
    return (x: number): number | null => {
      count++;
      if (count < n) {
        value += x;
        return null;
      }
      value = count === n ? (value + x) / n : value + (x - value) / n;
      return value;
    };
  };
  const [sp, sm, st, sa] = [smooth(), smooth(), smooth(), smooth()];
  const out: Array<{ adx: number; pdi: number; mdi: number } | null> = [];
  for (let i = 0; i < closes.length; i++) {
    const tr = i === 0 ? highs[0]! - lows[0]! : Math.max(highs[i]! - lows[i]!, Math.abs(highs[i]! - closes[i - 1]!), Math.abs(lows[i]! - closes[i - 1]!));
    const up = i === 0 ? 0 : highs[i]! - highs[i - 1]!;
    const down = i === 0 ? 0 : lows[i - 1]! - lows[i]!;
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    const [p, m, t] = [sp(pdm), sm(mdm), st(tr)];
    if (p === null || m === null || t === null || i === 0) {
      out.push(null);
      continue;
    }
    const pdi = p / t;
    const mdi = m / t;
    const dx = pdi + mdi === 0 ? 0 : (100 * Math.abs(pdi - mdi)) / (pdi + mdi);
    const adx = sa(dx);
    out.push(adx === null ? null : { adx, pdi, mdi });
  }
  return out;
}

describe('adxTrend', () => {
  it('trades the DI direction only when ADX ≥ threshold, like Wilder ADX written out', () => {
    const closes = [10, 10.5, 11, 11.6, 12, 12.5, 13.1, 13.4, 13, 12.4, 11.8, 11.2, 10.6, 10.1, 9.7, 10, 10.3, 10.1, 10.4, 10.2];
    const highs = closes.map((c, i) => Math.max(c, closes[i - 1] ?? c) + 0.2);
    const lows = closes.map((c, i) => Math.min(c, closes[i - 1] ?? c) - 0.2);
    const n = 3;
    const threshold = 30;
    const signals = signalsOf(createAdxTrendMethod({ period: n, threshold }), barsFrom(closes, highs, lows));
    const reference = wilderAdx(highs, lows, closes, n);
    let checked = 0;
    reference.forEach((r, i) => {
      if (r === null) return;
      checked++;
      expect(signals[i]).toBe(r.adx >= threshold ? Math.sign(r.pdi - r.mdi) || 0 : 0);
    });
    expect(checked).toBeGreaterThan(10);
    expect(signals).toContain(1);
    expect(signals).toContain(-1);
  });
});
