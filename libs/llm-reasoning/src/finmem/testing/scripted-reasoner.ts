/**
 * Test support (not exported): an in-process {@link LlmReasoner} whose answers are a deterministic function of the
 * prompt, so any change of a prompt changes the answer, and a helper building weekday daily bars.
 */
import type { Bar } from '@trading-ml/core';
import type { CompletionOutcome, DecisionOutcome, DecisionRequest, LedgerSummary, LlmReasoner, LlmRequest, TradeDecision } from '../../client/types.js';

/** FNV-1a over a string. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const ZERO = { promptTokens: 0, completionTokens: 0, costUsd: 0 };

/** A reasoner answering from a function of the request; every request is recorded. */
export interface ScriptedReasoner extends LlmReasoner {
  readonly decisions: DecisionRequest[];
  readonly completions: LlmRequest[];
}

/**
 * @param decide - answer to a decision request; default: action and confidence from a hash of the prompt, citing
 *   the first two offered ids.
 * @param complete - answer to a completion; default 'lesson <hash>'.
 */
export function scriptedReasoner(
  decide: (request: DecisionRequest) => TradeDecision = hashedDecision,
  complete: (request: LlmRequest) => string = (request) => `lesson ${hashText(JSON.stringify(request.messages)).toString(16)}`,
): ScriptedReasoner {
  const decisions: DecisionRequest[] = [];
  const completions: LlmRequest[] = [];
  return {
    model: 'scripted',
    decisions,
    completions,
    async decide(request: DecisionRequest): Promise<DecisionOutcome> {
      decisions.push(request);
      return { decision: decide(request), source: 'llm', usage: ZERO };
    },
    async complete(request: LlmRequest): Promise<CompletionOutcome> {
      completions.push(request);
      return { text: complete(request), source: 'llm', usage: ZERO };
    },
    async embed(texts: readonly string[]): Promise<number[][]> {
      return texts.map((text) => Array.from({ length: 8 }, (_, k) => ((hashText(`${k}:${text}`) % 2001) - 1000) / 1000));
    },
    ledger(): LedgerSummary {
      return { calls: decisions.length + completions.length, cacheHits: 0, fallbacks: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, byPurpose: {} } as LedgerSummary;
    },
    close(): void {},
  };
}

/** Action and confidence from a hash of the messages; cites the first two offered ids. */
export function hashedDecision(request: DecisionRequest): TradeDecision {
  const hash = hashText(JSON.stringify(request.messages));
  return {
    action: (['BUY', 'SELL', 'HOLD'] as const)[hash % 3] as TradeDecision['action'],
    confidence: (hash % 101) / 100,
    rationale: `r${hash.toString(16)}`,
    citedMemoryIds: request.allowedCitationIds.slice(0, 2),
  };
}

/**
 * Weekday daily bars like the bundled stock files (14:30–21:00 UTC), closes from a multiplicative path.
 * @param firstDay - UTC date of the first bar (a weekday).
 * @param closes - one close per bar; open = previous close.
 */
export function weekdayBars(firstDay: string, closes: readonly number[]): Bar[] {
  const bars: Bar[] = [];
  let date = Date.parse(`${firstDay}T00:00:00Z`);
  let previous = closes[0] as number;
  for (const close of closes) {
    while ([0, 6].includes(new Date(date).getUTCDay())) date += 86_400_000;
    const openTime = date + 14.5 * 3_600_000;
    bars.push({ openTime, closeTime: date + 21 * 3_600_000, open: previous, high: Math.max(previous, close) * 1.01, low: Math.min(previous, close) * 0.99, close, volume: 1_000_000 });
    previous = close;
    date += 86_400_000;
  }
  return bars;
}
