/**
 * Shared settings of the scheduler tests and of the child process the kill-and-resume test kills, so both run
 * the very same schedule.
 */
import type { PopulationBasedTrainingOptions } from '../options.js';
import type { TrainExecutor, TrainJob, TrainResult } from '../trainable.js';
import { quadraticSpace } from './quadratic-trainable.js';

/** The kill-and-resume schedule: 6 members, interval 5 steps, seed 2024. */
export function resumeFixtureOptions(executor: TrainExecutor): PopulationBasedTrainingOptions {
  return { population: 6, hyperparameterSpace: quadraticSpace, perturbationInterval: 5, quantileFraction: 0.34, seed: 2024, executor };
}

/** Generations of the kill-and-resume schedule. */
export const RESUME_FIXTURE_GENERATIONS = 8;

/** An executor that records every batch of jobs it passes on (a real decorator, not a mock: training happens). */
export class RecordingExecutor implements TrainExecutor {
  readonly batches: TrainJob[][] = [];
  constructor(private readonly inner: TrainExecutor) {}
  train(jobs: readonly TrainJob[]): Promise<TrainResult[]> {
    this.batches.push(structuredClone([...jobs]));
    return this.inner.train(jobs);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
