/**
 * The settings of a PBT run, declared once with their defaults, and the constructor's validation (every error
 * quotes the bad value and says what was expected, as Ray Tune's constructor does).
 */
import { ConfigError } from '@trading-ml/core';
import { validateExploreOptions } from './explore.js';
import { validateHyperparameters, validateSpace } from './space.js';
import type { CheckpointStore } from './checkpoint.js';
import type { LineageLog } from './lineage-log.js';
import type { LineageRecord } from './lineage.js';
import type { HyperparameterSpace, Hyperparameters } from './space.js';
import type { JsonValue, TrainExecutor, TrainResult } from './trainable.js';

/** What a custom score function sees after each interval of a member. */
export interface ScoreContext {
  readonly memberId: number;
  readonly hyperparameters: Hyperparameters;
  /** The state after the interval (read it, never change it: the scheduler shares states between members). */
  readonly state: JsonValue;
  readonly step: number;
  readonly generation: number;
  /** The executor's result (its `score` is the trainable's own). */
  readonly result: TrainResult;
}

/** A read-only view of a member, as reported to callbacks and returned by `run`. */
export interface MemberView {
  readonly memberId: number;
  readonly hyperparameters: Hyperparameters;
  readonly state: JsonValue;
  readonly step: number;
  readonly generation: number;
  readonly seed: number;
  readonly lastScore: number | null;
  readonly lastMetrics: Readonly<Record<string, number>>;
  readonly scores: ReadonlyArray<{ readonly step: number; readonly generation: number; readonly score: number }>;
}

/** Reported after each generation (asynchronous mode: after every `population` completed intervals). */
export interface GenerationEvent {
  readonly generation: number;
  readonly members: readonly MemberView[];
  /** The best member by last score. */
  readonly best: MemberView;
  /** Lineage records since the previous event. */
  readonly records: readonly LineageRecord[];
}

/** Constructor options of PopulationBasedTraining. */
export interface PopulationBasedTrainingOptions {
  /** Number of members (initial hyperparameters sampled from the space), or the initial hyperparameters. */
  readonly population: number | readonly Hyperparameters[];
  /** Where each explored hyperparameter lives (keys outside it are passed through unchanged). */
  readonly hyperparameterSpace: HyperparameterSpace;
  /** Train steps between decisions (one job per member per interval). */
  readonly perturbationInterval: number;
  /** No exploit before a member has this many steps (default 0). */
  readonly burnIn?: number;
  /** Bottom/top fraction of the population that exploits/donates, in [0, 0.5] (default 0.25). */
  readonly quantileFraction?: number;
  /** Probability of resampling a hyperparameter instead of perturbing it (default 0.25). */
  readonly resampleProbability?: number;
  /** Multipliers for perturbing range values (default [0.8, 1.2]). */
  readonly perturbationFactors?: readonly number[];
  /** 'synchronous' (generation by generation, default) or 'asynchronous' (decide as each member reaches a boundary). */
  readonly mode?: 'synchronous' | 'asynchronous';
  /** 'maximize' (default) or 'minimize' the score. */
  readonly goal?: 'maximize' | 'minimize';
  /** Seed of the whole schedule (initial sampling, member seeds, decisions). */
  readonly seed: number;
  /** Where the training runs. */
  readonly executor: TrainExecutor;
  /** Checkpoints of the population; when it holds one, `run` resumes from it. */
  readonly checkpointStore?: CheckpointStore;
  /** Checkpoint every this many generations (default 1; the last generation is always checkpointed). */
  readonly checkpointEvery?: number;
  /** Where lineage records are written as they are made. */
  readonly lineageLog?: LineageLog;
  /** A member's score for an interval, instead of the trainable's own (e.g. a walk-forward fitness). */
  readonly score?: (context: ScoreContext) => number | Promise<number>;
  /** Called after each generation. */
  readonly onGeneration?: (event: GenerationEvent) => void | Promise<void>;
}

/** The options with defaults applied. */
export type ResolvedOptions = Required<Omit<PopulationBasedTrainingOptions, 'checkpointStore' | 'lineageLog' | 'score' | 'onGeneration'>> &
  Pick<PopulationBasedTrainingOptions, 'checkpointStore' | 'lineageLog' | 'score' | 'onGeneration'>;

const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

/**
 * Applies defaults and validates every option.
 *
 * @param options - the constructor's options.
 * @returns the options with defaults.
 * @throws ConfigError quoting the option, the bad value and what was expected.
 * @see Ray Tune `PopulationBasedTraining.__init__` (same checks on quantile_fraction, perturbation_interval).
 * @example
 * resolveOptions({ population: 8, hyperparameterSpace: space, perturbationInterval: 10, seed: 1, executor });
 */
export function resolveOptions(options: PopulationBasedTrainingOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    burnIn: 0,
    quantileFraction: 0.25,
    resampleProbability: 0.25,
    perturbationFactors: [0.8, 1.2],
    mode: 'synchronous',
    goal: 'maximize',
    checkpointEvery: 1,
    ...options,
  };
  validateSpace(resolved.hyperparameterSpace, 'hyperparameterSpace');
  const { population } = resolved;
  if (typeof population === 'number') {
    if (!Number.isInteger(population) || population < 2) throw new ConfigError({ parameter: 'population', value: population, expected: 'an integer ≥ 2 (members)' });
  } else if (!Array.isArray(population) || population.length < 2) {
    throw new ConfigError({ parameter: 'population', value: population, expected: 'an integer ≥ 2 or a list of at least 2 hyperparameter objects' });
  } else {
    population.forEach((h, i) => validateHyperparameters(h, resolved.hyperparameterSpace, `population[${i}]`));
  }
  if (!isPositiveInteger(resolved.perturbationInterval)) {
    throw new ConfigError({ parameter: 'perturbationInterval', value: resolved.perturbationInterval, expected: 'a positive integer number of train steps' });
  }
  if (!Number.isInteger(resolved.burnIn) || resolved.burnIn < 0) {
    throw new ConfigError({ parameter: 'burnIn', value: resolved.burnIn, expected: 'an integer ≥ 0 train steps' });
  }
  const q = resolved.quantileFraction;
  if (typeof q !== 'number' || !(q >= 0 && q <= 0.5)) {
    throw new ConfigError({ parameter: 'quantileFraction', value: q, expected: 'a fraction in [0, 0.5]' });
  }
  validateExploreOptions(resolved);
  if (resolved.mode !== 'synchronous' && resolved.mode !== 'asynchronous') {
    throw new ConfigError({ parameter: 'mode', value: resolved.mode, expected: "'synchronous' or 'asynchronous'" });
  }
  if (resolved.goal !== 'maximize' && resolved.goal !== 'minimize') {
    throw new ConfigError({ parameter: 'goal', value: resolved.goal, expected: "'maximize' or 'minimize'" });
  }
  if (!Number.isSafeInteger(resolved.seed)) throw new ConfigError({ parameter: 'seed', value: resolved.seed, expected: 'a safe integer' });
  if (!isPositiveInteger(resolved.checkpointEvery)) {
    throw new ConfigError({ parameter: 'checkpointEvery', value: resolved.checkpointEvery, expected: 'a positive integer number of generations' });
  }
  if (typeof resolved.executor?.train !== 'function') {
    throw new ConfigError({ parameter: 'executor', value: resolved.executor, expected: 'a TrainExecutor (InlineExecutor, ThreadExecutor, RedisExecutor)' });
  }
  return resolved;
}
