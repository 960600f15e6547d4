/**
 * FinMem's memory scores. Each is a pure function of an item, the query time and the layer settings, so a score
 * never depends on when it is computed in wall-clock terms, only on the simulated `asOf`.
 *
 * @see Yu et al. (2023), arXiv:2311.13743, eq. (1)–(3): γ = S_recency + S_relevancy + S_importance,
 *   S_recency = e^(−δ/Q_l), importance decaying by α_l per day; importance enters divided by 100 and capped at 1
 *   as in the reference implementation (`LinearCompoundScore`).
 */
import type { LayerConfig } from './layer-config.js';
import type { MemoryItem } from './memory-item.js';

/** One day in milliseconds: δ is measured in (fractional) calendar days. */
export const DAY_MS = 86_400_000;

/** Days from `from` to `to` (UTC ms), never negative: an item is never scored before it was known. */
export function daysBetween(from: number, to: number): number {
  return Math.max(0, (to - from) / DAY_MS);
}

/**
 * Recency score exp(−δ/Q).
 * @param item - the memory (its `recencyAnchor` is used).
 * @param asOf - query time, UTC ms.
 * @param layer - the item's layer settings (`recencyDays` = Q).
 * @returns a value in (0, 1]; 1 at the anchor.
 * @throws never.
 * @see FinMem eq. (1).
 * @example
 * recencyScore({ ...item, recencyAnchor: 0 }, 3 * DAY_MS, { ...layer, recencyDays: 3 }); // e^−1 ≈ 0.3679
 */
export function recencyScore(item: Pick<MemoryItem, 'recencyAnchor'>, asOf: number, layer: Pick<LayerConfig, 'recencyDays'>): number {
  return Math.exp(-daysBetween(item.recencyAnchor, asOf) / layer.recencyDays);
}

/**
 * Importance in points at `asOf`: importance·α^δ with δ = days since `importanceTime`.
 * @param item - the memory.
 * @param asOf - query time, UTC ms.
 * @param layer - the item's layer settings (`importanceDecayPerDay` = α).
 * @returns points ≥ 0.
 * @throws never.
 * @see FinMem eq. (3); reference implementation `ExponentialDecay` (importance × importance_factor per day).
 * @example
 * importanceAt({ importance: 50, importanceTime: 0 }, 2 * DAY_MS, { importanceDecayPerDay: 0.92 }); // 50·0.92² = 42.32
 */
export function importanceAt(
  item: Pick<MemoryItem, 'importance' | 'importanceTime'>,
  asOf: number,
  layer: Pick<LayerConfig, 'importanceDecayPerDay'>,
): number {
  return item.importance * layer.importanceDecayPerDay ** daysBetween(item.importanceTime, asOf);
}

/** The three components and their sum. */
export interface CompoundScore {
  readonly recency: number;
  /** Importance points / 100, capped at 1. */
  readonly importance: number;
  /** Relevance to the query in [0, 1]. */
  readonly relevance: number;
  /** recency + importance + relevance, in [0, 3]. */
  readonly total: number;
}

/**
 * FinMem's compound retrieval score γ = recency + importance + relevance, each normalised to [0, 1].
 * @param item - the memory.
 * @param asOf - query time, UTC ms.
 * @param layer - the item's layer settings.
 * @param relevance - relevance to the query in [0, 1] (normalised BM25 or cosine similarity); clamped.
 * @returns the components and their total.
 * @throws never.
 * @see FinMem eq. (2); reference implementation `LinearCompoundScore` (importance / 100 capped at 100 points).
 * @example
 * // item added 3 days ago in the short layer (Q = 3, α = 0.92, 50 points), relevance 0.5:
 * compoundScore(item, asOf, DEFAULT_MEMORY_CONFIG.layers.short, 0.5).total; // e^−1 + 50·0.92³/100 + 0.5 ≈ 1.2572
 */
export function compoundScore(item: MemoryItem, asOf: number, layer: LayerConfig, relevance: number): CompoundScore {
  const recency = recencyScore(item, asOf, layer);
  const importance = Math.min(importanceAt(item, asOf, layer), 100) / 100;
  const clamped = Number.isFinite(relevance) ? Math.min(1, Math.max(0, relevance)) : 0;
  return { recency, importance, relevance: clamped, total: recency + importance + clamped };
}
