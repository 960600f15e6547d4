import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAiProtocolServer } from '../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import { startTestPostgres } from '../../../libs/llm-reasoning/src/testing/postgres-server.js';
import type { TestPostgres } from '../../../libs/llm-reasoning/src/testing/postgres-server.js';
import { EXIT_USAGE, runCli } from './command.js';
import { resultsDocumentSchema } from './results-schema.js';
import type { ResultsDocument } from './results-schema.js';
import { captureIo } from './testing/capture-io.js';
import { startFinMemServer } from './testing/finmem-server.js';

const TRAIN = ['train', '--symbol', 'TSLA', '--start', '2023-02-27', '--end', '2023-03-10', '--character', 'risk-averse', '--llm-model', 'test-model'];
const TEST = ['test', '--symbol', 'TSLA', '--start', '2023-03-13', '--end', '2023-03-17', '--character', 'risk-averse', '--llm-model', 'test-model'];
const PASSWORD = 'pw-finmem-7c1e';

const read = (path: string): ResultsDocument => resultsDocumentSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
const outcome = (doc: ResultsDocument) => ({ decisions: doc.decisions.map(({ source: _source, ...rest }) => rest), performance: doc.performance, equity: doc.equity, memory: doc.memory });

let llm: OpenAiProtocolServer;
let postgres: TestPostgres;
beforeAll(async () => {
  [llm, postgres] = await Promise.all([startFinMemServer(), startTestPostgres()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([llm?.close(), postgres?.stop()]);
});

describe('finmem-agent --memory-db postgres://… (real PostgreSQL)', () => {
  it('trains and tests exactly as on the SQLite memory; the results never show the password', async () => {
    // A database of its own on the test server (trust authentication: any password is accepted, and must be masked).
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    const database = `finmem_e2e_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = `/${database}`;
    url.password = PASSWORD;

    const root = mkdtempSync(join(tmpdir(), 'finmem-pg-'));
    const cache = join(root, 'llm-cache.sqlite');
    const onSqlite = ['--llm-base-url', llm.baseURL, '--llm-cache', cache, '--out', join(root, 'sqlite')];
    for (const phase of [TRAIN, TEST]) expect((await runCli([...phase, ...onSqlite], captureIo())).exitCode).toBe(0);

    // The same runs from the cache (offline), the memory in PostgreSQL.
    const requests = llm.requests.length;
    const onPostgres = ['--llm-cache', cache, '--out', join(root, 'pg'), '--memory-db', url.toString()];
    for (const phase of [TRAIN, TEST]) {
      const io = captureIo();
      expect((await runCli([...phase, ...onPostgres], io)).exitCode, io.stderr.join('')).toBe(0);
      expect(io.stdout.join('') + io.stderr.join('')).not.toContain(PASSWORD);
    }
    expect(llm.requests.length).toBe(requests);
    expect(outcome(read(join(root, 'pg', 'train.json')))).toEqual(outcome(read(join(root, 'sqlite', 'train.json'))));
    const tested = read(join(root, 'pg', 'results.json'));
    expect(outcome(tested)).toEqual(outcome(read(join(root, 'sqlite', 'results.json'))));
    expect(tested.memoryDb).toBe(url.toString().replace(PASSWORD, '***'));
    for (const file of ['results.json', 'report.html', 'train.json', 'train.html']) expect(readFileSync(join(root, 'pg', file), 'utf8')).not.toContain(PASSWORD);

    // The memory really is in PostgreSQL: a rerun of the test resumes every day from it.
    expect((await runCli([...TEST, ...onPostgres], captureIo())).exitCode).toBe(0);
    expect(read(join(root, 'pg', 'results.json')).resumedDays).toBe(5);
  }, 60_000);

  it('an unreachable server exits 2 naming --memory-db, password masked', async () => {
    const io = captureIo();
    const { exitCode } = await runCli([...TRAIN, '--llm-cache', join(tmpdir(), 'unused.sqlite'), '--llm-base-url', llm.baseURL, '--out', mkdtempSync(join(tmpdir(), 'finmem-pg-')), '--memory-db', `postgres://me:${PASSWORD}@127.0.0.1:1/finmem`], io);
    expect(exitCode).toBe(EXIT_USAGE);
    const stderr = io.stderr.join('');
    expect(stderr).toMatch(/^error: Invalid --memory-db: got "postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/finmem", expected a reachable PostgreSQL database/);
    expect(stderr).not.toContain(PASSWORD);
  });
});
