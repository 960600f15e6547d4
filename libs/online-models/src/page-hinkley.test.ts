import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@trading-ml/core';
import { PageHinkley } from './page-hinkley.js';
import { runEstimatorContract } from './contract.test-helper.js';

/** A stream whose mean jumps from 0 to 2 at index 30: the detector fires in the contract runs too. */
const shifted = (seed: number): number[] => {
  const rng = Rng.fromSeed(seed).derive('stream');
  return Array.from({ length: 60 }, (_, i) => rng.normal(i < 30 ? 0 : 2, 0.5));
};

runEstimatorContract('PageHinkley', {
  create: () => new PageHinkley({ threshold: 5, minObservations: 10 }),
  inputs: shifted,
  alter: (_x, rng) => rng.normal(-3, 1),
  step: (detector, x) => [detector.update(x), detector.statistic],
  peek: (detector) => [detector.driftDetected, detector.statistic, detector.nUpdates],
});

describe('PageHinkley', () => {
  it('matches a short sequence computed by hand (α = 1)', () => {
    // δ = 0.1, λ = 1, α = 1, m₀ = 0; x̄ₜ is the running mean, m⁺ₜ = m⁺ₜ₋₁ + (xₜ − x̄ₜ − δ), PH⁺ = m⁺ₜ − min m⁺.
    // t=1 x=0: x̄=0,   m⁺=−0.1,           min −0.1, PH⁺=0;     m⁻=0.1,  max 0.1,  PH⁻=0
    // t=2 x=0: x̄=0,   m⁺=−0.2,           min −0.2, PH⁺=0;     m⁻=0.2,  max 0.2,  PH⁻=0
    // t=3 x=1: x̄=1/3, m⁺=−0.2+2/3−0.1=11/30, PH⁺=11/30+0.2=17/30; m⁻=0.2+2/3+0.1=29/30=max, PH⁻=0
    // t=4 x=1: x̄=1/2, m⁺=11/30+0.5−0.1=23/30, PH⁺=29/30 (< 1, no alarm)
    // t=5 x=1: x̄=3/5, m⁺=23/30+0.4−0.1=32/30, PH⁺=38/30 > 1 → drift, then reset
    const detector = new PageHinkley({ delta: 0.1, threshold: 1, alpha: 1, minObservations: 1 });
    const expected = [0, 0, 17 / 30, 29 / 30];
    [0, 0, 1, 1].forEach((x, i) => {
      expect(detector.update(x)).toBe(false);
      expect(detector.statistic).toBeCloseTo(expected[i]!, 14);
    });
    expect(detector.update(1)).toBe(true);
    expect(detector.driftDetected).toBe(true);
    expect(detector.statistic).toBe(0); // reset
    expect(detector.update(1)).toBe(false);
    expect(detector.driftDetected).toBe(false);
  });

  it('matches a falling sequence with fading computed by hand (α = 0.5, mode down)', () => {
    // δ = 0, λ = 0.5, α = 0.5: m⁻ₜ = 0.5·m⁻ₜ₋₁ + (xₜ − x̄ₜ), PH⁻ = max m⁻ − m⁻ₜ.
    // t=1 x=2: x̄=2,   m⁻=0,                  max 0, PH⁻=0
    // t=2 x=2: x̄=2,   m⁻=0,                  PH⁻=0
    // t=3 x=0: x̄=4/3, m⁻=−4/3,               PH⁻=4/3 > 0.5, but t < minObservations = 4: no alarm
    // t=4 x=0: x̄=1,   m⁻=−2/3 − 1 = −5/3,    PH⁻=5/3 → drift
    const detector = new PageHinkley({ delta: 0, threshold: 0.5, alpha: 0.5, minObservations: 4, mode: 'down' });
    expect(detector.update(2)).toBe(false);
    expect(detector.update(2)).toBe(false);
    expect(detector.update(0)).toBe(false);
    expect(detector.statistic).toBeCloseTo(4 / 3, 14);
    expect(detector.update(0)).toBe(true);
    // 'up' mode ignores the same fall
    const upOnly = new PageHinkley({ delta: 0, threshold: 0.5, alpha: 0.5, minObservations: 4, mode: 'up' });
    expect([2, 2, 0, 0].map((x) => upOnly.update(x))).toEqual([false, false, false, false]);
  });

  it('fires soon after a mean shift and not on a long stationary seeded stream', () => {
    const rng = Rng.fromSeed(2024);
    const stationary = new PageHinkley();
    let falseAlarms = 0;
    // Noise sd 0.1 with δ = 0.005: the up-crossings of the faded sum have scale σ²/(2δ) = 1, far below λ = 50.
    for (let i = 0; i < 20_000; i++) if (stationary.update(rng.normal(0, 0.1))) falseAlarms++;
    expect(falseAlarms).toBe(0);

    const detector = new PageHinkley();
    const alarms: number[] = [];
    for (let i = 0; i < 2000; i++) if (detector.update(rng.normal(i < 1000 ? 0 : 0.5, 0.1))) alarms.push(i);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms[0]).toBeGreaterThanOrEqual(1000);
    // After the shift PH⁺ grows by ≈ 0.5·1000/(1000 + k) − δ per step, so it passes 50 after ≈ 110 steps.
    expect(alarms[0]).toBeLessThan(1150);
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => new PageHinkley({ delta: -1 })).toThrow(/delta: got -1/);
    expect(() => new PageHinkley({ threshold: 0 })).toThrow(/threshold: got 0/);
    expect(() => new PageHinkley({ alpha: 0 })).toThrow(/alpha: got 0/);
    expect(() => new PageHinkley({ alpha: 1.1 })).toThrow(ConfigError);
    expect(() => new PageHinkley({ minObservations: 0 })).toThrow(/minObservations: got 0/);
    expect(() => new PageHinkley({ mode: 'sideways' as never })).toThrow(/mode: got "sideways"/);
    expect(() => new PageHinkley().update(Number.POSITIVE_INFINITY)).toThrow(ConfigError);
  });

  it('rejects a snapshot that breaks an invariant of the cumulative sums on restore, naming the field', () => {
    const detector = new PageHinkley();
    [1, 2, 3].forEach((x) => detector.update(x));
    const snapshot = detector.snapshot();
    expect(() => detector.restore({ ...snapshot, count: 4 })).toThrow(/field "count" is 4, expected an integer in \[0, nUpdates = 3\]/);
    expect(() => detector.restore({ ...snapshot, minIncrease: snapshot.sumIncrease + 1 })).toThrow(/field "minIncrease"/);
    expect(() => detector.restore({ ...snapshot, maxDecrease: -1 })).toThrow(/field "maxDecrease"/);
    expect(() => detector.restore({ ...snapshot, mode: 'sideways' as never })).toThrow(/field "mode" is "sideways"/);
    expect(detector.snapshot()).toStrictEqual(snapshot);
  });
});
