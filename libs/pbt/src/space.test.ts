import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@trading-ml/core';
import { sampleHyperparameters, sampleParameter, validateHyperparameters, validateSpace } from './space.js';
import type { HyperparameterSpace } from './space.js';

describe('validateSpace', () => {
  it('rejects malformed spaces with the key, the bad value and what was expected', () => {
    const bad: Array<[HyperparameterSpace, RegExp]> = [
      [{}, /Invalid space: got \{\}, expected at least one hyperparameter/],
      [{ lr: { kind: 'float', min: 0, max: 1, scale: 'log' } }, /Invalid space\.lr\.min: got 0, expected a positive lower bound/],
      [{ lr: { kind: 'float', min: 2, max: 1 } }, /Invalid space\.lr: got \{"min":2,"max":1\}, expected finite bounds with min ≤ max/],
      [{ n: { kind: 'int', min: 0.5, max: 3 } }, /Invalid space\.n: .* expected integer bounds/],
      [{ c: { kind: 'choice', values: [] } }, /Invalid space\.c\.values: got \[\], expected a non-empty list/],
      [{ c: { kind: 'choice', values: ['a', 'a'] } }, /expected distinct values/],
      [{ x: { kind: 'nope' } as never }, /Invalid space\.x\.kind: got "nope"/],
    ];
    for (const [space, message] of bad) {
      expect(() => validateSpace(space, 'space')).toThrow(ConfigError);
      expect(() => validateSpace(space, 'space')).toThrow(message);
    }
  });
});

describe('sampleParameter', () => {
  it('stays inside linear, log and integer ranges and hits every integer of a small range', () => {
    const rng = Rng.fromSeed(5);
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const f = sampleParameter({ kind: 'float', min: -1, max: 3 }, rng) as number;
      expect(f).toBeGreaterThanOrEqual(-1);
      expect(f).toBeLessThanOrEqual(3);
      const l = sampleParameter({ kind: 'float', min: 1e-4, max: 1e-1, scale: 'log' }, rng) as number;
      expect(l).toBeGreaterThanOrEqual(1e-4);
      expect(l).toBeLessThanOrEqual(1e-1);
      const n = sampleParameter({ kind: 'int', min: 2, max: 5 }, rng) as number;
      expect(Number.isInteger(n)).toBe(true);
      ints.add(n);
      const nl = sampleParameter({ kind: 'int', min: 1, max: 1000, scale: 'log' }, rng) as number;
      expect(Number.isInteger(nl) && nl >= 1 && nl <= 1000).toBe(true);
    }
    expect([...ints].sort()).toEqual([2, 3, 4, 5]);
  });

  it('samples a log-scale range log-uniformly: ln x has the mean and variance of U(ln min, ln max)', () => {
    // ln x ~ U(ln 1e-4, ln 1e-1): mean = (ln 1e-4 + ln 1e-1)/2 = -5.7565, variance = (ln 1000)²/12 = 3.9772.
    const rng = Rng.fromSeed(11);
    const logs = Array.from({ length: 20_000 }, () => Math.log(sampleParameter({ kind: 'float', min: 1e-4, max: 1e-1, scale: 'log' }, rng) as number));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1);
    // Standard error of the mean: sqrt(3.9772 / 20000) = 0.0141; 4 standard errors.
    expect(Math.abs(mean + 5.7565)).toBeLessThan(0.057);
    expect(Math.abs(variance - Math.log(1000) ** 2 / 12)).toBeLessThan(0.12);
  });

  it('is reproducible: the same seed draws the same hyperparameters', () => {
    const space: HyperparameterSpace = { lr: { kind: 'float', min: 0.01, max: 1 }, k: { kind: 'choice', values: ['a', 'b', 'c'] } };
    expect(sampleHyperparameters(space, Rng.fromSeed(3))).toEqual(sampleHyperparameters(space, Rng.fromSeed(3)));
    expect(sampleHyperparameters(space, Rng.fromSeed(3))).not.toEqual(sampleHyperparameters(space, Rng.fromSeed(4)));
  });
});

describe('validateHyperparameters', () => {
  const space: HyperparameterSpace = { lr: { kind: 'float', min: 0, max: 1 }, n: { kind: 'int', min: 1, max: 4 }, c: { kind: 'choice', values: ['x', 'y'] } };
  it('accepts values inside the space and extra keys', () => {
    expect(() => validateHyperparameters({ lr: 0.5, n: 2, c: 'y', other: 'kept' }, space, 'population[0]')).not.toThrow();
  });
  it('names the member and key of an out-of-space value', () => {
    expect(() => validateHyperparameters({ lr: 1.5, n: 2, c: 'x' }, space, 'population[1]')).toThrow(/Invalid population\[1\]\.lr: got 1\.5, expected a number in \[0, 1\]/);
    expect(() => validateHyperparameters({ lr: 0.5, n: 2.5, c: 'x' }, space, 'population[1]')).toThrow(/population\[1\]\.n: got 2\.5, expected an integer in \[1, 4\]/);
    expect(() => validateHyperparameters({ lr: 0.5, n: 2, c: 'z' }, space, 'population[1]')).toThrow(/population\[1\]\.c: got "z", expected one of \["x","y"\]/);
  });
});
