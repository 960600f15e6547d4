import { describe, it, expect } from 'vitest';
import { ConfigError, DataError, Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { assertPrefixInvariant, checkPrefixInvariance } from './prefix-invariance.js';
import { randomWalkBars } from './testing/bars.js';

const bars = randomWalkBars(Rng.fromSeed(7), 60);

/** Honest: the 5-bar mean of closes up to and including bar i. */
const honest = (series: readonly Bar[]) =>
  series.map((_, i) => {
    const window = series.slice(Math.max(0, i - 4), i + 1);
    return { mean: window.reduce((s, b) => s + b.close, 0) / window.length, long: true };
  });

/** Cheats: decides on whether the NEXT bar closes higher. */
const peeksAhead = (series: readonly Bar[]) => series.map((bar, i) => ((series[i + 1]?.close ?? bar.close) > bar.close ? 1 : 0));

describe('checkPrefixInvariance', () => {
  it('passes an honest decision function at every cut', () => {
    for (const cutIndex of [0, 1, 30, 59]) {
      expect(checkPrefixInvariance({ bars, decide: honest, cutIndex, rng: Rng.fromSeed(cutIndex) })).toEqual({ ok: true });
    }
  });

  it('catches a decision function that peeks at bars[i + 1]', () => {
    // find a cut where the next bar rose, so the cheat said 1 on the original bars and 0 once truncated
    const cutIndex = bars.findIndex((b, i) => i >= 20 && (bars[i + 1]?.close ?? 0) > b.close);
    const result = checkPrefixInvariance({ bars, decide: peeksAhead, cutIndex, rng: Rng.fromSeed(1) });
    expect(result.ok).toBe(false);
    expect(result.mismatch).toEqual({ index: cutIndex, time: bars[cutIndex]?.closeTime, before: 1, after: 0, variant: 'truncated' });
  });

  it('catches a function that normalises by a statistic of the whole series', () => {
    // divides by the highest close of the whole series: a future maximum leaks into every earlier decision
    const maxPeek = (series: readonly Bar[]) => {
      const top = Math.max(...series.map((b) => b.close));
      return series.map((b) => b.close / top);
    };
    const closes = bars.map((b) => b.close);
    expect(closes.indexOf(Math.max(...closes))).toBeGreaterThan(10); // the maximum lies after the cut
    const result = checkPrefixInvariance({ bars, decide: maxPeek, cutIndex: 10, rng: Rng.fromSeed(2) });
    expect(result.ok).toBe(false);
    expect(result.mismatch?.index).toBe(0);
  });

  it('catches a decision that depends on the series length', () => {
    const lengthAware = (series: readonly Bar[]) => series.map((_, i) => i / series.length);
    const result = checkPrefixInvariance({ bars, decide: lengthAware, cutIndex: 30, rng: Rng.fromSeed(3) });
    // index 0 gives 0 either way; index 1 gives 1/60 on the original bars and 1/31 once truncated after bar 30
    expect(result.mismatch).toMatchObject({ variant: 'truncated', index: 1, before: 1 / 60, after: 1 / 31 });
  });

  it('alters only bars after the cut, keeping times and valid OHLC; appends contiguous valid bars', () => {
    const seen: Array<readonly Bar[]> = [];
    checkPrefixInvariance({ bars, decide: (s) => (seen.push(s), honest(s)), cutIndex: 25, rng: Rng.fromSeed(4), appendCount: 5 });
    const [, truncated, altered, appended] = seen;
    expect(truncated).toHaveLength(26);
    expect(altered).toHaveLength(60);
    expect(appended).toHaveLength(65);
    altered?.forEach((bar, i) => {
      const original = bars[i] as Bar;
      if (i <= 25) expect(bar).toBe(original);
      else {
        expect(bar.close).not.toBe(original.close);
        expect([bar.openTime, bar.closeTime]).toEqual([original.openTime, original.closeTime]);
      }
    });
    for (const bar of [...(altered ?? []), ...(appended ?? [])]) {
      expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
      expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
    }
    appended?.slice(60).forEach((bar, k) => {
      expect(bar.openTime).toBe((appended[59 + k] as Bar).closeTime);
      expect(bar.closeTime - bar.openTime).toBe((bars[59] as Bar).closeTime - (bars[59] as Bar).openTime);
    });
  });

  it('validates cutIndex and appendCount', () => {
    expect(() => checkPrefixInvariance({ bars, decide: honest, cutIndex: 60, rng: Rng.fromSeed(1) })).toThrow(ConfigError);
    expect(() => checkPrefixInvariance({ bars, decide: honest, cutIndex: 1.5, rng: Rng.fromSeed(1) })).toThrow(/cutIndex/);
    expect(() => checkPrefixInvariance({ bars, decide: honest, cutIndex: 3, rng: Rng.fromSeed(1), appendCount: 0 })).toThrow(/appendCount/);
  });
});

describe('assertPrefixInvariant', () => {
  it('is silent for an honest function and throws DataError LOOKAHEAD for a cheat', () => {
    expect(() => assertPrefixInvariant({ bars, decide: honest, cutIndex: 40, rng: Rng.fromSeed(1) })).not.toThrow();
    const cutIndex = bars.findIndex((b, i) => i >= 20 && (bars[i + 1]?.close ?? 0) > b.close);
    let error: unknown;
    try {
      assertPrefixInvariant({ bars, decide: peeksAhead, cutIndex, rng: Rng.fromSeed(1) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('LOOKAHEAD');
    expect((error as Error).message).toContain(`decision ${cutIndex}`);
    expect((error as Error).message).toContain('truncated');
  });
});
