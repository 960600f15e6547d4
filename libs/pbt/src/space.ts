/**
 * Hyperparameter spaces: where each hyperparameter may live, how to draw it afresh (resample) and which values
 * are valid. Numeric spaces are ranges (linear or log scale, real or integer); categorical spaces are ordered
 * lists of choices, so "perturb" can move to a neighbouring choice the way Ray Tune treats a list.
 */
import { ConfigError } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';

/** A hyperparameter's value: a number for ranges, any of the listed values for choices. */
export type HyperparameterValue = number | string | boolean;

/** One member's hyperparameters, keyed by name. */
export type Hyperparameters = Readonly<Record<string, HyperparameterValue>>;

/** A real or integer range. `scale: 'log'` samples log-uniformly (needs min > 0), e.g. learning rates. */
export interface RangeSpace {
  readonly kind: 'float' | 'int';
  /** Smallest allowed value (included). */
  readonly min: number;
  /** Largest allowed value (included). */
  readonly max: number;
  /** 'linear' (default) samples uniformly on [min, max]; 'log' samples uniformly on [ln min, ln max]. */
  readonly scale?: 'linear' | 'log';
}

/** An ordered list of allowed values; perturbing moves to a neighbour in this order. */
export interface ChoiceSpace {
  readonly kind: 'choice';
  readonly values: readonly HyperparameterValue[];
}

/** The space of one hyperparameter. */
export type ParameterSpace = RangeSpace | ChoiceSpace;

/** The space of every hyperparameter PBT explores, keyed by name (key order is the order of exploration). */
export type HyperparameterSpace = Readonly<Record<string, ParameterSpace>>;

/**
 * Checks a hyperparameter space once, so that sampling and exploring never meet a malformed range.
 *
 * @param space - the space to check.
 * @param parameter - name used in error messages (e.g. 'hyperparameterSpace').
 * @returns nothing.
 * @throws ConfigError naming the key and the bad value: an empty space, a range with min > max or a non-finite
 *   bound, a log range with min ≤ 0, integer bounds that are not integers, an empty or duplicated choice list.
 * @example
 * validateSpace({ lr: { kind: 'float', min: 1e-4, max: 1e-1, scale: 'log' } }, 'hyperparameterSpace'); // ok
 */
export function validateSpace(space: HyperparameterSpace, parameter: string): void {
  const keys = Object.keys(space);
  if (keys.length === 0) throw new ConfigError({ parameter, value: space, expected: 'at least one hyperparameter' });
  for (const key of keys) {
    const s = space[key]!;
    const name = `${parameter}.${key}`;
    if (s.kind === 'choice') {
      if (!Array.isArray(s.values) || s.values.length === 0) {
        throw new ConfigError({ parameter: `${name}.values`, value: s.values, expected: 'a non-empty list of numbers, strings or booleans' });
      }
      if (new Set(s.values).size !== s.values.length) {
        throw new ConfigError({ parameter: `${name}.values`, value: s.values, expected: 'distinct values' });
      }
      continue;
    }
    if (s.kind !== 'float' && s.kind !== 'int') {
      throw new ConfigError({ parameter: `${name}.kind`, value: (s as { kind: unknown }).kind, expected: "'float', 'int' or 'choice'" });
    }
    if (!Number.isFinite(s.min) || !Number.isFinite(s.max) || s.min > s.max) {
      throw new ConfigError({ parameter: name, value: { min: s.min, max: s.max }, expected: 'finite bounds with min ≤ max' });
    }
    if (s.kind === 'int' && (!Number.isInteger(s.min) || !Number.isInteger(s.max))) {
      throw new ConfigError({ parameter: name, value: { min: s.min, max: s.max }, expected: 'integer bounds for an int space' });
    }
    if (s.scale !== undefined && s.scale !== 'linear' && s.scale !== 'log') {
      throw new ConfigError({ parameter: `${name}.scale`, value: s.scale, expected: "'linear' or 'log'" });
    }
    if (s.scale === 'log' && !(s.min > 0)) {
      throw new ConfigError({ parameter: `${name}.min`, value: s.min, expected: 'a positive lower bound for a log-scale space' });
    }
  }
}

/**
 * Draws a value from one parameter's space: uniform (or log-uniform) on a range, rounded for integers;
 * a uniformly chosen value from a choice list.
 *
 * @param space - a validated parameter space.
 * @param rng - the stream to draw from (one or two draws).
 * @returns a value inside the space.
 * @throws never for a validated space.
 * @example
 * sampleParameter({ kind: 'int', min: 1, max: 3 }, Rng.fromSeed(1)); // 1, 2 or 3
 */
export function sampleParameter(space: ParameterSpace, rng: Rng): HyperparameterValue {
  if (space.kind === 'choice') return space.values[rng.int(0, space.values.length - 1)]!;
  if (space.kind === 'int' && space.scale !== 'log') return rng.int(space.min, space.max);
  const u = rng.float();
  const value = space.scale === 'log' ? Math.exp(Math.log(space.min) + u * (Math.log(space.max) - Math.log(space.min))) : space.min + u * (space.max - space.min);
  return space.kind === 'int' ? clamp(Math.round(value), space.min, space.max) : clamp(value, space.min, space.max);
}

/**
 * Draws a full set of hyperparameters, one value per key in the space's key order.
 *
 * @param space - a validated space.
 * @param rng - the stream to draw from.
 * @returns a new hyperparameter object.
 * @throws never for a validated space.
 * @example
 * sampleHyperparameters({ lr: { kind: 'float', min: 0.01, max: 0.1 } }, Rng.fromSeed(3)); // { lr: 0.0… }
 */
export function sampleHyperparameters(space: HyperparameterSpace, rng: Rng): Record<string, HyperparameterValue> {
  const out: Record<string, HyperparameterValue> = {};
  for (const key of Object.keys(space)) out[key] = sampleParameter(space[key]!, rng);
  return out;
}

/**
 * Checks that a member's hyperparameters cover the space and lie inside it (a hand-given initial population).
 *
 * @param hyperparameters - the values to check; keys outside the space are allowed and left untouched by PBT.
 * @param space - a validated space.
 * @param parameter - name used in error messages, e.g. 'population[2]'.
 * @returns nothing.
 * @throws ConfigError naming the key, the value and the allowed range or choices.
 * @example
 * validateHyperparameters({ lr: 0.5 }, { lr: { kind: 'float', min: 0, max: 1 } }, 'population[0]'); // ok
 */
export function validateHyperparameters(hyperparameters: Hyperparameters, space: HyperparameterSpace, parameter: string): void {
  for (const key of Object.keys(space)) {
    const s = space[key]!;
    const value = hyperparameters[key];
    const name = `${parameter}.${key}`;
    if (s.kind === 'choice') {
      if (value === undefined || !s.values.includes(value)) {
        throw new ConfigError({ parameter: name, value, expected: `one of ${JSON.stringify(s.values)}` });
      }
    } else if (typeof value !== 'number' || !(value >= s.min && value <= s.max) || (s.kind === 'int' && !Number.isInteger(value))) {
      throw new ConfigError({ parameter: name, value, expected: `${s.kind === 'int' ? 'an integer' : 'a number'} in [${s.min}, ${s.max}]` });
    }
  }
}

/** `value` limited to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
