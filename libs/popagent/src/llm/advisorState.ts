import { z } from 'zod';
import type { LlmViewRecord } from '../types.js';

// Literal lists rather than llm-reasoning's constants: importing them would load the LLM client's modules
// (openai, SQLite) in A/C runs, which the advisor otherwise loads only on first use.
const viewRecordSchema = z.object(
  {
    time: z.number({ error: 'a decision close in UTC ms' }).refine(Number.isFinite, 'a finite decision close in UTC ms'),
    action: z.enum(['BUY', 'SELL', 'HOLD'], '"BUY", "SELL" or "HOLD"'),
    confidence: z.number({ error: 'a number in [0, 1]' }).min(0, 'a number in [0, 1]').max(1, 'a number in [0, 1]'),
    source: z.enum(['llm', 'cache', 'fallback'], '"llm", "cache" or "fallback"'),
    cited: z.array(z.string({ error: 'a string' }), { error: 'an array of cited ids' }),
  },
  { error: 'a view { time, action, confidence, source, cited }' },
);

/**
 * zod schema of {@link LlmAdvisorState}. The held view and the counts are not stored: the held view is the last
 * one taken and the counts are tallies of the views, so a snapshot cannot contradict itself.
 */
export const llmAdvisorStateSchema = z.object(
  {
    kind: z.literal('popagent-llm-advisor', '"popagent-llm-advisor"'),
    version: z.literal(1, '1 (the snapshot format version)'),
    symbol: z.string({ error: 'a symbol' }),
    condition: z.enum(['B', 'D'], '"B" or "D" (the LLM conditions)'),
    views: z.array(viewRecordSchema, { error: 'an array of views, oldest first' }).refine(
      (views) => views.every((view, i) => i === 0 || view.time >= views[i - 1]!.time),
      'views in time order, oldest first (decisions come in order)',
    ),
  },
  { error: 'an LlmAdvisor snapshot { kind, version, symbol, condition, views }' },
);

/**
 * Plain-JSON state of an `LlmAdvisor`: every view taken so far, oldest first. The view held between
 * consultations is the last of them (none before the first consultation).
 */
export interface LlmAdvisorState {
  readonly kind: 'popagent-llm-advisor';
  readonly version: 1;
  /** The advisor's symbol, 'BTC/USDT' (a snapshot restores only into an advisor of the same symbol). */
  readonly symbol: string;
  /** 'B' or 'D' (a snapshot restores only into an advisor of the same condition). */
  readonly condition: 'B' | 'D';
  readonly views: readonly LlmViewRecord[];
}
