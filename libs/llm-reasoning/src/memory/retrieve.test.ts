import { describe, expect, it } from 'vitest';
import type { LlmReasoner } from '../client/types.js';
import { DEFAULT_MEMORY_CONFIG } from './layer-config.js';
import type { MemoryItem } from './memory-item.js';
import { Bm25Relevance, EmbeddingRelevance, cosineSimilarity } from './relevance.js';
import type { RelevanceScorer } from './relevance.js';
import { retrieveMemories } from './retrieve.js';
import { DAY_MS } from './scoring.js';

const T0 = Date.UTC(2023, 0, 2, 21);

function item(id: string, overrides: Partial<MemoryItem> = {}): MemoryItem {
  return { id, symbol: 'TSLA', layer: 'short', kind: 'news', text: id, eventTime: T0, recencyAnchor: T0, importance: 50, importanceTime: T0, accessCount: 0, ...overrides };
}

/** Fixed relevances, so the ranking below can be computed by hand. */
function fixedRelevance(values: Record<string, number>): RelevanceScorer {
  return {
    kind: 'bm25',
    embedItems: async () => undefined,
    score: async (_query, items) => new Map(items.map((entry) => [entry.id, values[entry.id] ?? 0])),
  };
}

describe('retrieveMemories', () => {
  it('ranks each layer by recency + importance/100 + relevance and keeps the top k', async () => {
    const asOf = T0 + 2 * DAY_MS;
    const items = [
      // fresh (δ = 0), 50 points, irrelevant: 1 + 0.5 + 0 = 1.5
      item('fresh', { eventTime: asOf, recencyAnchor: asOf, importanceTime: asOf }),
      // δ = 2 days, 50 points, relevance 1: e^(−2/3) + 50·0.92²/100 + 1 = 0.513417 + 0.4232 + 1 = 1.936617
      item('relevant'),
      // δ = 2 days, 100 points, relevance 0.2: 0.513417 + 0.8464 + 0.2 = 1.559817
      item('important', { importance: 100 }),
      // δ = 2 days, 50 points, irrelevant: 0.513417 + 0.4232 = 0.936617
      item('stale'),
      // mid layer: ranked separately
      item('weekly', { layer: 'mid', importance: 60 }),
      // known only after asOf: never retrieved
      item('future', { eventTime: asOf + 1, recencyAnchor: asOf + 1, importanceTime: asOf + 1 }),
    ];
    const working = await retrieveMemories({
      items,
      query: 'q',
      asOf,
      topK: 3,
      relevance: fixedRelevance({ relevant: 1, important: 0.2, future: 1 }),
      config: DEFAULT_MEMORY_CONFIG,
    });
    expect(working.short.map((entry) => entry.item.id)).toEqual(['relevant', 'important', 'fresh']);
    expect(working.short[0]!.score.total).toBeCloseTo(Math.exp(-2 / 3) + 0.4232 + 1, 10);
    expect(working.mid.map((entry) => entry.item.id)).toEqual(['weekly']);
    expect(working.long).toEqual([]);
    expect(working.reflection).toEqual([]);
  });
});

describe('relevance scorers', () => {
  it('BM25 gives the best match 1, weaker matches less, non-matches 0', async () => {
    const items = [
      item('recall', { text: 'Tesla recall: second recall of Model Y vehicles' }), // term frequency 2
      item('once', { text: 'Analysts discuss the recall and the delivery numbers, margins, guidance and more' }), // 1, longer
      item('none', { text: 'Nasdaq closes higher on chip stocks' }),
    ];
    const scores = await new Bm25Relevance().score('recall', items);
    expect(scores.get('recall')).toBe(1);
    expect(scores.get('once')).toBeGreaterThan(0);
    expect(scores.get('once')).toBeLessThan(1);
    expect(scores.get('none')).toBe(0);
  });

  it('cosine similarity matches the textbook formula', () => {
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/embedding of length 1/);
  });

  it('embedding relevance is the clamped cosine to the query embedding, embedding unstored items on the fly', async () => {
    const vectors: Record<string, number[]> = { query: [1, 0], a: [1, 1], b: [-1, 0], c: [0, 2] };
    const calls: string[][] = [];
    const reasoner = {
      model: 'test',
      embed: async (texts: readonly string[]) => {
        calls.push([...texts]);
        return texts.map((text) => vectors[text] ?? [0, 0]);
      },
    } as unknown as LlmReasoner;
    const scorer = new EmbeddingRelevance(reasoner);
    const scores = await scorer.score('query', [item('a', { text: 'a', embedding: [1, 1] }), item('b', { text: 'b', embedding: [-1, 0] }), item('c', { text: 'c' })], T0);
    expect(scores.get('a')).toBeCloseTo(Math.SQRT1_2, 12); // cos 45°
    expect(scores.get('b')).toBe(0); // cos 180° = −1, clamped
    expect(scores.get('c')).toBe(0); // cos 90°
    expect(calls).toEqual([['query'], ['c']]);
  });
});
