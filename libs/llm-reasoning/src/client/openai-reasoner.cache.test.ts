// The response cache (hit/miss, replay with zero requests, offline replay, read-only, sharing), the budget and
// token limits, and embeddings (float encoding, per-text cache).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, LlmUnavailableError } from '@trading-ml/core';
import { createLlmReasoner } from './openai-reasoner.js';
import type { LlmReasonerOptions } from './options.js';
import type { OpenAiProtocolServer, ScriptedReply } from '../testing/openai-protocol-server.js';
import { hashedEmbedding, jsonReply, startOpenAiProtocolServer, textReply } from '../testing/openai-protocol-server.js';
import { TEST_ENV, captureLogger, decisionJson } from '../testing/fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'llm-reasoning-cache-'));
let fileCounter = 0;
const freshCacheFile = (): string => join(directory, `cache-${++fileCounter}.sqlite`);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let server: OpenAiProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(replies: ScriptedReply[]): Promise<OpenAiProtocolServer> {
  server = await startOpenAiProtocolServer({ replies });
  return server;
}

function reasonerFor(baseURL: string | undefined, options: Partial<LlmReasonerOptions> = {}) {
  return createLlmReasoner({ baseURL, model: 'test-model', apiKeyEnv: 'TEST_LLM_API_KEY', env: TEST_ENV, maxRetries: 0, logger: captureLogger(), ...options });
}

const request = { messages: [{ role: 'user' as const, content: 'ETH/USDT closed -2%.' }], asOf: Date.UTC(2024, 4, 1), purpose: 'test/decision', allowedCitationIds: ['m1'] };

describe('response cache', () => {
  it('replays a rerun from the cache file with zero HTTP requests and the same decision', async () => {
    const cache = freshCacheFile();
    const { baseURL, requests } = await serve([jsonReply(decisionJson('BUY', 0.7, ['m1']))]);
    const first = reasonerFor(baseURL, { cache });
    const live = await first.decide(request);
    first.close();
    expect(live.source).toBe('llm');
    expect(requests).toHaveLength(1);

    const second = reasonerFor(baseURL, { cache });
    const replay = await second.decide(request);
    expect(requests).toHaveLength(1); // no new request
    expect(replay).toEqual({ decision: live.decision, source: 'cache', usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });
    expect(second.ledger()).toMatchObject({ calls: 0, cacheHits: 1, promptTokens: 0, costUsd: 0 });
    second.close();
  });

  it('misses for another asOf, model, temperature or set of allowed ids', async () => {
    const cache = freshCacheFile();
    const replies = Array.from({ length: 5 }, () => jsonReply(decisionJson('HOLD', 0.5)));
    const { baseURL, requests } = await serve(replies);
    const base = reasonerFor(baseURL, { cache });
    await base.decide(request);
    await base.decide({ ...request, asOf: request.asOf + 1 });
    await base.decide({ ...request, allowedCitationIds: ['m1', 'm2'] });
    await base.decide(request); // hit
    base.close();
    const otherModel = reasonerFor(baseURL, { cache, model: 'other-model' });
    await otherModel.decide(request);
    otherModel.close();
    const warmer = reasonerFor(baseURL, { cache, temperature: 0.7 });
    await warmer.decide(request);
    warmer.close();
    expect(requests).toHaveLength(5);
  });

  it('replays the corrective retry too, so a fallback is reproduced offline', async () => {
    const cache = freshCacheFile();
    const { baseURL, requests } = await serve([textReply('no idea'), textReply('still no idea')]);
    const live = reasonerFor(baseURL, { cache });
    expect((await live.decide(request)).source).toBe('fallback');
    live.close();
    const offline = reasonerFor(undefined, { cache });
    const replay = await offline.decide(request);
    expect(replay.source).toBe('fallback');
    expect(offline.ledger()).toMatchObject({ cacheHits: 2, fallbacks: 1, calls: 0 });
    expect(requests).toHaveLength(2);
    offline.close();
  });

  it('works offline (no baseURL) on a hit and says what to configure on a miss', async () => {
    const cache = freshCacheFile();
    const { baseURL } = await serve([textReply('Reflection: the breakout held.')]);
    const live = reasonerFor(baseURL, { cache });
    const reflection = { messages: [{ role: 'user' as const, content: 'Reflect.' }], asOf: 5, purpose: 'test/reflection' };
    await live.complete(reflection);
    live.close();

    const offline = reasonerFor(undefined, { cache, apiKeyEnv: undefined });
    expect(await offline.complete(reflection)).toEqual({ text: 'Reflection: the breakout held.', source: 'cache', usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });
    const error = await offline.complete({ ...reflection, asOf: 6 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`the response cache ${cache} has no entry for this chat request`);
    expect(message).toContain('--llm-base-url');
    expect(message).toContain('--llm-model');
    expect(message).toContain('OPENAI_API_KEY');
    expect(message).toContain('asOf 1970-01-01T00:00:00.006Z');
    offline.close();
  });

  it('says no cache is configured when there is neither endpoint nor cache', async () => {
    const reasoner = reasonerFor(undefined);
    await expect(reasoner.decide(request)).rejects.toThrow(/No LLM endpoint is configured and no response cache is configured/);
    reasoner.close();
  });

  it("never writes in cacheMode 'read-only', and refuses a read-only file that does not exist", async () => {
    const cache = freshCacheFile();
    const { baseURL, requests } = await serve([jsonReply(decisionJson('HOLD', 0.5)), jsonReply(decisionJson('HOLD', 0.5)), jsonReply(decisionJson('SELL', 0.5))]);
    expect(() => reasonerFor(baseURL, { cache, cacheMode: 'read-only' })).toThrow(/Invalid cache: got ".*", expected an existing response cache file/);
    const writer = reasonerFor(baseURL, { cache });
    await writer.decide(request);
    writer.close();
    const reader = reasonerFor(baseURL, { cache, cacheMode: 'read-only' });
    expect((await reader.decide(request)).source).toBe('cache');
    await reader.decide({ ...request, asOf: 1 }); // a miss goes to the endpoint…
    await reader.decide({ ...request, asOf: 1 }); // …and is not stored
    expect(requests).toHaveLength(3);
    reader.close();
  });

  it("ignores the cache with cacheMode 'off'", async () => {
    const { baseURL, requests } = await serve([jsonReply(decisionJson('HOLD', 0.5)), jsonReply(decisionJson('HOLD', 0.5))]);
    const reasoner = reasonerFor(baseURL, { cache: ':memory:', cacheMode: 'off' });
    await reasoner.decide(request);
    await reasoner.decide(request);
    expect(requests).toHaveLength(2);
    reasoner.close();
  });

  it('can be shared: a second reasoner on the same file sees what the first wrote while both are open', async () => {
    const cache = freshCacheFile();
    const { baseURL, requests } = await serve([jsonReply(decisionJson('BUY', 0.9))]);
    const a = reasonerFor(baseURL, { cache });
    const b = reasonerFor(baseURL, { cache });
    await a.decide(request);
    expect((await b.decide(request)).source).toBe('cache');
    expect(requests).toHaveLength(1);
    a.close();
    b.close();
  });
});

describe('budget and token limits', () => {
  // $1000 per 1M prompt tokens and $2000 per 1M completion tokens; the server reports 100 + 50 tokens per call:
  // actual cost per call = 100·1000/1e6 + 50·2000/1e6 = $0.2.
  // Pre-call estimate for the message 'Summarise.' (10 chars): ⌈10/4⌉ + 4 = 7 prompt tokens, plus 50 completion
  // tokens (maxCompletionTokens) = 7·0.001 + 50·0.002 = $0.107, 57 tokens.
  const priceTable = { 'test-model': { promptPerMillion: 1000, completionPerMillion: 2000 } };
  const summary = (asOf: number) => ({ messages: [{ role: 'user' as const, content: 'Summarise.' }], asOf, purpose: 'test/summary' });
  const paid = (): ScriptedReply => textReply('ok', { usage: { promptTokens: 100, completionTokens: 50 } });

  it('refuses the call whose estimate would pass budgetUsd, without sending it, reporting what was spent', async () => {
    const { baseURL, requests } = await serve([paid(), paid(), paid()]);
    const reasoner = reasonerFor(baseURL, { priceTable, budgetUsd: 0.5, maxCompletionTokens: 50 });
    await reasoner.complete(summary(1)); // 0 + 0.107 ≤ 0.5 → spent 0.2
    await reasoner.complete(summary(2)); // 0.2 + 0.107 ≤ 0.5 → spent 0.4
    const error = await reasoner.complete(summary(3)).catch((caught: unknown) => caught); // 0.4 + 0.107 > 0.5
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ spent: 0.4, limit: 0.5, unit: 'USD', code: 'BUDGET_EXCEEDED' });
    expect((error as Error).message).toContain("before the chat call to test-model for 'test/summary', estimated at $0.107");
    expect(requests).toHaveLength(2);
    expect(reasoner.ledger().costUsd).toBeCloseTo(0.4, 12);
    expect(reasoner.ledger().byPurpose['test/summary']).toMatchObject({ calls: 2, promptTokens: 200, completionTokens: 100 });
    reasoner.close();
  });

  it('refuses even the first call when its estimate alone passes the budget', async () => {
    const { baseURL, requests } = await serve([paid()]);
    const reasoner = reasonerFor(baseURL, { priceTable, budgetUsd: 0.1, maxCompletionTokens: 50 });
    await expect(reasoner.complete(summary(1))).rejects.toMatchObject({ spent: 0, limit: 0.1 });
    expect(requests).toHaveLength(0);
    reasoner.close();
  });

  it('lets a cache hit through after the budget is spent (hits are free)', async () => {
    const cache = freshCacheFile();
    const { baseURL, requests } = await serve([paid()]);
    const reasoner = reasonerFor(baseURL, { priceTable, budgetUsd: 0.25, maxCompletionTokens: 50, cache });
    await reasoner.complete(summary(1)); // spent 0.2; next estimate would reach 0.307
    await expect(reasoner.complete(summary(2))).rejects.toBeInstanceOf(BudgetExceededError);
    expect((await reasoner.complete(summary(1))).source).toBe('cache');
    expect(requests).toHaveLength(1);
    reasoner.close();
  });

  it('enforces maxTokens on estimate before the call; actual usage may end slightly past it, then the next call is refused', async () => {
    const { baseURL, requests } = await serve([paid(), paid(), paid(), paid()]);
    const reasoner = reasonerFor(baseURL, { maxTokens: 400, maxCompletionTokens: 50 });
    await reasoner.complete(summary(1)); // 0 + 57 ≤ 400 → 150
    await reasoner.complete(summary(2)); // 150 + 57 ≤ 400 → 300
    await reasoner.complete(summary(3)); // 300 + 57 ≤ 400 → 450 (actual usage is larger than the estimate)
    const error = await reasoner.complete(summary(4)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ spent: 450, limit: 400, unit: 'tokens' });
    expect(requests).toHaveLength(3);
    reasoner.close();
  });

  it('rejects budgetUsd for a model without a price (the budget could never bind)', () => {
    expect(() => reasonerFor('http://127.0.0.1:9/v1', { budgetUsd: 1 })).toThrow(/Invalid model: got "test-model", expected a model with a price in priceTable when budgetUsd is set/);
  });

  it('prices calls from the default table (gpt-4o-mini, an estimate)', async () => {
    const { baseURL } = await serve([textReply('ok', { usage: { promptTokens: 1000, completionTokens: 200 } })]);
    const reasoner = reasonerFor(baseURL, { model: 'gpt-4o-mini' });
    const outcome = await reasoner.complete(summary(1));
    // 1000 · $0.15/1M + 200 · $0.60/1M = $0.00015 + $0.00012
    expect(outcome.usage.costUsd).toBeCloseTo(0.00027, 12);
    reasoner.close();
  });
});

describe('embeddings', () => {
  it("asks for encoding_format 'float', returns one vector per text and caches each text", async () => {
    const cache = freshCacheFile();
    const { baseURL, requests } = await serve([]);
    const reasoner = reasonerFor(baseURL, { cache, embeddingModel: 'test-embedder' });
    const texts = ['Bitcoin ETF approved', 'Ether upgrade delayed', 'Bitcoin ETF approved'];
    const vectors = await reasoner.embed(texts, 0, 'test/embed');
    expect(vectors).toHaveLength(3);
    expect(vectors[0]).toEqual(hashedEmbedding('Bitcoin ETF approved'));
    expect(vectors[1]).toEqual(hashedEmbedding('Ether upgrade delayed'));
    expect(vectors[2]).toEqual(vectors[0]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toEqual({ model: 'test-embedder', input: ['Bitcoin ETF approved', 'Ether upgrade delayed'], encoding_format: 'float' });

    // A later call sends only the new text; asOf does not matter for embeddings.
    const again = await reasoner.embed(['Ether upgrade delayed', 'Solana outage'], 99, 'test/embed');
    expect(again[0]).toEqual(vectors[1]);
    expect(requests).toHaveLength(2);
    expect((requests[1]?.body as { input: string[] }).input).toEqual(['Solana outage']);
    reasoner.close();

    const offline = reasonerFor(undefined, { cache, embeddingModel: 'test-embedder' });
    expect(await offline.embed(texts, 5, 'test/embed')).toEqual(vectors);
    expect(offline.ledger()).toMatchObject({ calls: 0, cacheHits: 1 });
    offline.close();
  });

  it('returns an empty list for no texts and rejects an empty text', async () => {
    const reasoner = reasonerFor(undefined);
    expect(await reasoner.embed([], 0, 'test/embed')).toEqual([]);
    await expect(reasoner.embed(['ok', ''], 0, 'test/embed')).rejects.toThrow('Invalid embed texts[1]: got "", expected a non-empty string');
    reasoner.close();
  });
});
