/**
 * The PBT executors of the app: inline (this thread), threads (piscina) and redis (BullMQ, workers started with
 * `popagent pbt-worker`). Threads and Redis workers load the trainable module by URL: `trainable.ts` through tsx
 * when the app runs from its TypeScript sources (`npm run popagent`, vitest), `pbt/trainable.js` next to the
 * bundle when it runs from the tsup build (dist/main.js).
 */
import { InlineExecutor, RedisExecutor, ThreadExecutor } from '@trading-ml/pbt';
import type { TrainExecutor } from '@trading-ml/pbt';
import * as trainable from './trainable.js';
import type { PbtOptions } from './options.js';

/**
 * The URL of the trainable module next to the module at `moduleUrl`.
 *
 * @param moduleUrl - `import.meta.url` of the calling module: `…/src/pbt/executor.ts` from the sources,
 *   `…/dist/main.js` in the build (everything is bundled into main.js).
 * @returns `…/src/pbt/trainable.ts`, or `…/dist/pbt/trainable.js` (a tsup entry of its own).
 * @throws never.
 * @see ../run-pool.ts (workerFilename: the same source/build switch)
 * @example
 * trainableModuleUrl('file:///app/dist/main.js'); // 'file:///app/dist/pbt/trainable.js'
 */
export function trainableModuleUrl(moduleUrl: string = import.meta.url): string {
  const built = /\.[cm]?js$/.test(new URL(moduleUrl).pathname);
  return new URL(built ? './pbt/trainable.js' : './trainable.ts', moduleUrl).href;
}

/**
 * Creates the executor `options.executor` names.
 *
 * @param options - executor kind, threads, Redis URL and queue.
 * @returns the executor; `close()` it when the run ends, also after an error.
 * @throws ConfigError from the executor's constructor (bad thread count, URL or queue name).
 * @see libs/pbt README ("Executors")
 * @example
 * const executor = createExecutor({ ...options, executor: 'threads', threads: 2 });
 */
export function createExecutor(options: Pick<PbtOptions, 'executor' | 'threads' | 'redisUrl' | 'queue'>): TrainExecutor {
  switch (options.executor) {
    case 'inline':
      return new InlineExecutor(trainable);
    case 'threads':
      return new ThreadExecutor({ trainableModule: trainableModuleUrl(), threads: options.threads });
    case 'redis':
      return new RedisExecutor({ connection: options.redisUrl!, queueName: options.queue });
  }
}
