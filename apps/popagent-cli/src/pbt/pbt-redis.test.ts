import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { runCli } from '../command.js';
import { captureIo } from '../testing/capture-io.js';
import { startTestRedis } from '../../../../libs/pbt/src/testing/redis-server.js';
import type { TestRedis } from '../../../../libs/pbt/src/testing/redis-server.js';
import { SHORT_PBT, comparable, exited, readResults, spawnPopagent } from './testing/short-run.js';

const tempOut = (name: string) => mkdtempSync(join(tmpdir(), `popagent-pbt-${name}-`));

let redis: TestRedis;
const workers: Array<ReturnType<typeof spawnPopagent>> = [];

beforeAll(async () => {
  redis = await startTestRedis();
}, 20_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await redis?.stop();
});

describe('popagent pbt --executor redis with `popagent pbt-worker` processes (real redis-server)', () => {
  it('trains through the queue and gives exactly the inline run’s schedule and results; the worker stops on SIGTERM', async () => {
    const queue = `popagent-pbt-test-${process.pid}`;
    const worker = spawnPopagent(['pbt-worker', '--redis-url', redis.url, '--queue', queue]);
    workers.push(worker);
    const deadline = Date.now() + 60_000;
    while (!worker.output().includes('waiting for jobs')) {
      if (worker.exitCode !== null || Date.now() > deadline) throw new Error(`pbt-worker did not start: ${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const viaRedisOut = tempOut('redis');
    const io = captureIo();
    const { exitCode } = await runCli(['pbt', ...SHORT_PBT, '--executor', 'redis', '--redis-url', redis.url, '--queue', queue, '--out', viaRedisOut], io);
    expect(io.stderr.join('')).toBe('');
    expect(exitCode).toBe(0);

    const inlineOut = tempOut('redis-inline');
    expect((await runCli(['pbt', ...SHORT_PBT, '--executor', 'inline', '--out', inlineOut], captureIo())).exitCode).toBe(0);
    expect(readResults(viaRedisOut).options.executor).toBe('redis');
    expect(comparable(readResults(viaRedisOut))).toEqual(comparable(readResults(inlineOut)));
    expect(readFileSync(join(viaRedisOut, 'lineage.jsonl'), 'utf8')).toBe(readFileSync(join(inlineOut, 'lineage.jsonl'), 'utf8'));

    worker.kill('SIGTERM');
    expect(await exited(worker)).toBe(0);
    expect(worker.output()).toContain('pbt-worker: stopped.');
  }, 90_000);
});
