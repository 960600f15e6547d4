/**
 * PBT's explore step: after a member copied a better member (exploit), each hyperparameter is either resampled
 * from its space or perturbed near the copied value, so the population keeps searching around what works.
 */
import { ConfigError } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';
import { clamp, sampleParameter } from './space.js';
import type { HyperparameterSpace, HyperparameterValue, Hyperparameters } from './space.js';

/** What explore did to one hyperparameter. */
export type ExploreOperation =
  /** Drawn afresh from the space (probability `resampleProbability`, or the old value was not a valid choice). */
  | { readonly kind: 'resample'; readonly from: HyperparameterValue; readonly to: HyperparameterValue }
  /** A range value multiplied by `factor`, then rounded (int) and clamped (`clamped` says whether a bound hit). */
  | { readonly kind: 'perturb'; readonly factor: number; readonly from: number; readonly to: number; readonly clamped: boolean }
  /** A choice moved to its neighbour (`direction` −1 / +1); at either end of the list it stays put. */
  | { readonly kind: 'shift'; readonly direction: -1 | 1; readonly from: HyperparameterValue; readonly to: HyperparameterValue };

/** Settings of the explore step. */
export interface ExploreOptions {
  /** Probability in [0, 1] of resampling a hyperparameter instead of perturbing it (Ray's default 0.25). */
  readonly resampleProbability: number;
  /** Multipliers for perturbing a range value, one picked uniformly per key (Ray's default [0.8, 1.2]). */
  readonly perturbationFactors: readonly number[];
}

/** The outcome of {@link explore}: new hyperparameters and, per explored key, what was done. */
export interface ExploreResult {
  readonly hyperparameters: Record<string, HyperparameterValue>;
  readonly operations: Readonly<Record<string, ExploreOperation>>;
}

/**
 * Checks the explore settings.
 *
 * @param options - the settings to check.
 * @returns nothing.
 * @throws ConfigError quoting the bad value: `resampleProbability` outside [0, 1], `perturbationFactors`
 *   empty or holding a non-positive or non-finite factor.
 * @example
 * validateExploreOptions({ resampleProbability: 0.25, perturbationFactors: [0.8, 1.2] }); // ok
 */
export function validateExploreOptions(options: ExploreOptions): void {
  const p = options.resampleProbability;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ConfigError({ parameter: 'resampleProbability', value: p, expected: 'a probability in [0, 1]' });
  }
  const factors = options.perturbationFactors;
  if (!Array.isArray(factors) || factors.length === 0 || factors.some((f) => typeof f !== 'number' || !Number.isFinite(f) || f <= 0)) {
    throw new ConfigError({ parameter: 'perturbationFactors', value: factors, expected: 'a non-empty list of positive finite multipliers, e.g. [0.8, 1.2]' });
  }
}

/**
 * Explores around `hyperparameters` (usually just copied from a top member), key by key in the space's order.
 * A range value is resampled with probability `resampleProbability`, otherwise multiplied by a factor drawn
 * uniformly from `perturbationFactors`, then clamped to the range; an int value is rounded, and when rounding
 * would undo the perturbation (2 × 1.2 → 2) it moves one unit in the factor's direction so integers do not get
 * stuck. A choice is resampled with the same probability (or when the value is not a listed choice), otherwise
 * shifted to the previous or next choice with equal odds. Keys outside the space are copied unchanged.
 *
 * @param hyperparameters - the values to explore from (not mutated).
 * @param space - a validated space.
 * @param rng - the decision stream (per key: one draw to decide, one or two to act).
 * @param options - resample probability and perturbation factors (validated).
 * @returns the new hyperparameters and the operation done on every key of the space.
 * @throws never for validated inputs.
 * @see M. Jaderberg et al. (2017), "Population Based Training of Neural Networks", arXiv:1711.09846, §3.1
 *   ("perturb" explore); Ray Tune `python/ray/tune/schedulers/pbt.py`, `_explore`.
 * @example
 * const { hyperparameters, operations } = explore({ lr: 0.01 }, { lr: { kind: 'float', min: 1e-4, max: 1, scale: 'log' } },
 *   Rng.fromSeed(1), { resampleProbability: 0.25, perturbationFactors: [0.8, 1.2] });
 * // e.g. hyperparameters.lr === 0.012, operations.lr → { kind: 'perturb', factor: 1.2, from: 0.01, to: 0.012, clamped: false }
 */
export function explore(hyperparameters: Hyperparameters, space: HyperparameterSpace, rng: Rng, options: ExploreOptions): ExploreResult {
  const next: Record<string, HyperparameterValue> = { ...hyperparameters };
  const operations: Record<string, ExploreOperation> = {};
  for (const key of Object.keys(space)) {
    const s = space[key]!;
    const from = hyperparameters[key]!;
    const resample = rng.float() < options.resampleProbability;
    if (s.kind === 'choice') {
      const index = s.values.indexOf(from);
      if (resample || index < 0) {
        next[key] = sampleParameter(s, rng);
        operations[key] = { kind: 'resample', from, to: next[key] };
      } else {
        const direction: -1 | 1 = rng.float() < 0.5 ? -1 : 1;
        next[key] = s.values[clamp(index + direction, 0, s.values.length - 1)]!;
        operations[key] = { kind: 'shift', direction, from, to: next[key] };
      }
      continue;
    }
    if (resample || typeof from !== 'number') {
      next[key] = sampleParameter(s, rng);
      operations[key] = { kind: 'resample', from, to: next[key] };
      continue;
    }
    const factor = options.perturbationFactors[rng.int(0, options.perturbationFactors.length - 1)]!;
    let raw = from * factor;
    if (s.kind === 'int') {
      raw = Math.round(raw);
      if (raw === from && factor !== 1) raw = from + (factor > 1 ? 1 : -1);
    }
    const to = clamp(raw, s.min, s.max);
    next[key] = to;
    operations[key] = { kind: 'perturb', factor, from, to, clamped: to !== raw };
  }
  return { hyperparameters: next, operations };
}
