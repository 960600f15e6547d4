/**
 * The PBT search space of PopAgent: `TUNABLE_HYPERPARAMETERS` of the popagent library in the shape of
 * `@trading-ml/pbt`'s hyperparameter space, and the way back from a member's hyperparameters to a partial
 * PopAgentConfig. PopAgent writes integer ranges as `scale: 'int'`; the PBT library writes `kind: 'int'` (and
 * keeps `scale` for linear / log), so this file is the one place that maps between the two.
 */
import { TUNABLE_HYPERPARAMETERS } from '@trading-ml/popagent';
import type { PopAgentConfig, TunableHyperparameters } from '@trading-ml/popagent';
import type { HyperparameterSpace, Hyperparameters, RangeSpace } from '@trading-ml/pbt';
import { ConfigError } from '@trading-ml/core';

/**
 * PopAgent's tunable hyperparameters as a PBT space, in the library's key order (the order explore walks).
 *
 * @returns `{ discount: { kind: 'float', min: 0.9, max: 1, scale: 'linear' }, methodsPerDecision: { kind: 'int', … }, … }`.
 * @throws never.
 * @see libs/popagent/src/hyperparameters.ts (ranges and their reasons); libs/pbt/src/space.ts (RangeSpace)
 * @example
 * popAgentSpace().sgdLearningRate; // { kind: 'float', min: 0.0001, max: 0.1, scale: 'log' }
 */
export function popAgentSpace(): HyperparameterSpace {
  const space: Record<string, RangeSpace> = {};
  for (const range of TUNABLE_HYPERPARAMETERS) {
    space[range.name] =
      range.scale === 'int'
        ? { kind: 'int', min: range.min, max: range.max, scale: 'linear' }
        : { kind: 'float', min: range.min, max: range.max, scale: range.scale };
  }
  return space;
}

/** Names of the tunable keys, in TUNABLE_HYPERPARAMETERS order. */
export const TUNABLE_KEYS: readonly (keyof TunableHyperparameters)[] = TUNABLE_HYPERPARAMETERS.map((range) => range.name);

/**
 * The tunable PopAgent keys of a PBT member's hyperparameters (other keys, such as the run description, are left out).
 *
 * @param hyperparameters - a member's hyperparameters; every tunable key must be a number.
 * @returns the partial config holding exactly the tunable keys.
 * @throws ConfigError naming a tunable key that is missing or not a finite number.
 * @see popAgentSpace
 * @example
 * tunableConfig({ discount: 0.97, methodsPerDecision: 2, …, run: '…' }); // { discount: 0.97, methodsPerDecision: 2, … }
 */
export function tunableConfig(hyperparameters: Hyperparameters): TunableHyperparameters {
  const config: Record<string, number> = {};
  for (const key of TUNABLE_KEYS) {
    const value = hyperparameters[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError({ parameter: `hyperparameters.${key}`, value, expected: 'a finite number from the PopAgent search space' });
    }
    config[key] = value;
  }
  return config as unknown as TunableHyperparameters;
}

/**
 * The tunable keys of a complete PopAgent configuration (e.g. DEFAULT_POPAGENT_CONFIG), as PBT hyperparameters.
 *
 * @param config - a complete configuration.
 * @returns `{ discount, methodsPerDecision, … }` taken from it.
 * @throws never.
 * @see tunableConfig (the inverse)
 * @example
 * hyperparametersOf(DEFAULT_POPAGENT_CONFIG).discount; // 0.99
 */
export function hyperparametersOf(config: PopAgentConfig): Record<string, number> {
  return Object.fromEntries(TUNABLE_KEYS.map((key) => [key, config[key]]));
}
