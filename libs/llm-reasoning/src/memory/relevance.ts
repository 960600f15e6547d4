/**
 * Relevance of memories to a query, the third term of FinMem's compound score. Two scorers: BM25 over the memory
 * texts (embedded, no endpoint needed; minisearch) and cosine similarity of embeddings from the LLM endpoint
 * (`LlmReasoner.embed`), as the paper does with its embedding model.
 */
import MiniSearch from 'minisearch';
import { DataError } from '@trading-ml/core';
import type { LlmReasoner } from '../client/types.js';
import type { MemoryItem } from './memory-item.js';

/** Scores memories against a query text; every score in [0, 1]. */
export interface RelevanceScorer {
  /** 'bm25' or 'embedding'. */
  readonly kind: 'bm25' | 'embedding';
  /**
   * Embeddings to store with new items (one per text), or undefined when the scorer needs none.
   * @param asOf - simulated time of the request, UTC ms (part of the LLM cache key).
   */
  embedItems(texts: readonly string[], asOf: number): Promise<number[][] | undefined>;
  /** Relevance of each item (by id) to `query`, in [0, 1]; items that do not match get 0. */
  score(query: string, items: readonly MemoryItem[], asOf: number): Promise<Map<string, number>>;
}

/**
 * Cosine similarity of two vectors of the same length.
 * @param a - first vector.
 * @param b - second vector, same length.
 * @returns a value in [−1, 1]; 0 when either vector is all zeros.
 * @throws DataError when the lengths differ.
 * @see any linear-algebra text: cos θ = a·b / (‖a‖‖b‖).
 * @example
 * cosineSimilarity([1, 0], [1, 1]); // 1/√2 ≈ 0.7071
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new DataError({ location: { column: 'embedding' }, value: b.length, expected: `an embedding of length ${a.length} (the query's)` });
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * BM25 relevance (minisearch's BM25+), divided by the best score of the query so the top match scores 1.
 * @see Robertson & Zaragoza (2009), "The Probabilistic Relevance Framework: BM25 and Beyond"; minisearch docs.
 * @example
 * const scores = await new Bm25Relevance().score('tesla recall', items, asOf);
 */
export class Bm25Relevance implements RelevanceScorer {
  readonly kind = 'bm25' as const;

  /** BM25 needs no stored vectors. */
  async embedItems(): Promise<undefined> {
    return undefined;
  }

  /**
   * @param query - free text.
   * @param items - the candidates (indexed afresh per call: the memory of one symbol is small).
   * @returns id → score in [0, 1].
   */
  async score(query: string, items: readonly MemoryItem[]): Promise<Map<string, number>> {
    const scores = new Map<string, number>(items.map((item) => [item.id, 0]));
    if (items.length === 0) return scores;
    const index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'], idField: 'id' });
    index.addAll(items.map((item) => ({ id: item.id, text: item.text })));
    const results = index.search(query);
    const best = results.reduce((max, result) => Math.max(max, result.score), 0);
    if (best > 0) for (const result of results) scores.set(String(result.id), result.score / best);
    return scores;
  }
}

/**
 * Cosine similarity between the query's embedding and each item's stored embedding, negative values clamped to 0.
 * Items stored without an embedding are embedded on the fly (through the reasoner's cache).
 * @see Yu et al. (2023), arXiv:2311.13743, eq. (2): S_relevancy = cosine of the memory and query embeddings.
 * @example
 * const scorer = new EmbeddingRelevance(reasoner);
 * const scores = await scorer.score('tesla recall', items, asOf);
 */
export class EmbeddingRelevance implements RelevanceScorer {
  readonly kind = 'embedding' as const;
  readonly #reasoner: LlmReasoner;

  /** @param reasoner - the LLM client whose `embed` is used (purpose labels 'finmem/embedding/…'). */
  constructor(reasoner: LlmReasoner) {
    this.#reasoner = reasoner;
  }

  async embedItems(texts: readonly string[], asOf: number): Promise<number[][]> {
    return texts.length === 0 ? [] : this.#reasoner.embed(texts, asOf, 'finmem/embedding/memory');
  }

  async score(query: string, items: readonly MemoryItem[], asOf: number): Promise<Map<string, number>> {
    const scores = new Map<string, number>();
    if (items.length === 0) return scores;
    const [queryVector] = await this.#reasoner.embed([query], asOf, 'finmem/embedding/query');
    const missing = items.filter((item) => item.embedding === undefined);
    const filled = await this.embedItems(missing.map((item) => item.text), asOf);
    const vectors = new Map(missing.map((item, i) => [item.id, filled[i] ?? []]));
    for (const item of items) {
      const vector = item.embedding ?? vectors.get(item.id) ?? [];
      scores.set(item.id, Math.max(0, cosineSimilarity(queryVector ?? [], vector)));
    }
    return scores;
  }
}
