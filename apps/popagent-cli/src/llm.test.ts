// Conditions B and D through the real command: the real openai client over HTTP to the llm-reasoning test
// server on 127.0.0.1 (a free port), real bundled data (ETH, one month, 3 agents), outputs in temp folders.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReply, startOpenAiProtocolServer } from '../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import type { OpenAiProtocolServer, RecordedRequest } from '../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import { EXIT_FAILURE, EXIT_USAGE, runCli } from './command.js';
import { resultsDocumentSchema } from './results-schema.js';
import type { ResultsDocument } from './results-schema.js';
import { captureIo } from './testing/capture-io.js';

const SHORT = ['--symbols', 'ETH', '--start', '2024-01-01', '--end', '2024-02-01', '--population', '3', '--seed', '7', '--no-progress', '--threads', '1'];
const directory = mkdtempSync(join(tmpdir(), 'popagent-llm-cli-'));
let server: OpenAiProtocolServer;

/** The decision time in a prompt's first line; answers depend on it alone, so every rerun gets the same ones. */
function decisionTime(request: RecordedRequest): number {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  return Date.parse(/ at (\S+), the close/.exec(messages.find((m) => m.role === 'user')!.content)![1]!);
}

beforeAll(async () => {
  server = await startOpenAiProtocolServer({
    respond: (request) => {
      const day = Math.floor(decisionTime(request) / 86_400_000);
      return jsonReply({ action: (['BUY', 'SELL', 'HOLD'] as const)[day % 3], confidence: 0.6, rationale: `day ${day}`, citedMemoryIds: [] });
    },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

function readResults(out: string): ResultsDocument {
  return resultsDocumentSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
}

/** A run without the fields that say where the LLM's answers came from (endpoint or cache). */
function withoutProvenance(run: ResultsDocument['runs'][number]) {
  return run.llm === undefined
    ? run
    : { ...run, llm: { ...run.llm, calls: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, views: run.llm.views.map((view) => ({ ...view, source: 'cache' })) } };
}

describe('popagent ablation with an LLM (conditions B and D)', () => {
  const cache = join(directory, 'cache.sqlite');
  let live: ResultsDocument;

  it('--condition all with an endpoint runs A, B, C and D and writes the LLM ledger', async () => {
    const out = join(directory, 'live');
    const io = captureIo();
    const before = server.requests.length;
    const { exitCode } = await runCli(['ablation', ...SHORT, '--out', out, '--llm-base-url', server.baseURL, '--llm-model', 'gpt-4o-mini', '--llm-cache', cache], io);
    expect(io.stderr.join('')).toBe('');
    expect(exitCode).toBe(0);
    live = readResults(out);
    expect(live.runs.map((run) => `${run.condition} ${run.symbol}`)).toEqual(['A ETH/USDT', 'B ETH/USDT', 'C ETH/USDT', 'D ETH/USDT']);
    expect(live.options.skippedConditions).toEqual([]);
    const [a, b, c, d] = live.runs;
    // B trades A's population moved by the LLM; D likewise C's. Closes 2024-01-01 00:00 … 2024-02-01 00:00 on 4h
    // bars: 31·6 + 1 = 187 decisions, asked at decisions 0, 6, …, 186: 32 consultations per run.
    expect(b!.llm!.populationExposure).toEqual(a!.exposure);
    expect(d!.llm!.populationExposure).toEqual(c!.exposure);
    expect(b!.exposure).not.toEqual(a!.exposure);
    for (const run of [b!, d!]) expect(run.llm).toMatchObject({ model: 'gpt-4o-mini', every: 6, consultations: 32, calls: 32, cacheHits: 0, fallbacks: 0 });
    expect(server.requests.length - before).toBe(64);
    expect(live.llm).toMatchObject({ model: 'gpt-4o-mini', baseURL: server.baseURL, cache, every: 6, stopped: null, ledger: { calls: 64, cacheHits: 0 } });
    expect(live.llm!.ledger.costUsd).toBeCloseTo(b!.llm!.costUsd + d!.llm!.costUsd, 12);
    expect(live.llm!.ledger.costUsd).toBeGreaterThan(0); // gpt-4o-mini is priced

    const printed = io.stdout.join('');
    expect(printed).toContain('Condition B · LLM reasoning');
    expect(printed).toContain('Condition D · LLM + news');
    expect(printed).toContain('LLM ledger (gpt-4o-mini)');
    expect(printed).toMatch(/│ B ETH\/USDT +│ +32 │/);
    expect(printed).toMatch(/│ total +│/);
    expect(printed).not.toContain('need an LLM endpoint');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>LLM ledger</h2>');
    expect(html).toContain('D ETH/USDT');
  });

  it('a rerun from the cache without --llm-base-url gives identical results and sends zero requests', async () => {
    const out = join(directory, 'replay');
    const io = captureIo();
    const before = server.requests.length;
    const { exitCode } = await runCli(['ablation', ...SHORT, '--out', out, '--llm-model', 'gpt-4o-mini', '--llm-cache', cache], io);
    expect(io.stderr.join('')).toBe('');
    expect(exitCode).toBe(0);
    expect(server.requests.length).toBe(before);
    const replay = readResults(out);
    expect(replay.runs.map(withoutProvenance)).toEqual(live.runs.map(withoutProvenance));
    expect(replay.runs[1]!.llm).toMatchObject({ calls: 0, cacheHits: 32, costUsd: 0 });
    expect(replay.llm).toMatchObject({ baseURL: null, ledger: { calls: 0, cacheHits: 64, costUsd: 0 } });
  });

  it('a cache miss without an endpoint stops with the client’s one-line message saying what to configure', async () => {
    const io = captureIo();
    const args = ['ablation', ...SHORT, '--condition', 'B', '--out', join(directory, 'miss'), '--llm-model', 'gpt-4o-mini', '--llm-cache', cache, '--llm-every', '5'];
    const { exitCode } = await runCli(args, io);
    expect(exitCode).toBe(EXIT_FAILURE);
    const lines = io.stderr.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: No LLM endpoint is configured and the response cache .* has no entry for this chat request .*Configure --llm-base-url/);
  });

  it('a spending limit stops cleanly: finished runs written, the spend printed, exit 1; a rerun resumes from the cache', async () => {
    const out = join(directory, 'budget');
    const budgetCache = join(directory, 'budget.sqlite');
    const io = captureIo();
    // About 1 000 prompt tokens a call plus 256 reserved for the answer: room for roughly ten calls.
    const args = ['ablation', ...SHORT, '--out', out, '--llm-base-url', server.baseURL, '--llm-model', 'gpt-4o-mini', '--llm-cache', budgetCache];
    const { exitCode } = await runCli([...args, '--llm-max-tokens', '12000'], io);
    expect(exitCode).toBe(EXIT_FAILURE);
    const stopped = readResults(out);
    expect(stopped.runs.map((run) => run.condition)).toEqual(['A', 'C']);
    expect(stopped.llm!.stopped).toMatchObject({ unit: 'tokens', limit: 12000, unfinished: ['B ETH/USDT', 'D ETH/USDT'] });
    const calls = stopped.llm!.ledger.calls;
    expect(calls).toBeGreaterThan(3);
    expect(calls).toBeLessThan(32);
    expect(stopped.llm!.ledger.promptTokens + stopped.llm!.ledger.completionTokens).toBeLessThanOrEqual(12000);
    expect(io.stdout.join('')).toMatch(/LLM spending limit reached, the ablation stopped cleanly: .*Spent \$\d\.\d{4} \(estimated\) and \d+ tokens in \d+ calls\. Not finished: B ETH\/USDT, D ETH\/USDT/s);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Stopped by the LLM spending limit');
    expect(html).toContain('<h3>C · news sentiment</h3>');
    expect(html).not.toContain('<h3>B · LLM reasoning</h3>'); // no run finished: no empty table

    const resumed = captureIo();
    expect((await runCli(args, resumed)).exitCode).toBe(0);
    const complete = readResults(out);
    expect(complete.runs.map((run) => run.condition)).toEqual(['A', 'B', 'C', 'D']);
    expect(complete.runs[1]!.llm!.cacheHits).toBe(calls); // the calls paid for before the stop replay free
    expect(complete.runs.map(withoutProvenance)).toEqual(live.runs.map(withoutProvenance));
  });

  it('exits 2 with one line saying what to configure for B or D without an endpoint or cache, or without a model', async () => {
    for (const condition of ['B', 'D']) {
      const io = captureIo();
      expect((await runCli(['ablation', '--condition', condition], io)).exitCode).toBe(EXIT_USAGE);
      const lines = io.stderr.join('').trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `error: Invalid --condition: got "${condition}", expected A, C or all without an LLM: condition ${condition} needs an LLM endpoint; configure --llm-base-url URL and --llm-model NAME (an OpenAI-compatible endpoint such as http://127.0.0.1:11434/v1; API key in $OPENAI_API_KEY or the variable named by --llm-api-key-env), or --llm-cache FILE with --llm-model NAME to replay an earlier run's answers offline`,
      );
    }
    const noModel = captureIo();
    expect((await runCli(['ablation', '--condition', 'B', '--llm-base-url', server.baseURL], noModel)).exitCode).toBe(EXIT_USAGE);
    expect(noModel.stderr.join('')).toMatch(/^error: Invalid --llm-model: got "\(not set\)", expected the model name/);
    const missingCache = captureIo();
    expect((await runCli(['ablation', '--condition', 'D', '--llm-model', 'm', '--llm-cache', join(directory, 'none.sqlite')], missingCache)).exitCode).toBe(EXIT_USAGE);
    expect(missingCache.stderr.join('')).toMatch(/^error: Invalid --llm-cache: got ".*none\.sqlite", expected an existing cache file when no --llm-base-url is given/);
    const unpriced = captureIo();
    const budget = ['ablation', ...SHORT, '--condition', 'B', '--out', join(directory, 'unpriced'), '--llm-base-url', server.baseURL, '--llm-model', 'local-model', '--llm-budget-usd', '1'];
    expect((await runCli(budget, unpriced)).exitCode).toBe(EXIT_USAGE);
    expect(unpriced.stderr.join('')).toMatch(/^error: Invalid --llm-model: got "local-model", expected a model with a price in priceTable when budgetUsd is set/);
    expect(unpriced.stdout.join('')).toBe(''); // refused before any output
  });
});
