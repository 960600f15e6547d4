/**
 * Runs train jobs in the calling thread, one after another: the reference executor (tests, small runs, and the
 * baseline the parallel executors must match result for result).
 */
import { loadTrainableModule, runTrainJob } from './trainable.js';
import type { TrainExecutor, TrainJob, TrainResult, TrainableModule } from './trainable.js';

/**
 * An executor that trains in this thread.
 *
 * @example
 * const executor = new InlineExecutor({ createTrainable: (hyperparameters, { seed }) => new MyModel(hyperparameters, seed) });
 * const [result] = await executor.train([{ memberId: 0, hyperparameters: { lr: 0.1 }, state: null, steps: 10, step: 0, seed: 1, generation: 0 }]);
 */
export class InlineExecutor implements TrainExecutor {
  private readonly module: Promise<TrainableModule>;

  /**
   * @param trainable - the trainable module itself, or the URL of a module exporting `createTrainable`.
   */
  constructor(trainable: TrainableModule | string) {
    this.module = typeof trainable === 'string' ? loadTrainableModule(trainable) : Promise.resolve(trainable);
    this.module.catch(() => undefined); // reported by train()
  }

  /**
   * Trains the jobs in order.
   * @param jobs - the jobs (not mutated; each job's state is copied before the trainable sees it).
   * @returns one result per job, in order.
   * @throws whatever the trainable throws.
   */
  async train(jobs: readonly TrainJob[]): Promise<TrainResult[]> {
    const module = await this.module;
    const results: TrainResult[] = [];
    // Copies isolate the caller's objects the way a thread or Redis boundary would.
    for (const job of jobs) results.push(structuredClone(await runTrainJob(module, structuredClone(job))));
    return results;
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
