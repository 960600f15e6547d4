/**
 * Runs train jobs on any number of machines through a Redis queue (BullMQ). The controller enqueues "train
 * member i for n steps from this state"; workers started with `startPbtWorker` pull jobs, train, and return the
 * result as the job's return value. A worker that dies mid-job stops renewing its lock; another worker's stalled
 * check then puts the job back in the queue and it is trained again from the same state (same result: jobs are
 * deterministic).
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import { ConfigError, parseState } from '@trading-ml/core';
import { loadTrainableModule, runTrainJob, trainJobSchema, trainResultSchema } from './trainable.js';
import type { TrainExecutor, TrainJob, TrainResult, TrainableModule } from './trainable.js';

/** A Redis URL (`redis://host:port/db`) or BullMQ connection options. */
export type RedisConnection = string | ConnectionOptions;

function connectionOptions(connection: RedisConnection, parameter: string): ConnectionOptions {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) throw new ConfigError({ parameter, value: connection, expected: 'a redis:// or rediss:// URL' });
    return { url: connection, maxRetriesPerRequest: null };
  }
  if (connection === null || typeof connection !== 'object') {
    throw new ConfigError({ parameter, value: connection, expected: 'a Redis URL or BullMQ connection options' });
  }
  return connection;
}

/** Options of RedisExecutor (the controller side). */
export interface RedisExecutorOptions {
  /** Where Redis is. */
  readonly connection: RedisConnection;
  /** Queue name shared with the workers. */
  readonly queueName: string;
  /** How long to wait for one job before failing the run, ms (default: no limit). */
  readonly jobTimeoutMs?: number;
}

/**
 * The controller side of the Redis executor: enqueues jobs and waits for their results.
 *
 * @example
 * const executor = new RedisExecutor({ connection: 'redis://127.0.0.1:6379', queueName: 'pbt-run-1' });
 * // on each worker machine: startPbtWorker({ connection, queueName: 'pbt-run-1', trainableModule, concurrency: 2 })
 * try { await pbt.run({ generations: 20 }); } finally { await executor.close(); }
 */
export class RedisExecutor implements TrainExecutor {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly ready: Promise<unknown>;
  private readonly run = randomUUID();
  private readonly jobTimeoutMs: number | undefined;
  private counter = 0;
  private closing: Promise<void> | undefined;
  /** Failure callbacks of the jobs being waited for (failed on close). */
  private readonly pending = new Set<(args: { failedReason: string }) => void>();

  /**
   * Opens the queue and its event stream.
   * @param options - connection, queue name and optional per-job timeout.
   * @throws ConfigError on an empty queue name, a malformed URL or a non-positive timeout.
   */
  constructor(options: RedisExecutorOptions) {
    if (typeof options.queueName !== 'string' || options.queueName === '' || options.queueName.includes(':')) {
      throw new ConfigError({ parameter: 'queueName', value: options.queueName, expected: "a non-empty name without ':'" });
    }
    if (options.jobTimeoutMs !== undefined && !(options.jobTimeoutMs > 0)) {
      throw new ConfigError({ parameter: 'jobTimeoutMs', value: options.jobTimeoutMs, expected: 'a positive number of milliseconds' });
    }
    const connection = connectionOptions(options.connection, 'connection');
    this.jobTimeoutMs = options.jobTimeoutMs;
    this.queue = new Queue(options.queueName, { connection });
    this.events = new QueueEvents(options.queueName, { connection });
    // Jobs are only added once the event stream listens, so no completion is missed.
    this.ready = Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }

  /**
   * Enqueues the jobs and waits for every result.
   * @param jobs - the jobs.
   * @returns one validated result per job, in order.
   * @throws Error with the worker's failure reason when a job fails (or stalls more than maxStalledCount times);
   *   StateError on a malformed result.
   */
  async train(jobs: readonly TrainJob[]): Promise<TrainResult[]> {
    await this.ready;
    const ids = jobs.map((job) => `${this.run}-${this.counter++}-m${job.memberId}-s${job.step}`);
    // Listen before adding: the event stream is already being read, so no completion can be missed, and a
    // completed job can be removed from Redis at once (its result travels in the event).
    const finished = ids.map((id) => this.waitFor(id));
    finished.forEach((f) => f.catch(() => undefined));
    await Promise.all(
      jobs.map((job, i) =>
        this.queue.add('train', job, {
          jobId: ids[i]!,
          // A trainable's own error is deterministic: retrying would fail again. Lost workers are handled by
          // stalled-job detection, which does not use attempts.
          attempts: 1,
          removeOnComplete: true,
          removeOnFail: 1000,
        }),
      ),
    );
    const results = await Promise.all(finished);
    return results.map((result, i) => parseState(`result of member ${jobs[i]!.memberId}'s job`, trainResultSchema, result));
  }

  /** The return value of job `id`, from the queue's event stream. */
  private waitFor(id: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const completed = `completed:${id}`;
      const failed = `failed:${id}`;
      let timer: NodeJS.Timeout | undefined;
      // QueueEvents emits per-job events (`completed:<id>`) that its typed `on` does not list.
      const emitter = this.events as unknown as NodeJS.EventEmitter;
      const cleanup = () => {
        clearTimeout(timer);
        emitter.removeListener(completed, onCompleted);
        emitter.removeListener(failed, onFailed);
        this.pending.delete(onFailed);
      };
      const onCompleted = (args: { returnvalue: unknown }) => {
        cleanup();
        resolve(args.returnvalue);
      };
      const onFailed = (args: { failedReason: string }) => {
        cleanup();
        reject(new Error(`PBT job ${id} failed: ${args.failedReason}`));
      };
      emitter.on(completed, onCompleted);
      emitter.on(failed, onFailed);
      this.pending.add(onFailed);
      if (this.jobTimeoutMs !== undefined) {
        timer = setTimeout(() => onFailed({ failedReason: `no result within jobTimeoutMs = ${this.jobTimeoutMs}` }), this.jobTimeoutMs);
      }
    });
  }

  /** The BullMQ queue (e.g. to inspect job counts). */
  get bullQueue(): Queue {
    return this.queue;
  }

  /** Closes the queue and event connections (idempotent); jobs still awaited reject. */
  close(): Promise<void> {
    for (const fail of [...this.pending]) fail({ failedReason: 'the RedisExecutor was closed before the job finished' });
    return (this.closing ??= Promise.all([this.events.close(), this.queue.close()]).then(() => undefined));
  }
}

/** Options of a PBT worker. */
export interface PbtWorkerOptions {
  readonly connection: RedisConnection;
  readonly queueName: string;
  /** URL (or absolute path) of the module exporting `createTrainable`, or the module itself. */
  readonly trainableModule: string | TrainableModule;
  /** Jobs trained at once by this worker (default 1; CPU-bound jobs share one thread, so use one worker per core). */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal, ms (default 30 000). Renewal runs on this worker's event loop,
   * so a trainable that blocks the loop longer than this per `train` call is taken for a lost worker.
   */
  readonly lockDuration?: number;
  /** How often this worker looks for jobs whose worker was lost, ms (default 30 000). */
  readonly stalledInterval?: number;
  /** How many times a job may be found stalled before it fails (default 2). */
  readonly maxStalledCount?: number;
}

/** A running PBT worker. */
export interface PbtWorker {
  /** The BullMQ worker. */
  readonly worker: Worker;
  /** Stops taking jobs, waits for the running ones, closes the connection (idempotent). */
  close(): Promise<void>;
}

const positive = (name: string, value: number | undefined, fallback: number): number => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v <= 0) throw new ConfigError({ parameter: name, value: v, expected: 'a positive integer' });
  return v;
};

/**
 * Starts a worker that pulls PBT train jobs from the queue and returns their results.
 *
 * @param options - connection, queue name, trainable module, concurrency and stalled-job settings.
 * @returns the worker; call `close()` to stop it.
 * @throws ConfigError on a bad option.
 * @see BullMQ docs, "Stalled jobs" (lockDuration, stalledInterval, maxStalledCount).
 * @example
 * const worker = startPbtWorker({ connection: process.env.REDIS_URL!, queueName: 'pbt-run-1', trainableModule: new URL('./trainable.js', import.meta.url).href });
 * process.on('SIGTERM', () => void worker.close());
 */
export function startPbtWorker(options: PbtWorkerOptions): PbtWorker {
  if (typeof options.queueName !== 'string' || options.queueName === '' || options.queueName.includes(':')) {
    throw new ConfigError({ parameter: 'queueName', value: options.queueName, expected: "a non-empty name without ':'" });
  }
  const connection = connectionOptions(options.connection, 'connection');
  const concurrency = positive('concurrency', options.concurrency, 1);
  const lockDuration = positive('lockDuration', options.lockDuration, 30_000);
  const stalledInterval = positive('stalledInterval', options.stalledInterval, 30_000);
  const maxStalledCount = positive('maxStalledCount', options.maxStalledCount, 2);
  const module = typeof options.trainableModule === 'string' ? loadTrainableModule(options.trainableModule) : Promise.resolve(options.trainableModule);
  module.catch(() => undefined); // reported by the first job
  const worker = new Worker(
    options.queueName,
    async (job: Job) => {
      const trainJob = parseState(`job ${job.id} of queue ${options.queueName}`, trainJobSchema, job.data);
      return runTrainJob(await module, trainJob);
    },
    { connection, concurrency, lockDuration, stalledInterval, maxStalledCount },
  );
  // Without a listener an 'error' event (e.g. Redis gone) would crash the process; BullMQ reconnects by itself.
  worker.on('error', () => undefined);
  let closing: Promise<void> | undefined;
  return { worker, close: () => (closing ??= worker.close()) };
}
