import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAiProtocolServer } from '../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import { EXIT_FAILURE, EXIT_USAGE, runCli } from './command.js';
import { resultsDocumentSchema } from './results-schema.js';
import type { ResultsDocument } from './results-schema.js';
import { captureIo } from './testing/capture-io.js';
import { startFinMemServer } from './testing/finmem-server.js';

/** TSLA: 2 weeks of training (the 2023-03-04 headlines reach the 03-06 bar), 2 weeks of testing. */
const TRAIN = ['train', '--symbol', 'TSLA', '--start', '2023-02-27', '--end', '2023-03-10', '--character', 'self-adaptive', '--llm-model', 'test-model'];
const TEST = ['test', '--symbol', 'TSLA', '--start', '2023-03-13', '--end', '2023-03-24', '--character', 'self-adaptive', '--llm-model', 'test-model'];

function readResults(path: string): ResultsDocument {
  return resultsDocumentSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The parts of a results document that must not depend on where the answers came from. */
function outcome(doc: ResultsDocument) {
  return { decisions: doc.decisions.map(({ source: _source, ...rest }) => rest), performance: doc.performance, equity: doc.equity, memory: doc.memory };
}

describe('finmem-agent flags', () => {
  async function usage(args: string[]): Promise<string> {
    const io = captureIo();
    const { exitCode } = await runCli(args, io);
    expect(exitCode).toBe(EXIT_USAGE);
    expect(io.stdout.join('')).toBe('');
    const lines = io.stderr.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0] as string;
  }

  it('exits 2 with one line naming the flag, the value and what was expected', async () => {
    expect(await usage(['train', '--character', 'reckless', '--llm-model', 'm', '--llm-base-url', 'http://127.0.0.1:9/v1'])).toBe(
      'error: Invalid --character: got "reckless", expected risk-seeking | risk-averse | self-adaptive',
    );
    expect(await usage(['test', '--start', '2023-02-30', '--llm-model', 'm', '--llm-base-url', 'http://127.0.0.1:9/v1'])).toBe(
      'error: Invalid --start: got "2023-02-30", expected a calendar date YYYY-MM-DD, e.g. 2023-07-01',
    );
    expect(await usage(['test', '--symbol', 'NOPE', '--llm-model', 'm', '--llm-base-url', 'http://127.0.0.1:9/v1'])).toMatch(/^error: Invalid --symbol: got "NOPE", expected a symbol with a data file/);
    expect(await usage(['train', '--llm-model', 'm', '--llm-budget-usd', 'lots', '--llm-base-url', 'http://127.0.0.1:9/v1'])).toBe(
      'error: Invalid --llm-budget-usd: got "lots", expected a positive number of US dollars, e.g. 2.5',
    );
    expect(await usage(['train', '--llm-model', 'm', '--llm-base-url', 'ftp://x'])).toMatch(/^error: Invalid --llm-base-url: got "ftp:\/\/x", expected an http\(s\) URL/);
    expect(await usage(['train', '--llm-modle', 'm'])).toContain("unknown option '--llm-modle'");
    // the client's own option check, re-issued under the flag's name
    expect(await usage(['train', '--llm-model', 'my-local-model', '--llm-budget-usd', '1', '--llm-base-url', 'http://127.0.0.1:9/v1'])).toMatch(
      /^error: Invalid --llm-model: got "my-local-model", expected a model with a price in priceTable when budgetUsd is set/,
    );
  });

  it('says exactly what to configure when there is no endpoint and no cache', async () => {
    expect(await usage(['train', '--llm-model', 'm'])).toBe(
      "error: Invalid --llm-base-url: got \"(not set)\", expected an OpenAI-compatible endpoint such as 'http://127.0.0.1:11434/v1' (API key in $OPENAI_API_KEY or --llm-api-key-env NAME), or --llm-cache FILE holding every answer of this run for an offline replay",
    );
    expect(await usage(['train', '--llm-base-url', 'http://127.0.0.1:9/v1'])).toMatch(/^error: Invalid --llm-model: got "\(not set\)", expected the model name/);
    expect(await usage(['train'])).toBe(
      "error: Invalid --llm-base-url: got \"(not set)\", expected an OpenAI-compatible endpoint such as 'http://127.0.0.1:11434/v1' (API key in $OPENAI_API_KEY or --llm-api-key-env NAME), or --llm-cache FILE holding every answer of this run for an offline replay; and --llm-model NAME (e.g. 'gpt-4o-mini' or 'llama3.1:8b')",
    );
    expect(await usage(['train', '--llm-model', 'm', '--llm-cache', join(tmpdir(), 'no-such-finmem-cache.sqlite')])).toMatch(
      /^error: Invalid --llm-cache: got ".*no-such-finmem-cache.sqlite", expected an existing cache file when no --llm-base-url is given/,
    );
  });
});

describe('finmem-agent train → test (end to end: real client, OpenAI-protocol test server)', () => {
  let server: OpenAiProtocolServer;
  beforeAll(async () => {
    server = await startFinMemServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('trains, tests against buy-and-hold, replays offline from the cache, and resumes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finmem-e2e-'));
    const cache = join(root, 'llm-cache.sqlite');
    const first = join(root, 'first');
    const online = ['--llm-base-url', server.baseURL, '--llm-cache', cache, '--out', first];

    const trainIo = captureIo();
    const train = await runCli([...TRAIN, ...online], trainIo);
    expect(trainIo.stderr.join('')).toBe('');
    expect(train.exitCode).toBe(0);
    const trained = readResults(join(first, 'train.json'));
    expect(trained.days).toBe(10); // 2023-02-27 … 2023-03-10: 10 sessions
    expect(trained.performance).toBeNull();
    expect(trained.memory.reflection).toBeGreaterThan(0);
    expect(trained.memory.mid).toBeGreaterThan(0); // weekly summaries
    // the weekend headlines reached the Monday prompt only inside a quoted data block
    const monday = server.requests.find((request) => JSON.stringify(request.body).includes('Trading day 2023-03-06'));
    const prompt = (monday?.body as { messages: { content: string }[] }).messages.map((message) => message.content).join('\n');
    expect(prompt).toMatch(/<<<UNTRUSTED_DATA label="memory\/short">>>\n(.*\n)*\{"id":"2023-03-06\/news-1","text":"Tesla recalls 3,470 Model Y/);

    const testIo = captureIo();
    const test = await runCli([...TEST, ...online], testIo);
    expect(testIo.stderr.join('')).toBe('');
    expect(test.exitCode).toBe(0);
    const tested = readResults(join(first, 'results.json'));
    expect(tested.days).toBe(10);
    expect(tested.decisions[0]!.day).toBe('2023-03-13');
    expect(tested.performance).not.toBeNull();
    expect(tested.equity!.time).toHaveLength(10);
    expect(tested.ledger.calls).toBeGreaterThanOrEqual(20); // a decision and a reflection per day
    expect(tested.periodsPerYear).toBe(252);
    const printed = testIo.stdout.join('');
    expect(printed).toContain('buy & hold');
    expect(printed).toContain('cumulative return');
    expect(printed).toContain('LLM ledger');
    expect(printed).toContain('finmem/test/decision');
    expect(readFileSync(join(first, 'report.html'), 'utf8')).toContain('<svg');

    // offline replay: no endpoint, the same cache, fresh memory → identical outcome, no request reaches the server
    const requestsBefore = server.requests.length;
    const second = join(root, 'second');
    const offline = ['--llm-cache', cache, '--out', second];
    const replayTrain = captureIo();
    expect((await runCli([...TRAIN, ...offline], replayTrain)).exitCode).toBe(0);
    const replayTest = captureIo();
    expect((await runCli([...TEST, ...offline], replayTest)).exitCode).toBe(0);
    expect(replayTest.stderr.join('')).toBe('');
    expect(server.requests.length).toBe(requestsBefore);
    const replayed = readResults(join(second, 'results.json'));
    expect(outcome(replayed)).toEqual(outcome(tested));
    expect(outcome(readResults(join(second, 'train.json')))).toEqual(outcome(trained));
    expect(replayed.ledger.calls).toBe(0);
    expect(replayed.ledger.cacheHits).toBeGreaterThan(0);

    // rerun of the finished test on the same memory: every day is resumed, nothing is asked again
    const rerun = captureIo();
    expect((await runCli([...TEST, ...online], rerun)).exitCode).toBe(0);
    expect(server.requests.length).toBe(requestsBefore);
    const resumed = readResults(join(first, 'results.json'));
    expect(resumed.resumedDays).toBe(10);
    expect(outcome(resumed)).toEqual(outcome(tested));
  }, 60_000);

  it('stops cleanly at the token limit, keeps the days done, and resumes with a larger limit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finmem-budget-'));
    const args = [...TRAIN, '--llm-base-url', server.baseURL, '--out', root];
    const io = captureIo();
    const limited = await runCli([...args, '--llm-max-tokens', '4000'], io);
    expect(limited.exitCode).toBe(0);
    const doc = readResults(join(root, 'train.json'));
    expect(doc.stopped?.reason).toBe('budget');
    expect(doc.days).toBeGreaterThan(0);
    expect(doc.days + doc.stopped!.remainingDays).toBe(10);
    expect(io.stdout.join('')).toContain('stopped early by the LLM budget');

    const more = await runCli(args, captureIo());
    expect(more.exitCode).toBe(0);
    const finished = readResults(join(root, 'train.json'));
    expect(finished.stopped).toBeNull();
    expect(finished.resumedDays).toBe(doc.days);
    expect(finished.days).toBe(10);
  }, 60_000);

  it('exits 1 with one line saying what to configure when an offline cache lacks an answer', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finmem-miss-'));
    const cache = join(root, 'cache.sqlite');
    expect((await runCli([...TRAIN, '--end', '2023-02-28', '--llm-base-url', server.baseURL, '--llm-cache', cache, '--out', join(root, 'a')], captureIo())).exitCode).toBe(0);
    const io = captureIo();
    const { exitCode } = await runCli([...TRAIN, '--llm-cache', cache, '--out', join(root, 'b')], io);
    expect(exitCode).toBe(EXIT_FAILURE);
    const lines = io.stderr.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: No LLM endpoint is configured .* Configure --llm-base-url/);
    expect(existsSync(join(root, 'b', 'memory.sqlite'))).toBe(true); // the two cached days were kept
  }, 60_000);
});
