/**
 * Runs train jobs on N worker threads (piscina). Trainables are CPU-bound and every job is independent and
 * seeded, so N threads give exactly the results of InlineExecutor, about N times sooner on N free cores.
 */
import { Piscina } from 'piscina';
import { ConfigError, parseState } from '@trading-ml/core';
import { trainResultSchema } from './trainable.js';
import type { TrainExecutor, TrainJob, TrainResult } from './trainable.js';
import type { ThreadTask } from './thread-worker.js';

/** The export condition under which workspace packages resolve to their TypeScript sources. */
const SOURCE_CONDITION = '@trading-ml/source';

/**
 * The worker module next to the module at `moduleUrl`: `thread-worker.js` in a build, `thread-worker-source.mjs`
 * (tsx) next to the TypeScript sources.
 *
 * @param moduleUrl - `import.meta.url` of this module (or a test's stand-in).
 * @returns the worker module's file URL.
 * @throws never.
 * @example
 * threadWorkerFilename('file:///lib/dist/index.js'); // 'file:///lib/dist/thread-worker.js'
 */
export function threadWorkerFilename(moduleUrl: string): string {
  const built = /\.[cm]?js$/.test(new URL(moduleUrl).pathname);
  return new URL(built ? './thread-worker.js' : './thread-worker-source.mjs', moduleUrl).href;
}

/**
 * Worker flags: the main thread's own, plus `--conditions=@trading-ml/source` for the sources worker so that
 * `@trading-ml/*` imports resolve to the same sources as in the main thread.
 *
 * @param execArgv - the main thread's `process.execArgv`.
 * @param filename - the worker module (see threadWorkerFilename).
 * @returns a new array.
 * @throws never.
 * @example
 * threadWorkerExecArgv([], 'file:///lib/src/thread-worker-source.mjs'); // ['--conditions=@trading-ml/source']
 */
export function threadWorkerExecArgv(execArgv: readonly string[], filename: string): string[] {
  const args = [...execArgv];
  const has = args.some((a, i) => a === `--conditions=${SOURCE_CONDITION}` || a === `-C=${SOURCE_CONDITION}` || ((a === '--conditions' || a === '-C') && args[i + 1] === SOURCE_CONDITION));
  if (!filename.endsWith('/thread-worker.js') && !has) args.push(`--conditions=${SOURCE_CONDITION}`);
  return args;
}

/** Options of ThreadExecutor. */
export interface ThreadExecutorOptions {
  /** URL (or absolute path) of the module exporting `createTrainable`; TypeScript modules work too (tsx). */
  readonly trainableModule: string;
  /** Number of worker threads, an integer ≥ 1. */
  readonly threads: number;
}

/**
 * An executor on a pool of worker threads.
 *
 * @example
 * const executor = new ThreadExecutor({ trainableModule: new URL('./my-trainable.ts', import.meta.url).href, threads: 2 });
 * try { await pbt.run({ generations: 10 }); } finally { await executor.close(); }
 */
export class ThreadExecutor implements TrainExecutor {
  /** Number of worker threads. */
  readonly threads: number;
  private readonly trainableModule: string;
  private readonly pool: Piscina<ThreadTask, unknown>;
  private readonly workerFailure: Promise<never>;
  private closing: Promise<void> | undefined;

  /**
   * Starts the threads (they load the worker module while the caller prepares the run).
   * @param options - trainable module URL and thread count.
   * @throws ConfigError when `threads` is not a positive integer or `trainableModule` is empty.
   */
  constructor(options: ThreadExecutorOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new ConfigError({ parameter: 'threads', value: options.threads, expected: 'an integer ≥ 1' });
    }
    if (typeof options.trainableModule !== 'string' || options.trainableModule === '') {
      throw new ConfigError({ parameter: 'trainableModule', value: options.trainableModule, expected: 'a module URL or absolute path' });
    }
    this.threads = options.threads;
    this.trainableModule = options.trainableModule;
    const filename = threadWorkerFilename(import.meta.url);
    this.pool = new Piscina<ThreadTask, unknown>({
      filename,
      execArgv: threadWorkerExecArgv(process.execArgv, filename),
      minThreads: options.threads,
      maxThreads: options.threads,
      // One job per thread at a time: a queued job would wait behind a long one anyway.
      concurrentTasksPerWorker: 1,
    });
    let fail: (error: unknown) => void = () => undefined;
    this.workerFailure = new Promise<never>((_, reject) => (fail = reject));
    this.workerFailure.catch(() => undefined);
    // A worker that fails outside a task (its module does not load) would leave its tasks waiting forever.
    this.pool.on('error', (error: unknown) => fail(new Error(`a PBT worker thread failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })));
  }

  /**
   * Trains the jobs on the threads, at most `threads` at a time.
   * @param jobs - the jobs.
   * @returns one validated result per job, in order.
   * @throws the first job's error (as a plain Error: errors cross threads structured-cloned); StateError on a
   *   malformed result.
   */
  async train(jobs: readonly TrainJob[]): Promise<TrainResult[]> {
    const runs = jobs.map((job) => this.pool.run({ trainableModule: this.trainableModule, job }));
    runs.forEach((run) => run.catch(() => undefined));
    const results = await Promise.race([Promise.all(runs), this.workerFailure]);
    return results.map((result, i) => parseState(`result of member ${jobs[i]!.memberId}'s job`, trainResultSchema, result));
  }

  /** Stops the threads (idempotent). */
  close(): Promise<void> {
    return (this.closing ??= this.pool.destroy());
  }
}
