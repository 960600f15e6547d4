import { ConfigError } from '@trading-ml/core';
import { validatePopAgentConfig } from './config.js';
import type { PopAgentConfig } from './types.js';

/** The keys PBT may change during a run: none of them changes the shape of a learned state. */
export type TunableHyperparameter =
  | 'discount'
  | 'methodsPerDecision'
  | 'transferEvery'
  | 'transferRate'
  | 'rankingWindow'
  | 'sgdLearningRate'
  | 'rlsForgettingFactor'
  | 'volatilityTarget'
  | 'rebalanceThreshold';

/** Values of the tunable hyperparameters (a subset of {@link PopAgentConfig}). */
export type TunableHyperparameters = Pick<PopAgentConfig, TunableHyperparameter>;

/** The search range of one tunable hyperparameter. */
export interface HyperparameterRange {
  readonly name: TunableHyperparameter;
  /** Smallest value searched (included), in the key's unit. */
  readonly min: number;
  /** Largest value searched (included). */
  readonly max: number;
  /** 'linear': uniform on [min, max]; 'log': uniform on [ln min, ln max]; 'int': uniform integers in [min, max]. */
  readonly scale: 'linear' | 'log' | 'int';
  /** What it controls and why this range. */
  readonly description: string;
}

/**
 * Search space of PopAgent's tunable hyperparameters for population-based training, every range inside the
 * validated one of {@link validatePopAgentConfig} and containing the default. Bars are 4h bars (42 = a week).
 * @see M. Jaderberg et al. (2017), "Population based training of neural networks", arXiv:1711.09846.
 * @example
 * for (const { name, min, max, scale } of TUNABLE_HYPERPARAMETERS) console.log(name, min, max, scale);
 * // discount 0.9 1 linear, methodsPerDecision 1 6 int, …
 */
export const TUNABLE_HYPERPARAMETERS: readonly HyperparameterRange[] = Object.freeze([
  { name: 'discount', min: 0.9, max: 1, scale: 'linear', description: 'Thompson-sampling discount γ: memory ≈ 1/(1 − γ) rewards, 10 to ∞' },
  { name: 'methodsPerDecision', min: 1, max: 6, scale: 'int', description: 'methods each agent averages per decision (the inventory holds 14–15)' },
  { name: 'transferEvery', min: 6, max: 168, scale: 'int', description: 'decisions between preference transfers: a day to four weeks of 4h bars' },
  { name: 'transferRate', min: 0, max: 0.5, scale: 'linear', description: 'fraction τ of the way each agent moves toward the best posterior' },
  { name: 'rankingWindow', min: 6, max: 168, scale: 'int', description: 'decisions of realized reward that rank the agents for transfer' },
  { name: 'sgdLearningRate', min: 1e-4, max: 0.1, scale: 'log', description: 'SGD step size of the fast linear forecaster (standardised features)' },
  { name: 'rlsForgettingFactor', min: 0.97, max: 1, scale: 'linear', description: 'RLS forgetting factor β: memory ≈ 1/(1 − β) bars, 33 to ∞' },
  { name: 'volatilityTarget', min: 0.1, max: 2, scale: 'log', description: 'annualised volatility target of the volatility-targeting method' },
  { name: 'rebalanceThreshold', min: 0, max: 0.3, scale: 'linear', description: 'no-trade band: smallest exposure change worth a trade (fraction of equity)' },
] as const satisfies readonly HyperparameterRange[]);

const TUNABLE_NAMES: ReadonlySet<string> = new Set(TUNABLE_HYPERPARAMETERS.map((range) => range.name));

/**
 * The configuration after a PBT change of tunable hyperparameters, validated like the constructor's.
 * @param current - the complete current configuration.
 * @param partial - new values of tunable keys only.
 * @param inventorySize - number of methods (upper bound of methodsPerDecision).
 * @returns the complete, frozen new configuration.
 * @throws ConfigError naming a key that is not tunable (it fixes a shape or the fills), or a bad value.
 */
export function updateHyperparameters(current: PopAgentConfig, partial: Partial<TunableHyperparameters>, inventorySize: number): PopAgentConfig {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    throw new ConfigError({ parameter: 'hyperparameters', value: partial, expected: 'an object of tunable PopAgent hyperparameters' });
  }
  for (const key of Object.keys(partial)) {
    if (!TUNABLE_NAMES.has(key)) {
      throw new ConfigError({
        parameter: key,
        value: (partial as Record<string, unknown>)[key],
        expected: `one of the tunable keys ${[...TUNABLE_NAMES].join(', ')} (the others are fixed at construction)`,
      });
    }
  }
  const next = validatePopAgentConfig({ ...current, ...definedEntries(partial) });
  if (next.methodsPerDecision > inventorySize) {
    throw new ConfigError({ parameter: 'methodsPerDecision', value: next.methodsPerDecision, expected: `an integer in [1, ${inventorySize}] (the inventory size)` });
  }
  return next;
}

function definedEntries(partial: Partial<TunableHyperparameters>): Partial<TunableHyperparameters> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<TunableHyperparameters>;
}
