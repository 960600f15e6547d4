import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { InlineExecutor } from './inline-executor.js';
import { PopulationBasedTraining } from './pbt.js';
import { RedisExecutor, startPbtWorker } from './redis-executor.js';
import type { PbtWorker } from './redis-executor.js';
import type { TrainJob } from './trainable.js';
import * as quadratic from './testing/quadratic-trainable.js';
import { quadraticModuleUrl, quadraticSpace } from './testing/quadratic-trainable.js';
import { startTestRedis } from './testing/redis-server.js';
import type { TestRedis } from './testing/redis-server.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./testing/redis-worker-process.ts', import.meta.url));

const job = (memberId: number, steps = 6): TrainJob => ({
  memberId,
  hyperparameters: { lr: 0.03 * (memberId + 1), batch: 2, noise: 0.2 },
  state: null,
  steps,
  step: 0,
  seed: 500 + memberId,
  generation: 0,
});

let redis: TestRedis;
const closers: Array<() => Promise<unknown>> = [];
let queueCounter = 0;
const queueName = () => `pbt-test-${process.pid}-${queueCounter++}`;

beforeAll(async () => {
  redis = await startTestRedis();
}, 20_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await redis?.stop();
});

describe('RedisExecutor and startPbtWorker (real redis-server)', () => {
  it('round trip: jobs enqueued by the controller come back trained, exactly as InlineExecutor trains them', async () => {
    const name = queueName();
    const worker = startPbtWorker({ connection: redis.url, queueName: name, trainableModule: quadratic, concurrency: 2 });
    const executor = new RedisExecutor({ connection: redis.url, queueName: name });
    closers.push(() => worker.close(), () => executor.close());
    const jobs = [0, 1, 2].map((i) => job(i));
    expect(await executor.train(jobs)).toEqual(await new InlineExecutor(quadratic).train(jobs));

    const settings = { population: 4, hyperparameterSpace: quadraticSpace, perturbationInterval: 3, seed: 77 } as const;
    const viaRedis = await new PopulationBasedTraining({ ...settings, executor }).run({ generations: 3 });
    const inline = await new PopulationBasedTraining({ ...settings, executor: new InlineExecutor(quadratic) }).run({ generations: 3 });
    expect(viaRedis.lineage).toEqual(inline.lineage);
    expect(viaRedis.members).toEqual(inline.members);
  }, 30_000);

  it('fails the run with the worker’s error when a trainable throws', async () => {
    const name = queueName();
    const worker = startPbtWorker({ connection: redis.url, queueName: name, trainableModule: quadratic });
    const executor = new RedisExecutor({ connection: redis.url, queueName: name });
    closers.push(() => worker.close(), () => executor.close());
    await expect(executor.train([{ ...job(0), state: { theta: 5 } }])).rejects.toThrow(/theta/);
  }, 20_000);

  it('a worker process killed with SIGKILL mid-job: its job is found stalled and another worker completes it', async () => {
    const name = queueName();
    // Worker A: 200 ms per step, so the 8-step job runs ~1.6 s; its lock lasts 1 s without renewal.
    const a = spawn(process.execPath, ['--conditions=@trading-ml/source', '--import', 'tsx', WORKER_SCRIPT, redis.url, name, '1000', '300'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PBT_TEST_DELAY_MS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    closers.push(async () => a.kill('SIGKILL'));
    let out = '';
    let err = '';
    a.stdout.on('data', (d: Buffer) => (out += d.toString()));
    a.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<string | number | null>((resolve) => a.on('exit', (code, signal) => resolve(signal ?? code)));
    const waitFor = async (text: string) => {
      for (let i = 0; i < 1200 && !out.includes(text); i++) {
        if (a.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      if (!out.includes(text)) throw new Error(`worker A never printed "${text}": ${err}`);
    };
    await waitFor('ready');

    const executor = new RedisExecutor({ connection: redis.url, queueName: name });
    const events = new QueueEvents(name, { connection: { url: redis.url, maxRetriesPerRequest: null } });
    closers.push(() => executor.close(), () => events.close());
    await events.waitUntilReady();
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));

    const target = job(1, 8);
    const pending = executor.train([target]);
    await waitFor('active');
    await new Promise((r) => setTimeout(r, 300)); // A is now mid-job
    // Worker B joins with its stalled-job checker, then A dies without a word.
    const b: PbtWorker = startPbtWorker({ connection: redis.url, queueName: name, trainableModule: quadratic, lockDuration: 1000, stalledInterval: 300, maxStalledCount: 2 });
    closers.push(() => b.close());
    // B's own 'completed' event fires after its moveToCompleted call returns, which may be after the controller
    // has already read the completion from the event stream: wait for both rather than assume an order.
    const completedByB = new Promise<string>((resolve) => b.worker.once('completed', (j) => resolve(String(j.id))));
    a.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const [result] = await pending;
    const [reference] = await new InlineExecutor(quadratic).train([target]);
    expect(result).toEqual(reference);
    const jobId = await completedByB;
    // The test's own event stream reader may lag behind the executor's.
    await vi.waitFor(() => expect(stalled).toEqual([jobId]), { timeout: 10_000, interval: 50 });
  }, 40_000);

  it('validates its options', () => {
    expect(() => new RedisExecutor({ connection: 'http://nope', queueName: 'q' })).toThrow(/Invalid connection: got "http:\/\/nope", expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => new RedisExecutor({ connection: redis.url, queueName: 'a:b' })).toThrow(ConfigError);
    expect(() => startPbtWorker({ connection: redis.url, queueName: 'q', trainableModule: quadraticModuleUrl, lockDuration: 0 })).toThrow(/Invalid lockDuration: got 0/);
  });
});
