/**
 * Replays a PBT hyperparameter schedule on one member: train from scratch with the schedule's initial
 * hyperparameters and switch at each change point, the way Ray Tune's PopulationBasedTrainingReplay does.
 * Because exploit copies a donor's state exactly, replaying the best member's ancestry with the root's seed
 * rebuilds the best member's final state (for a trainable whose snapshot/restore is exact).
 */
import { ConfigError } from '@trading-ml/core';
import type { HyperparameterSchedule } from './lineage.js';
import type { Hyperparameters } from './space.js';
import type { JsonValue, TrainExecutor, TrainResult } from './trainable.js';

/** Options of {@link replaySchedule}. */
export interface ReplayOptions {
  /** The schedule, e.g. from `scheduleOf(records)`. */
  readonly schedule: HyperparameterSchedule;
  /** Where the segments train. */
  readonly executor: TrainExecutor;
  /** Total train steps; by default the schedule's `finalStep`. */
  readonly totalSteps?: number;
  /** Seed of the fresh trainable; by default the schedule's root seed. */
  readonly seed?: number;
  /** Called after each segment with its result and the hyperparameters it trained with. */
  readonly onSegment?: (result: TrainResult, hyperparameters: Hyperparameters) => void;
}

/**
 * Trains one member along a schedule: a job per segment between change points, each continuing from the
 * previous segment's state with the segment's hyperparameters.
 *
 * @param options - schedule, executor, total steps and seed.
 * @returns the final result (state, score, metrics, step) and the segments' results in order.
 * @throws ConfigError when `totalSteps` is not a positive integer; whatever the executor throws.
 * @see Ray Tune `python/ray/tune/schedulers/pbt.py`, `PopulationBasedTrainingReplay`.
 * @example
 * const { final } = await replaySchedule({ schedule: scheduleOf(records), executor: new InlineExecutor(module) });
 */
export async function replaySchedule(options: ReplayOptions): Promise<{ final: TrainResult; segments: TrainResult[] }> {
  const { schedule, executor } = options;
  const totalSteps = options.totalSteps ?? schedule.finalStep;
  if (!Number.isInteger(totalSteps) || totalSteps <= 0) {
    throw new ConfigError({ parameter: 'totalSteps', value: totalSteps, expected: 'a positive integer number of train steps' });
  }
  const seed = options.seed ?? schedule.seed;
  const boundaries = schedule.changes.filter((c) => c.step > 0 && c.step < totalSteps);
  let hyperparameters: Hyperparameters = schedule.initialHyperparameters;
  // A change at step 0 (an exploit before any training) applies from the start.
  for (const change of schedule.changes) if (change.step <= 0) hyperparameters = change.hyperparameters;
  let state: JsonValue = null;
  let step = 0;
  const segments: TrainResult[] = [];
  const ends = [...boundaries.map((c) => c.step), totalSteps];
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (end > step) {
      const [result] = await executor.train([{ memberId: schedule.rootMemberId, hyperparameters, state, steps: end - step, step, seed, generation: i }]);
      segments.push(result!);
      options.onSegment?.(result!, hyperparameters);
      state = result!.state;
      step = end;
    }
    const change = boundaries[i];
    if (change !== undefined) hyperparameters = change.hyperparameters;
  }
  const final = segments[segments.length - 1]!;
  return { final, segments };
}
