/**
 * The contract between PBT and what it trains. A trainable is built from hyperparameters by a module's
 * `createTrainable` factory, so that a worker in another thread or on another machine can build it from the
 * module's URL; its state travels as plain JSON (snapshot/restore), which is also how PBT copies members.
 */
import { z } from 'zod';
import { StateError } from '@trading-ml/core';
import type { Hyperparameters } from './space.js';

/** Plain JSON data: what a trainable's snapshot may hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What one call of `train(steps)` reports. */
export interface TrainOutcome {
  /** The member's fitness after these steps (higher is better unless PBT's `goal` is 'minimize'). */
  readonly score: number;
  /** Any other figures worth logging (loss, Sharpe ratio, …); numbers only. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** A model (or agent) PBT can train, copy and checkpoint. */
export interface Trainable {
  /** Trains `steps` more steps (the unit is the trainable's: SGD steps, episodes, bars). */
  train(steps: number): TrainOutcome | Promise<TrainOutcome>;
  /**
   * The complete state as plain JSON. Training `a` steps, snapshotting, restoring into a fresh trainable and
   * training `b` steps must give what training `a + b` steps gives: PBT relies on it for copies, resumes and
   * replays. Returns null while there is nothing worth copying; such a member is never an exploit donor.
   */
  snapshot(): JsonValue | Promise<JsonValue>;
  /** Replaces the state with a snapshot taken by a trainable of the same module. */
  restore(state: JsonValue): void | Promise<void>;
}

/** Extra facts a factory receives besides the hyperparameters. */
export interface TrainableContext {
  /** The member being trained (0-based). */
  readonly memberId: number;
  /** The member's seed: used to initialise a fresh trainable (a restored one carries its generator in its state). */
  readonly seed: number;
}

/** A module (object or `import()`ed module URL) that builds trainables. */
export interface TrainableModule {
  createTrainable(hyperparameters: Hyperparameters, context: TrainableContext): Trainable | Promise<Trainable>;
}

/** One unit of work: train a member for `steps` steps from `state` (null: from scratch). */
export interface TrainJob {
  readonly memberId: number;
  readonly hyperparameters: Hyperparameters;
  /** The state to continue from, or null for a fresh trainable. */
  readonly state: JsonValue;
  /** Steps to train in this job. */
  readonly steps: number;
  /** Steps the state has been trained so far (the member's step counter before this job). */
  readonly step: number;
  /** The member's seed (see TrainableContext). */
  readonly seed: number;
  /** The member's generation (completed perturbation intervals) before this job; for logs and job ids. */
  readonly generation: number;
}

/** What a job gives back. */
export interface TrainResult {
  readonly memberId: number;
  /** The state after the job (null when the trainable had nothing to snapshot). */
  readonly state: JsonValue;
  readonly score: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Step counter after the job: job.step + job.steps. */
  readonly step: number;
}

/** Runs train jobs somewhere: in this thread, on worker threads, or on machines pulling from a Redis queue. */
export interface TrainExecutor {
  /**
   * Trains every job; the jobs are independent and may run in parallel. The trainable must get its own copy of
   * `job.state` (serialised or cloned): the scheduler shares states between members and never copies them itself.
   * @returns one result per job, in the order of `jobs`.
   */
  train(jobs: readonly TrainJob[]): Promise<TrainResult[]>;
  /** Releases threads and connections (idempotent). */
  close(): Promise<void>;
}

const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/** zod schema of plain JSON values (snapshots, job states). */
export { jsonValueSchema };

const hyperparameterValueSchema = z.union([z.number(), z.string(), z.boolean()], { error: 'a number, string or boolean' });

/** zod schema of a hyperparameter object. */
export const hyperparametersSchema = z.record(z.string(), hyperparameterValueSchema);

/** zod schema of a {@link TrainJob} (checked where a job enters a worker from Redis or a thread). */
export const trainJobSchema = z.object({
  memberId: z.int().nonnegative(),
  hyperparameters: hyperparametersSchema,
  state: jsonValueSchema,
  steps: z.int().positive(),
  step: z.int().nonnegative(),
  seed: z.int(),
  generation: z.int().nonnegative(),
});

/** zod schema of a {@link TrainResult} (checked where a result comes back from a worker). */
export const trainResultSchema = z.object({
  memberId: z.int().nonnegative(),
  state: jsonValueSchema,
  score: z.number().refine(Number.isFinite, 'a finite score'),
  metrics: z.record(z.string(), z.number()),
  step: z.int().nonnegative(),
});

/**
 * Runs one job: builds the trainable from the job's hyperparameters, restores the state (if any), trains and
 * snapshots. Every executor runs jobs through this function, so all of them give identical results.
 *
 * @param module - the trainable's module.
 * @param job - the job.
 * @returns the result; `state` is the trainable's snapshot after training.
 * @throws StateError when the trainable reports a score that is not a finite number; whatever the trainable throws.
 * @example
 * const result = await runTrainJob(module, { memberId: 0, hyperparameters: { lr: 0.1 }, state: null, steps: 10, step: 0, seed: 1, generation: 0 });
 */
export async function runTrainJob(module: TrainableModule, job: TrainJob): Promise<TrainResult> {
  const trainable = await module.createTrainable(job.hyperparameters, { memberId: job.memberId, seed: job.seed });
  if (job.state !== null) await trainable.restore(job.state);
  const outcome = await trainable.train(job.steps);
  if (typeof outcome?.score !== 'number' || !Number.isFinite(outcome.score)) {
    throw new StateError({ what: `member ${job.memberId}'s train result`, problem: `score is ${String(outcome?.score)}, expected a finite number` });
  }
  const state = (await trainable.snapshot()) ?? null;
  return { memberId: job.memberId, state, score: outcome.score, metrics: { ...(outcome.metrics ?? {}) }, step: job.step + job.steps };
}

/**
 * Loads a trainable module from a URL (or absolute path). TypeScript modules (.ts/.mts/.cts) load through tsx's
 * `tsImport`, which works in worker threads and plain node processes alike; JavaScript modules load with
 * `import()`. Modules are cached per URL.
 *
 * @param url - file URL or absolute path of a module exporting `createTrainable`.
 * @returns the module.
 * @throws StateError when the module does not export a `createTrainable` function.
 * @example
 * const module = await loadTrainableModule(new URL('./my-trainable.js', import.meta.url).href);
 */
export async function loadTrainableModule(url: string): Promise<TrainableModule> {
  let pending = moduleCache.get(url);
  if (pending === undefined) {
    pending = importModule(url);
    moduleCache.set(url, pending);
  }
  return pending;
}

const moduleCache = new Map<string, Promise<TrainableModule>>();

async function importModule(url: string): Promise<TrainableModule> {
  const href = url.startsWith('/') ? new URL(`file://${url}`).href : url;
  let loaded: unknown;
  if (/\.[cm]?ts$/.test(new URL(href).pathname)) {
    // tsx is the repository's TypeScript runner; only needed when the trainable module is TypeScript.
    const { tsImport } = (await import('tsx/esm/api')) as { tsImport: (specifier: string, parent: string) => Promise<unknown> };
    loaded = await tsImport(href, import.meta.url);
  } else {
    loaded = await import(href);
  }
  const candidate = loaded as { createTrainable?: unknown; default?: { createTrainable?: unknown } };
  const factory = candidate.createTrainable ?? candidate.default?.createTrainable;
  if (typeof factory !== 'function') {
    throw new StateError({ what: `trainable module ${url}`, problem: 'it exports no createTrainable(hyperparameters, context) function' });
  }
  return { createTrainable: factory as TrainableModule['createTrainable'] };
}
