/**
 * Worker-thread entry of the ablation's run pool (see run-pool.ts): piscina loads this module in each worker
 * (from the sources through run-worker-source.mjs, in the build as dist/run-worker.js) and calls its default
 * export with one (condition, symbol) run's input.
 */
import { runPopAgent } from '@trading-ml/popagent';
import type { PopAgentInput, PopAgentRunResult } from '@trading-ml/popagent';

/**
 * Runs one PopAgent run in a worker thread.
 *
 * @param input - the run's input, structured-cloned from the main thread (bars, reference bars, news, seed…).
 * @returns `runPopAgent(input)`, structured-cloned back to the main thread (numbers survive exactly).
 * @throws whatever `runPopAgent` throws (ConfigError, DataError); piscina rejects the task with it.
 * @see run-pool.ts; piscina README ("filename", default export as the task handler)
 * @example
 * const result = await pool.run(input); // in the main thread, with filename = this module
 */
export default function runWorker(input: PopAgentInput): PopAgentRunResult {
  return runPopAgent(input);
}
