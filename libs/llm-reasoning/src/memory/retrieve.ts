/**
 * Ranks each layer's memories by FinMem's compound score and keeps the top k per layer: the working memory that
 * goes into a prompt.
 */
import type { MemoryConfig } from './layer-config.js';
import type { MemoryItem, MemoryLayer } from './memory-item.js';
import { MEMORY_LAYERS } from './memory-item.js';
import type { RelevanceScorer } from './relevance.js';
import { compoundScore } from './scoring.js';
import type { CompoundScore } from './scoring.js';

/** One retrieved memory and why it ranked where it did. */
export interface RetrievedMemory {
  readonly item: MemoryItem;
  readonly score: CompoundScore;
}

/** Options of {@link retrieveMemories}. */
export interface RetrieveOptions {
  readonly items: readonly MemoryItem[];
  readonly query: string;
  /** Query time, UTC ms: items known after it are ignored. */
  readonly asOf: number;
  /** Memories kept per layer. */
  readonly topK: number;
  readonly relevance: RelevanceScorer;
  readonly config: MemoryConfig;
}

/**
 * Top-k memories per layer by γ = recency + importance + relevance (ties broken by newer event, then id, so the
 * ranking is deterministic).
 * @param options - items, query text, asOf (UTC ms), topK, relevance scorer, memory configuration.
 * @returns per layer, best first (at most topK each).
 * @throws whatever the relevance scorer throws (an embedding endpoint error).
 * @see Yu et al. (2023), arXiv:2311.13743, section 3.2 (top-K retrieval from each layer into working memory).
 * @example
 * const working = await retrieveMemories({ items, query: 'TSLA outlook', asOf, topK: 3, relevance: new Bm25Relevance(), config: DEFAULT_MEMORY_CONFIG });
 * working.short.map((m) => m.item.id);
 */
export async function retrieveMemories(options: RetrieveOptions): Promise<Record<MemoryLayer, RetrievedMemory[]>> {
  const { query, asOf, topK, relevance, config } = options;
  const known = options.items.filter((item) => item.eventTime <= asOf);
  const relevances = await relevance.score(query, known, asOf);
  const result = {} as Record<MemoryLayer, RetrievedMemory[]>;
  for (const layer of MEMORY_LAYERS) {
    result[layer] = known
      .filter((item) => item.layer === layer)
      .map((item) => ({ item, score: compoundScore(item, asOf, config.layers[layer], relevances.get(item.id) ?? 0) }))
      .sort((a, b) => b.score.total - a.score.total || b.item.eventTime - a.item.eventTime || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0))
      .slice(0, topK);
  }
  return result;
}
