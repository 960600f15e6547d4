import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, StateError } from '@trading-ml/core';
import { RegimeBaseline } from './regime-baseline.js';
import type { RegimeBaselineState } from './regime-baseline.js';

describe('RegimeBaseline', () => {
  it('tracks hard regimes as one exponential moving average each (hand-computed)', () => {
    const baseline = new RegimeBaseline({ nRegimes: 3, learningRate: 0.1 });
    // regime 0: b ← 0 + 0.1·(1 − 0) = 0.1, then 0.1 + 0.1·(0.5 − 0.1) = 0.14; regime 2: 0 + 0.1·(−1 − 0) = −0.1
    expect(baseline.advantage(1, 0)).toBe(1);
    baseline.update(1, 0);
    expect(baseline.advantage(0.5, 0)).toBeCloseTo(0.4, 15);
    baseline.update(0.5, 0);
    baseline.update(-1, 2);
    expect(baseline.baselines()[0]).toBeCloseTo(0.14, 15);
    expect(baseline.baselines()[1]).toBe(0);
    expect(baseline.baselines()[2]).toBeCloseTo(-0.1, 15);
    expect(baseline.baseline(0)).toBeCloseTo(0.14, 15);
    expect(baseline.advantage(0.2, 0)).toBeCloseTo(0.06, 15);
  });

  it('weights soft regimes by their probabilities (hand-computed)', () => {
    const baseline = new RegimeBaseline({ nRegimes: 3, learningRate: 0.5 });
    // update(1, [0.5, 0.5, 0]): b₀ = b₁ = 0 + 0.5·0.5·(1 − 0) = 0.25, b₂ stays 0
    baseline.update(1, [0.5, 0.5, 0]);
    expect(baseline.baselines()).toEqual([0.25, 0.25, 0]);
    // baseline([0.2, 0.3, 0.5]) = 0.2·0.25 + 0.3·0.25 + 0.5·0 = 0.125; advantage of reward 1 = 0.875
    expect(baseline.baseline([0.2, 0.3, 0.5])).toBeCloseTo(0.125, 15);
    expect(baseline.advantage(1, [0.2, 0.3, 0.5])).toBeCloseTo(0.875, 15);
    // update(−1, [0, 0.2, 0.8]): b₁ = 0.25 + 0.5·0.2·(−1 − 0.25) = 0.125; b₂ = 0 + 0.5·0.8·(−1 − 0) = −0.4
    baseline.update(-1, Float64Array.of(0, 0.2, 0.8));
    const b = baseline.baselines();
    expect(b[0]).toBe(0.25);
    expect(b[1]).toBeCloseTo(0.125, 15);
    expect(b[2]).toBeCloseTo(-0.4, 15);
  });

  it('treats a one-hot probability vector exactly like the hard index', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.double({ min: -10, max: 10, noNaN: true })), { maxLength: 40 }), (script) => {
        const hard = new RegimeBaseline({ nRegimes: 4, learningRate: 0.2 });
        const soft = new RegimeBaseline({ nRegimes: 4, learningRate: 0.2 });
        for (const [regime, reward] of script) {
          const oneHot = [0, 0, 0, 0];
          oneHot[regime] = 1;
          expect(soft.advantage(reward, oneHot)).toBe(hard.advantage(reward, regime));
          hard.update(reward, regime);
          soft.update(reward, oneHot);
        }
        expect(soft.baselines()).toEqual(hard.baselines());
      }),
    );
  });

  it('keeps the mixed baseline between the smallest and largest regime baseline', () => {
    const probabilities = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }).filter((p) => p.reduce((s, x) => s + x, 0) > 0.1).map((p) => {
      const sum = p.reduce((s, x) => s + x, 0);
      return p.map((x) => x / sum);
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), probabilities), { minLength: 1, maxLength: 30 }), probabilities, (script, query) => {
        const baseline = new RegimeBaseline({ nRegimes: 3, learningRate: 0.3 });
        for (const [reward, p] of script) baseline.update(reward, p);
        const b = baseline.baselines();
        const value = baseline.baseline(query);
        expect(value).toBeGreaterThanOrEqual(Math.min(...b) - 1e-12);
        expect(value).toBeLessThanOrEqual(Math.max(...b) + 1e-12);
      }),
    );
  });

  it('does not change state in advantage() or baseline(), nor mutate the probabilities', () => {
    const baseline = new RegimeBaseline({ nRegimes: 2, learningRate: 0.3, initialBaseline: 0.1 });
    const p = Float64Array.of(0.4, 0.6);
    baseline.advantage(2, p);
    baseline.baseline(p);
    expect(baseline.baselines()).toEqual([0.1, 0.1]);
    baseline.update(2, p);
    expect(Array.from(p)).toEqual([0.4, 0.6]);
  });

  it('continues identically after snapshot → JSON → restore', () => {
    const original = new RegimeBaseline({ nRegimes: 3, learningRate: 0.2 });
    original.update(0.3, [0.1, 0.2, 0.7]);
    const copy = new RegimeBaseline({ nRegimes: 3, learningRate: 0.9 });
    copy.update(5, 1);
    const state = JSON.parse(JSON.stringify(original.snapshot())) as RegimeBaselineState;
    copy.restore(state);
    for (const b of [original, copy]) b.update(-0.2, [0.5, 0.25, 0.25]);
    expect(copy.snapshot()).toEqual(original.snapshot());
    state.baselines.fill(99); // the restored object keeps no reference to the snapshot
    expect(copy.baselines()).toEqual(original.baselines());
  });

  it('rejects malformed snapshots with StateError and keeps its state', () => {
    const baseline = new RegimeBaseline({ nRegimes: 3 });
    baseline.update(1, 2);
    const valid = baseline.snapshot();
    const before = baseline.snapshot();
    const bad: unknown[] = [
      null,
      {},
      { ...valid, kind: 'ucb1' },
      { ...valid, nRegimes: 2 },
      { ...valid, learningRate: 0 },
      { ...valid, learningRate: 'fast' },
      { ...valid, baselines: [0, 0] },
      { ...valid, baselines: [0, 0, null] },
    ];
    for (const state of bad) expect(() => baseline.restore(state as RegimeBaselineState)).toThrow(StateError);
    expect(() => baseline.restore({ ...valid, baselines: [0, 0] })).toThrow(/field "baselines" is \[0,0\], expected an array of 3 numbers/);
    expect(() => baseline.restore({ ...valid, learningRate: 0 })).toThrow(/field "learningRate" is 0, expected a number in \(0, 1\]/);
    expect(baseline.snapshot()).toEqual(before);
  });

  it('rejects bad regimes, rewards and options with a ConfigError naming the value', () => {
    const baseline = new RegimeBaseline({ nRegimes: 3 });
    expect(() => baseline.baseline(3)).toThrow(/Invalid regime: got 3/);
    expect(() => baseline.baseline(-1)).toThrow(ConfigError);
    expect(() => baseline.baseline(1.5)).toThrow(ConfigError);
    expect(() => baseline.baseline([0.5, 0.5])).toThrow(/Invalid regimeProbabilities: got \[0.5,0.5\]/);
    expect(() => baseline.baseline([0.5, 0.6, -0.1])).toThrow(/Invalid regimeProbabilities\[2\]: got -0.1/);
    expect(() => baseline.baseline([0.5, 0.6, 0.1])).toThrow(/summing to 1/);
    expect(() => baseline.baseline([0.5, Number.NaN, 0.5])).toThrow(ConfigError);
    expect(() => baseline.update(Number.NaN, 0)).toThrow(/Invalid reward/);
    expect(() => baseline.advantage(Infinity, 0)).toThrow(/Invalid reward/);
    expect(() => new RegimeBaseline({ nRegimes: 0 })).toThrow(/Invalid nRegimes: got 0/);
    expect(() => new RegimeBaseline({ nRegimes: 3, learningRate: 1.5 })).toThrow(/Invalid learningRate: got 1.5/);
    expect(() => new RegimeBaseline({ nRegimes: 3, initialBaseline: Number.NaN })).toThrow(/Invalid initialBaseline/);
  });
});
