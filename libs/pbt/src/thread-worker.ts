/**
 * Worker-thread entry of ThreadExecutor: loads the trainable module named by the task (cached per thread) and
 * runs the job. The tsup build makes it `dist/thread-worker.js`; from the TypeScript sources it is loaded by
 * `thread-worker-source.mjs`.
 */
import { parseState } from '@trading-ml/core';
import { loadTrainableModule, runTrainJob, trainJobSchema } from './trainable.js';
import type { TrainResult } from './trainable.js';

/** A task sent to a worker thread. */
export interface ThreadTask {
  readonly trainableModule: string;
  readonly job: unknown;
}

/**
 * Runs one task.
 * @param task - module URL and job (validated here).
 * @returns the job's result.
 * @throws StateError on an invalid job; whatever the trainable throws.
 */
export default async function runThreadTask(task: ThreadTask): Promise<TrainResult> {
  const job = parseState('train job', trainJobSchema, task.job);
  return runTrainJob(await loadTrainableModule(task.trainableModule), job);
}
