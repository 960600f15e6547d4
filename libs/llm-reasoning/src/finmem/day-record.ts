/**
 * The agent's record of one simulated day, stored with the day's memory changes (one transaction) and read back
 * on resume. Validated with zod when read: the database is outside data.
 */
import { z } from 'zod';

/** 'train' builds memory; 'test' trades (both keep learning from realized outcomes only). */
export type Phase = 'train' | 'test';

const signSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

/** zod schema of {@link DayRecord}. */
export const dayRecordSchema = z.object({
  version: z.literal(1),
  /** 'YYYY-MM-DD' of the bar. */
  day: z.string(),
  /** Bar closeTime = decision time, UTC ms. */
  time: z.number().int(),
  phase: z.enum(['train', 'test']),
  /** Close of the day's bar (quote currency). */
  close: z.number().positive(),
  /** Close-to-close move since the previous recorded day (fraction); null on the first day. */
  realizedMove: z.number().nullable(),
  attitude: z.enum(['risk-seeking', 'risk-averse']),
  /** Memory ids offered in the prompt (the only ones the decision may cite). */
  offeredIds: z.array(z.string()),
  decision: z.object({
    action: z.enum(['BUY', 'SELL', 'HOLD']),
    confidence: z.number().min(0).max(1),
    rationale: z.string(),
    citedMemoryIds: z.array(z.string()),
  }),
  source: z.enum(['llm', 'cache', 'fallback']),
  /** Target exposure after the decision: 1 long, 0 flat, −1 short. */
  targetPosition: signSchema,
  /** Feedback given today to the previous decision's cited memories. */
  feedback: z.object({ decisionTime: z.number().int(), sign: signSchema, ids: z.array(z.string()) }).nullable(),
  /** Id of the reflection memory written today, if any. */
  reflectionId: z.string().nullable(),
  added: z.array(z.string()),
  promoted: z.array(z.object({ id: z.string(), layer: z.enum(['short', 'mid', 'long', 'reflection']) })),
  removed: z.array(z.string()),
});

/** One day of the agent: what it saw, chose and changed. */
export type DayRecord = z.output<typeof dayRecordSchema>;
