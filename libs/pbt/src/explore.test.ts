import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@trading-ml/core';
import { explore, validateExploreOptions } from './explore.js';
import type { HyperparameterSpace } from './space.js';

const space: HyperparameterSpace = {
  lr: { kind: 'float', min: 0.001, max: 0.45, scale: 'log' },
  batch: { kind: 'int', min: 1, max: 32 },
  noise: { kind: 'choice', values: [0, 0.05, 0.2, 0.5] },
};
const perturbOnly = (factor: number) => ({ resampleProbability: 0, perturbationFactors: [factor] });

describe('explore', () => {
  it('perturbs a range value by the factor, and reports what it did per key', () => {
    const up = explore({ lr: 0.01, batch: 10, noise: 0.05 }, space, Rng.fromSeed(1), perturbOnly(1.2));
    expect(up.hyperparameters.lr).toBeCloseTo(0.012, 15); // 0.01 × 1.2
    expect(up.hyperparameters.batch).toBe(12); // round(10 × 1.2) = 12
    expect(up.operations.lr).toEqual({ kind: 'perturb', factor: 1.2, from: 0.01, to: up.hyperparameters.lr, clamped: false });
    expect(up.operations.batch).toEqual({ kind: 'perturb', factor: 1.2, from: 10, to: 12, clamped: false });
    expect(up.operations.noise!.kind).toBe('shift');
    const down = explore({ lr: 0.01, batch: 10, noise: 0.05 }, space, Rng.fromSeed(1), perturbOnly(0.8));
    expect(down.hyperparameters.lr).toBeCloseTo(0.008, 15); // 0.01 × 0.8
    expect(down.hyperparameters.batch).toBe(8); // round(10 × 0.8) = 8
  });

  it('clamps to the range and says so', () => {
    const r = explore({ lr: 0.44, batch: 30, noise: 0 }, space, Rng.fromSeed(2), perturbOnly(1.2));
    expect(r.hyperparameters.lr).toBe(0.45); // 0.528 clamped to max 0.45
    expect(r.operations.lr).toMatchObject({ kind: 'perturb', clamped: true, to: 0.45 });
    expect(r.hyperparameters.batch).toBe(32); // round(36) clamped to 32
  });

  it('keeps integers integer and moves them one unit when rounding would undo the perturbation', () => {
    // 2 × 1.2 = 2.4 → 2 would be no change: moves to 3. 2 × 0.8 = 1.6 → 2: moves to 1. 1 × 0.8 → 0, clamped to 1.
    expect(explore({ lr: 0.01, batch: 2, noise: 0 }, space, Rng.fromSeed(3), perturbOnly(1.2)).hyperparameters.batch).toBe(3);
    expect(explore({ lr: 0.01, batch: 2, noise: 0 }, space, Rng.fromSeed(3), perturbOnly(0.8)).hyperparameters.batch).toBe(1);
    const low = explore({ lr: 0.01, batch: 1, noise: 0 }, space, Rng.fromSeed(3), perturbOnly(0.8));
    expect(low.hyperparameters.batch).toBe(1);
    expect(low.operations.batch).toMatchObject({ clamped: true });
  });

  it('moves a choice to a neighbour, staying put at either end of the list', () => {
    const seen = new Set<number>();
    const rng = Rng.fromSeed(4);
    for (let i = 0; i < 200; i++) {
      const r = explore({ lr: 0.01, batch: 4, noise: 0.05 }, space, rng, perturbOnly(1));
      seen.add(r.hyperparameters.noise as number);
      const op = r.operations.noise!;
      expect(op.kind).toBe('shift');
      if (op.kind === 'shift') expect(r.hyperparameters.noise).toBe(op.direction === -1 ? 0 : 0.2);
    }
    expect([...seen].sort()).toEqual([0, 0.2]);
    for (let i = 0; i < 50; i++) {
      const r = explore({ lr: 0.01, batch: 4, noise: 0.5 }, space, rng, perturbOnly(1));
      const op = r.operations.noise!;
      if (op.kind === 'shift') expect(r.hyperparameters.noise).toBe(op.direction === 1 ? 0.5 : 0.2);
    }
  });

  it('resamples with probability resampleProbability, and always when the value is not a listed choice', () => {
    const rng = Rng.fromSeed(5);
    let resampled = 0;
    let up = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const r = explore({ lr: 0.01, batch: 4, noise: 7 }, space, rng, { resampleProbability: 0.25, perturbationFactors: [0.8, 1.2] });
      expect(r.operations.noise!.kind).toBe('resample'); // 7 is not a choice
      if (r.operations.lr!.kind === 'resample') resampled += 1;
      else if (r.operations.lr!.kind === 'perturb' && r.operations.lr!.factor === 1.2) up += 1;
    }
    // Binomial(4000, 0.25): sd = sqrt(4000 · 0.25 · 0.75) = 27.4; 4 sd = 110.
    expect(Math.abs(resampled - 1000)).toBeLessThan(110);
    // Of the ~3000 perturbations, half use 1.2: sd = sqrt(3000 · 0.25) = 27.4.
    expect(Math.abs(up - (n - resampled) / 2)).toBeLessThan(110);
  });

  it('copies keys outside the space, never mutates its input, and is reproducible per seed', () => {
    const input = { lr: 0.01, batch: 4, noise: 0.2, tag: 'kept' };
    const copy = { ...input };
    const options = { resampleProbability: 0.25, perturbationFactors: [0.8, 1.2] };
    const a = explore(input, space, Rng.fromSeed(9), options);
    expect(input).toEqual(copy);
    expect(a.hyperparameters.tag).toBe('kept');
    expect(Object.keys(a.operations)).toEqual(['lr', 'batch', 'noise']);
    expect(explore(input, space, Rng.fromSeed(9), options)).toEqual(a);
  });
});

describe('validateExploreOptions', () => {
  it('quotes the bad value', () => {
    expect(() => validateExploreOptions({ resampleProbability: 1.5, perturbationFactors: [0.8] })).toThrow(/Invalid resampleProbability: got 1\.5, expected a probability in \[0, 1\]/);
    expect(() => validateExploreOptions({ resampleProbability: 0.2, perturbationFactors: [] })).toThrow(ConfigError);
    expect(() => validateExploreOptions({ resampleProbability: 0.2, perturbationFactors: [0.9, -1] })).toThrow(/Invalid perturbationFactors: got \[0\.9,-1\]/);
  });
});
