/**
 * The zod schema of `results.json` (test) and `train.json` (train): what was run, every decision, the memory
 * size, the LLM ledger and, for the test phase, FinMem's metrics next to buy-and-hold.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** FinMem's reported metrics (Yu et al. 2023, section 4.3), fractions not percent. */
export const metricsSchema = z.object({
  cumulativeReturn: z.number(),
  sharpeRatio: z.number(),
  annualizedVolatility: z.number(),
  /** Positive fraction. */
  maxDrawdown: z.number().nonnegative(),
  trades: count,
  fills: count,
});

/** One day's decision as reported. */
export const reportedDecisionSchema = z.object({
  day: z.string(),
  /** Decision time = bar close, UTC ms. */
  time: z.number().int(),
  action: z.enum(['BUY', 'SELL', 'HOLD']),
  confidence: z.number().min(0).max(1),
  targetPosition: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  attitude: z.enum(['risk-seeking', 'risk-averse']),
  citedMemoryIds: z.array(z.string()),
  source: z.enum(['llm', 'cache', 'fallback']),
  /** LLM output: display only. */
  rationale: z.string(),
});

const purposeSchema = z.object({ calls: count, promptTokens: count, completionTokens: count, costUsd: z.number().nonnegative(), cacheHits: count }).loose();

/** The whole results document. */
export const resultsDocumentSchema = z.object({
  schemaVersion: z.literal(1),
  command: z.string(),
  phase: z.enum(['train', 'test']),
  symbol: z.string(),
  start: z.string(),
  end: z.string(),
  character: z.enum(['risk-seeking', 'risk-averse', 'self-adaptive']),
  positions: z.enum(['long-flat', 'long-short']),
  retrieval: z.enum(['bm25', 'embedding']),
  topK: count,
  seed: count,
  model: z.string(),
  periodsPerYear: z.number().positive(),
  memoryDb: z.string(),
  days: count,
  resumedDays: count,
  newDays: count,
  stopped: z.object({ reason: z.literal('budget'), message: z.string(), remainingDays: count }).nullable(),
  /** Live memory items per layer at the end of the run. */
  memory: z.object({ short: count, mid: count, long: count, reflection: count }),
  decisions: z.array(reportedDecisionSchema),
  performance: z.object({ finmem: metricsSchema, buyAndHold: metricsSchema }).nullable(),
  /** Equity at each bar close of the traded window (quote currency). */
  equity: z.object({ time: z.array(z.number().int()), finmem: z.array(z.number()), buyAndHold: z.array(z.number()) }).nullable(),
  ledger: z.object({
    calls: count,
    cacheHits: count,
    fallbacks: count,
    promptTokens: count,
    completionTokens: count,
    costUsd: z.number().nonnegative(),
    byPurpose: z.record(z.string(), purposeSchema),
  }),
});

/** A validated results document. */
export type ResultsDocument = z.output<typeof resultsDocumentSchema>;
/** FinMem's metrics of one run. */
export type Metrics = z.output<typeof metricsSchema>;
