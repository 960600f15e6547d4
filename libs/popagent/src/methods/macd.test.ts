import { describe, expect, it } from 'vitest';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createMacdMethod } from './macd.js';

/** EMA with α = 2/(n+1) seeded by the first value (Appel's recursion; trading-signals' convention). */
function ema(values: readonly number[], n: number): number[] {
  const alpha = 2 / (n + 1);
  const out: number[] = [];
  values.forEach((v, i) => out.push(i === 0 ? v : alpha * v + (1 - alpha) * out[i - 1]!));
  return out;
}

describe('macd', () => {
  it('is the sign of MACD − signal once `slow` closes are seen', () => {
    const closes = [10, 11, 12, 11, 10, 9, 10, 12, 13, 12, 11, 10, 9, 8, 9];
    const [fast, slow, sig] = [2, 4, 3];
    const signals = signalsOf(createMacdMethod({ fast, slow, signal: sig }), barsFrom(closes));
    const emaFast = ema(closes, fast);
    const emaSlow = ema(closes, slow);
    // the signal line starts at the first MACD value, i.e. at index slow − 1
    const macdLine = closes.map((_, i) => emaFast[i]! - emaSlow[i]!).slice(slow - 1);
    const signalLine = ema(macdLine, sig);
    closes.forEach((_, i) => {
      if (i < slow - 1) expect(signals[i]).toBe(0);
      else expect(signals[i]).toBe(Math.sign(macdLine[i - slow + 1]! - signalLine[i - slow + 1]!) || 0);
    });
    expect(new Set(signals.slice(slow)).size).toBeGreaterThan(1);
  });
});
