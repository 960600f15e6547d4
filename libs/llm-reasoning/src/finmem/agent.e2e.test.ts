/**
 * The agent through the real OpenAI-protocol client and the test server: decisions, reflections and embedding
 * retrieval over HTTP, answers validated by the client, memory in SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmReasoner } from '../client/openai-reasoner.js';
import { EmbeddingRelevance } from '../memory/relevance.js';
import { SqliteMemoryStore } from '../memory/sqlite-memory-store.js';
import { jsonReply, startOpenAiProtocolServer, textReply } from '../testing/openai-protocol-server.js';
import type { OpenAiProtocolServer } from '../testing/openai-protocol-server.js';
import { FinMemAgent } from './agent.js';
import { runFinMem } from './run-finmem.js';
import { weekdayBars } from './testing/scripted-reasoner.js';

let server: OpenAiProtocolServer;

beforeAll(async () => {
  server = await startOpenAiProtocolServer({
    respond: (request) => {
      if (request.path === '/v1/embeddings') return { kind: 'embedding' };
      const messages = (request.body as { messages: { content: string }[] }).messages;
      if (!messages[0]!.content.includes('Answer with one JSON object')) return textReply('Trend memories beat single headlines.');
      const ids = [...messages.map((message) => message.content).join('\n').matchAll(/\{"id":"([^"]+)"/g)].map((match) => match[1]);
      return jsonReply({ action: 'BUY', confidence: 0.7, rationale: 'uptrend', citedMemoryIds: ids.slice(0, 2) });
    },
  });
});

afterAll(async () => {
  await server.close();
});

describe('FinMem agent end to end (real client, test server)', () => {
  it('retrieves by embedding cosine, decides, reflects and learns over HTTP', async () => {
    const reasoner = createLlmReasoner({ baseURL: server.baseURL, model: 'test-model', cache: ':memory:', logger: { error() {}, warn() {}, info() {}, debug() {} } });
    const store = new SqliteMemoryStore(':memory:');
    const agent = await FinMemAgent.open({ symbol: 'TSLA', reasoner, store, character: 'risk-seeking', relevance: new EmbeddingRelevance(reasoner) });
    const bars = weekdayBars('2023-01-23', [100, 102, 104, 103, 106]);
    const headlines = [{ time: bars[1]!.closeTime - 60_000, source: 'wire', headline: 'Tesla cuts prices again' }];
    const { records } = await runFinMem({ agent, phase: 'train', bars, headlines, start: -Infinity, end: Infinity });

    expect(records.map((record) => record.decision.action)).toEqual(['BUY', 'BUY', 'BUY', 'BUY', 'BUY']);
    for (const record of records) {
      expect(record.source).toBe('llm');
      expect(record.decision.citedMemoryIds.every((id) => record.offeredIds.includes(id))).toBe(true);
    }
    // day 1 → 2: 102 → 104, the BUY was right: feedback +1 for what day 1 cited
    expect(records[2]!.feedback).toMatchObject({ sign: 1, ids: records[1]!.decision.citedMemoryIds });
    // day 2 → 3: 104 → 103, wrong
    expect(records[3]!.feedback?.sign).toBe(-1);
    const items = await store.items('TSLA');
    expect(items.find((item) => item.id === '2023-01-24/news-1')?.embedding).toHaveLength(16);
    expect(items.filter((item) => item.layer === 'reflection').map((item) => item.text)).toContain(
      'Lesson from the 2023-01-23 BUY decision (realized +2.00% by 2023-01-24): Trend memories beat single headlines.',
    );
    const paths = server.requests.map((request) => request.path);
    expect(paths.filter((path) => path === '/v1/chat/completions')).toHaveLength(5 + 4); // decisions + reflections
    expect(paths).toContain('/v1/embeddings');
    expect(reasoner.ledger().byPurpose['finmem/train/decision']?.calls).toBe(5);
    reasoner.close();
    await store.close();
  });
});
