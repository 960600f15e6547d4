/**
 * Speed of the LLM layer's local parts: FinMem retrieval (BM25 + compound score over a memory of real headlines)
 * and a decision answered over HTTP by the local OpenAI-protocol server versus replayed from the SQLite cache.
 * The HTTP figure is a floor (a real model adds its generation time); the cache figure is what a rerun pays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bm25Relevance, createLlmReasoner, DEFAULT_MEMORY_CONFIG, MEMORY_LAYERS, retrieveMemories } from '../src/index.js';
import type { MemoryItem } from '../src/index.js';
import { jsonReply, startOpenAiProtocolServer } from '../src/testing/openai-protocol-server.js';

const DAY_MS = 86_400_000;
const WORDS = ['Tesla', 'deliveries', 'beat', 'miss', 'guidance', 'factory', 'recall', 'price', 'cut', 'margin', 'demand', 'China', 'robotaxi', 'battery', 'autopilot', 'earnings', 'upgrade', 'downgrade', 'rally', 'selloff'];

function memory(count: number): MemoryItem[] {
  const items: MemoryItem[] = [];
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < count; i++) {
    // Deterministic pseudo-headlines from a small vocabulary (a bench needs repeatable input, not realism).
    const text = Array.from({ length: 9 }, (_, j) => WORDS[(i * 7 + j * 13 + ((i * j) % 5)) % WORDS.length]).join(' ');
    const eventTime = start + Math.floor(i / 4) * DAY_MS;
    items.push({ id: `m${i}`, symbol: 'TSLA', layer: MEMORY_LAYERS[i % 4]!, kind: 'news', text, eventTime, recencyAnchor: eventTime, importance: 40 + (i % 50), importanceTime: eventTime, accessCount: 0 });
  }
  return items;
}

async function timeIt(iterations: number, body: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await body();
  return (performance.now() - t0) / iterations;
}

export async function run(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const items = memory(2000);
  const asOf = items[items.length - 1]!.eventTime;
  const retrievalMs = await timeIt(50, () =>
    retrieveMemories({ items, query: 'Tesla deliveries guidance margin', asOf, topK: 5, relevance: new Bm25Relevance(), config: DEFAULT_MEMORY_CONFIG }),
  );

  const dir = mkdtempSync(join(tmpdir(), 'llm-bench-'));
  const answer = jsonReply({ action: 'BUY', confidence: 0.7, rationale: 'bench', citedMemoryIds: [] });
  const server = await startOpenAiProtocolServer({ respond: () => answer });
  const n = 200;
  const request = (i: number) => ({ messages: [{ role: 'user' as const, content: `decide ${i}` }], asOf: i, purpose: 'bench', allowedCitationIds: [] });
  try {
    const live = createLlmReasoner({ baseURL: server.baseURL, model: 'bench-model', cache: join(dir, 'cache.sqlite') });
    const httpMs = await timeIt(n, async () => live.decide(request(Math.floor(performance.now() * 1000))));
    for (let i = 0; i < n; i++) await live.decide(request(i));
    live.close();
    const replay = createLlmReasoner({ model: 'bench-model', cache: join(dir, 'cache.sqlite') });
    let i = 0;
    const cacheMs = await timeIt(n, async () => replay.decide(request(i++ % n)));
    replay.close();
    return [
      { name: 'FinMem retrieval, 2000 memories, BM25 + compound score', value: retrievalMs, unit: 'ms/query' },
      { name: 'decide() over HTTP, local OpenAI-protocol server', value: httpMs, unit: 'ms/call' },
      { name: 'decide() replayed from the SQLite cache (offline)', value: cacheMs, unit: 'ms/call' },
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
