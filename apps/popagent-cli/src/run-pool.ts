/**
 * A pool of worker threads (piscina) for the ablation's runs. Every (condition, symbol) run is independent,
 * CPU-bound and seeded on its own from --seed and the symbol, so running them on N threads gives exactly the
 * results of running them in-process, about N times sooner.
 */
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { runPopAgent } from '@trading-ml/popagent';
import type { PopAgentInput, PopAgentRunResult } from '@trading-ml/popagent';

/** The export condition under which the workspace packages resolve to their TypeScript sources. */
export const SOURCE_CONDITION = '@trading-ml/source';

/**
 * The worker module next to the module at `moduleUrl`: `run-worker.js` when running the tsup build in dist/;
 * from the TypeScript sources (tsx), `run-worker-source.mjs`, which loads `run-worker.ts` as ES modules
 * through tsx's API (tsx gives worker threads no ES-module hooks on Node 20; see that file).
 *
 * @param moduleUrl - `import.meta.url` of the calling module.
 * @returns the worker module's file URL.
 * @throws never.
 * @see run-worker.ts, run-worker-source.mjs; package.json `build` (run-worker is a second tsup entry)
 * @example
 * workerFilename('file:///app/dist/main.js'); // 'file:///app/dist/run-worker.js'
 * workerFilename('file:///app/src/run-pool.ts'); // 'file:///app/src/run-worker-source.mjs'
 */
export function workerFilename(moduleUrl: string): string {
  const built = /\.[cm]?js$/.test(new URL(moduleUrl).pathname);
  return new URL(built ? './run-worker.js' : './run-worker-source.mjs', moduleUrl).href;
}

/** True when the worker at `filename` loads the TypeScript sources (see workerFilename). */
function loadsSources(filename: string): boolean {
  return !filename.endsWith('/run-worker.js');
}

/** True when `args` sets the export condition `condition` (`--conditions=x`, `--conditions x`, `-C x`, `-C=x`). */
function hasCondition(args: readonly string[], condition: string): boolean {
  return args.some(
    (arg, i) => arg === `--conditions=${condition}` || arg === `-C=${condition}` || ((arg === '--conditions' || arg === '-C') && args[i + 1] === condition),
  );
}

/**
 * The node flags of the worker threads: the main thread's own (tsx puts its `--require`/`--import` hooks
 * there), plus `--conditions=@trading-ml/source` for a worker that loads the TypeScript sources when
 * missing, so workspace packages resolve to the same sources as in the main thread.
 *
 * @param execArgv - the main thread's `process.execArgv`.
 * @param filename - the worker module's URL (see workerFilename).
 * @returns a new array; `execArgv` unchanged for the built worker (it resolves the packages' dist/).
 * @throws never.
 * @see Node.js docs, worker_threads `new Worker(…, { execArgv })`; root package.json `popagent` script
 * @example
 * workerExecArgv(['--import', 'tsx'], 'file:///app/src/run-worker-source.mjs');
 * // ['--import', 'tsx', '--conditions=@trading-ml/source']
 */
export function workerExecArgv(execArgv: readonly string[], filename: string): string[] {
  const args = [...execArgv];
  if (loadsSources(filename) && !hasCondition(args, SOURCE_CONDITION)) args.push(`--conditions=${SOURCE_CONDITION}`);
  return args;
}

/**
 * The order in which runs are handed to the threads, longest first: runs that read news before the others,
 * most headlines first (scoring headlines with VADER costs more than a run itself, and each thread scores
 * the headlines of its runs once), then the runs without news in input order.
 *
 * @param inputs - the runs' inputs, in result order.
 * @returns indices into `inputs`.
 * @throws never.
 * @see libs/popagent/src/sentiment.ts (headline scores are memoised per thread)
 * @example
 * dispatchOrder([{ …condition A }, { …condition C, news: [10 items] }, { …condition C, news: [20 items] }]); // [2, 1, 0]
 */
export function dispatchOrder(inputs: readonly PopAgentInput[]): number[] {
  const indices = inputs.map((_, index) => index);
  const headlines = (i: number) => inputs[i]!.news?.length ?? 0;
  const withNews = indices.filter((i) => inputs[i]!.news !== undefined).sort((a, b) => headlines(b) - headlines(a) || a - b);
  return [...withNews, ...indices.filter((i) => inputs[i]!.news === undefined)];
}

/**
 * Turns a run's failure in a worker into the error the same run throws in-process. Errors reach the main
 * thread structured-cloned, as plain Errors (a ConfigError would no longer map to exit code 2); the run is
 * deterministic, so running it again here throws the typed error when the input is at fault (that happens
 * while validating, before any work). When it succeeds here, the worker itself failed: that error is kept.
 */
function inProcessError(input: PopAgentInput, workerError: unknown): unknown {
  try {
    runPopAgent(input);
  } catch (error) {
    return error;
  }
  const message = workerError instanceof Error ? workerError.message : String(workerError);
  return new Error(`run ${input.condition} ${input.symbol} failed in a worker thread (--threads 1 runs in-process): ${message}`, {
    cause: workerError,
  });
}

/** Worker threads that run PopAgent runs. */
export interface RunPool {
  /** Number of worker threads. */
  readonly threads: number;
  /**
   * Runs every input on the threads, longest-expected first, one run per thread at a time.
   *
   * @param inputs - the runs' inputs.
   * @param onFinish - called as each run finishes, with its index in `inputs` and its wall-clock seconds.
   * @returns the results in the order of `inputs`.
   * @throws the error of the first run that fails, as running it in-process throws it (ConfigError, DataError).
   */
  run(inputs: readonly PopAgentInput[], onFinish: (index: number, seconds: number) => void): Promise<PopAgentRunResult[]>;
  /** Stops the threads (idempotent). */
  destroy(): Promise<void>;
}

/**
 * Starts `threads` worker threads that load run-worker and wait for runs; start it early, so the threads load
 * their modules while the main thread loads data.
 *
 * @param threads - number of worker threads, ≥ 2 (one thread is better served in-process).
 * @param moduleUrl - URL the worker module is found next to; this module's by default.
 * @returns the pool; call `destroy()` when done, also after an error.
 * @throws never synchronously; a worker that cannot load rejects the runs given to it.
 * @see piscina README (filename, execArgv, minThreads/maxThreads)
 * @example
 * const pool = createRunPool(2);
 * try { results = await pool.run(inputs, (i, s) => console.log(i, s)); } finally { await pool.destroy(); }
 */
export function createRunPool(threads: number, moduleUrl: string = import.meta.url): RunPool {
  const filename = workerFilename(moduleUrl);
  const piscina = new Piscina<PopAgentInput, PopAgentRunResult>({
    filename,
    execArgv: workerExecArgv(process.execArgv, filename),
    minThreads: threads,
    maxThreads: threads,
  });
  let destroyed: Promise<void> | undefined;
  // A worker that fails outside a run (its module does not load) is reported as an 'error' event; the runs
  // waiting for it would wait forever, so it fails them all.
  let failWorkers: (error: unknown) => void = () => undefined;
  const workerFailure = new Promise<never>((_, reject) => (failWorkers = reject));
  workerFailure.catch(() => undefined);
  piscina.on('error', (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    failWorkers(new Error(`a worker thread failed (--threads 1 runs in-process): ${message}`, { cause: error }));
  });

  const run = async (inputs: readonly PopAgentInput[], onFinish: (index: number, seconds: number) => void) => {
    const results: PopAgentRunResult[] = new Array(inputs.length);
    const queue = dispatchOrder(inputs);
    let failed = false;
    // One lane per thread hands out the next run only when a thread is free, so a run's time is its own.
    const lane = async () => {
      for (let index = queue.shift(); index !== undefined && !failed; index = queue.shift()) {
        const began = performance.now();
        const settled = piscina.run(inputs[index]!).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        let outcome: { result: PopAgentRunResult } | { error: unknown };
        try {
          outcome = await Promise.race([settled, workerFailure]);
        } catch (error) {
          failed = true;
          throw error; // a failed worker
        }
        if ('error' in outcome) {
          if (failed) throw outcome.error; // another run failed first and the pool is being stopped
          failed = true;
          throw inProcessError(inputs[index]!, outcome.error);
        }
        results[index] = outcome.result;
        onFinish(index, (performance.now() - began) / 1000);
      }
    };
    await Promise.all(Array.from({ length: Math.min(threads, inputs.length) }, lane));
    return results;
  };

  return {
    threads,
    run,
    destroy: () => (destroyed ??= piscina.destroy()),
  };
}
