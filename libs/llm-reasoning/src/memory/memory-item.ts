/**
 * The unit of FinMem's layered long-term memory: one piece of text (a daily price move, a headline, a weekly or
 * monthly summary, a reflection) with the time it became known and the scores the retrieval ranks it by.
 *
 * @see Yu et al. (2023), "FinMem: A Performance-Enhanced LLM Trading Agent with Layered Memory and Character
 *   Design", arXiv:2311.13743, section 3.2 (memory module).
 */
import { z } from 'zod';

/** The four memory layers: three processing depths and the agent's own reflections. */
export type MemoryLayer = 'short' | 'mid' | 'long' | 'reflection';

/** Every layer, shallowest first. */
export const MEMORY_LAYERS: readonly MemoryLayer[] = ['short', 'mid', 'long', 'reflection'];

/** One stored memory. Plain data: the store persists it, the scoring functions read it. */
export interface MemoryItem {
  /** Unique per symbol and stable across runs (it is cited by decisions and is part of prompts and cache keys). */
  readonly id: string;
  /** Instrument the memory is about, e.g. 'TSLA' or 'BTC/USDT'. */
  readonly symbol: string;
  readonly layer: MemoryLayer;
  /** What produced it: 'price', 'news', 'summary', 'reflection' (free label, for display and filters). */
  readonly kind: string;
  /** The memory text. Untrusted when it comes from outside (headlines) or from the LLM (reflections). */
  readonly text: string;
  /** UTC ms at which the information became known (a bar close, a headline's publication time). */
  readonly eventTime: number;
  /** UTC ms recency is measured from: `eventTime`, reset to the promotion time when the item moves deeper. */
  readonly recencyAnchor: number;
  /** Importance in points (0–100 scale, may exceed 100 after feedback) as of `importanceTime`. */
  readonly importance: number;
  /** UTC ms at which `importance` was last set; it decays per day from here. */
  readonly importanceTime: number;
  /** Net realized feedback: +1 per cited decision that turned out right, −1 per one that turned out wrong. */
  readonly accessCount: number;
  /** Embedding of `text` when an embedding endpoint is configured; undefined with BM25 retrieval. */
  readonly embedding?: readonly number[] | undefined;
}

/** zod schema of {@link MemoryItem}, used wherever items enter from storage. */
export const memoryItemSchema = z.object({
  id: z.string().min(1),
  symbol: z.string().min(1),
  layer: z.enum(['short', 'mid', 'long', 'reflection']),
  kind: z.string().min(1),
  text: z.string(),
  eventTime: z.number().int(),
  recencyAnchor: z.number().int(),
  importance: z.number().nonnegative(),
  importanceTime: z.number().int(),
  accessCount: z.number().int(),
  embedding: z.array(z.number()).optional(),
});
