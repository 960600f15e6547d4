/**
 * The run's LLM ledger: what every call cost, totals by purpose, and the budget gate checked before each call.
 */
import { BudgetExceededError } from '@trading-ml/core';
import type { AnswerSource, LedgerSummary, PurposeTotals } from './types.js';

/** One ledger line: one endpoint call, one cache hit or one fallback. */
export interface LedgerEntry {
  readonly purpose: string;
  readonly kind: 'chat' | 'embedding';
  /** 'llm' = answered by the endpoint, 'cache' = replayed free, 'fallback' = HOLD after invalid output twice. */
  readonly source: AnswerSource;
  readonly model: string;
  /** Simulated (or live) time of the request, UTC epoch ms. */
  readonly asOf: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Estimated US dollars (0 for cache hits and fallbacks). */
  readonly costUsd: number;
}

/** Spending limits of a run; either may be absent. */
export interface BudgetLimits {
  /** Estimated US dollars for the whole run. */
  readonly budgetUsd?: number | undefined;
  /** Prompt + completion tokens for the whole run (embedding input tokens included). */
  readonly maxTokens?: number | undefined;
}

/** What a call about to be made is expected to use (see `estimatePromptTokens`). */
export interface CallEstimate {
  readonly tokens: number;
  readonly costUsd: number;
  /** For the error message, e.g. "chat call to gpt-4o-mini for 'finmem/test/decision'". */
  readonly description: string;
}

/**
 * Accumulates usage and enforces the limits.
 *
 * Budget rule, precisely: before every endpoint call, `reserve` refuses the call (BudgetExceededError, nothing
 * sent) when spent + reserved-by-calls-in-flight + this call's estimate would exceed a limit. After the call,
 * `settle` replaces the estimate with the usage the endpoint reported, so the ledger holds actual token counts; as
 * the estimate is only an estimate, a call that was allowed can still take the total slightly past the limit, and
 * then the next call is refused. Cache hits are free and never refused.
 */
export class Ledger {
  private readonly entries: LedgerEntry[] = [];
  private reservedTokens = 0;
  private reservedUsd = 0;

  /** @param limits - the run's spending limits. */
  constructor(private readonly limits: BudgetLimits) {}

  /**
   * Checks a call against the limits and reserves its estimate.
   *
   * @param estimate - the call's expected tokens and dollars.
   * @returns a release function for when the call failed without usage.
   * @throws BudgetExceededError carrying what was spent so far (`spent`), the `limit` and the `unit` ('USD' or
   *   'tokens'); the message names the refused call and its estimate.
   */
  reserve(estimate: CallEstimate): () => void {
    const totals = this.summary();
    const { budgetUsd, maxTokens } = this.limits;
    if (budgetUsd !== undefined && totals.costUsd + this.reservedUsd + estimate.costUsd > budgetUsd) {
      throw new BudgetExceededError({
        what: `LLM budget (budgetUsd) before the ${estimate.description}, estimated at $${formatUsd(estimate.costUsd)}`,
        spent: roundUsd(totals.costUsd),
        limit: budgetUsd,
        unit: 'USD',
      });
    }
    const tokensSpent = totals.promptTokens + totals.completionTokens;
    if (maxTokens !== undefined && tokensSpent + this.reservedTokens + estimate.tokens > maxTokens) {
      throw new BudgetExceededError({
        what: `LLM token limit (maxTokens) before the ${estimate.description}, estimated at ${estimate.tokens} tokens`,
        spent: tokensSpent,
        limit: maxTokens,
        unit: 'tokens',
      });
    }
    this.reservedTokens += estimate.tokens;
    this.reservedUsd += estimate.costUsd;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reservedTokens -= estimate.tokens;
      this.reservedUsd -= estimate.costUsd;
    };
  }

  /**
   * Records one ledger line.
   *
   * @param entry - the call, cache hit or fallback.
   */
  record(entry: LedgerEntry): void {
    this.entries.push(entry);
  }

  /** @returns every line so far, oldest first. */
  lines(): readonly LedgerEntry[] {
    return this.entries;
  }

  /** @returns the totals of the run and per purpose. */
  summary(): LedgerSummary {
    let calls = 0;
    let cacheHits = 0;
    let fallbacks = 0;
    let promptTokens = 0;
    let completionTokens = 0;
    let costUsd = 0;
    const byPurpose: Record<string, PurposeTotals> = {};
    for (const entry of this.entries) {
      const purpose = (byPurpose[entry.purpose] ??= { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, cacheHits: 0, fallbacks: 0 });
      if (entry.source === 'llm') {
        calls += 1;
        purpose.calls += 1;
      } else if (entry.source === 'cache') {
        cacheHits += 1;
        purpose.cacheHits += 1;
      } else {
        fallbacks += 1;
        purpose.fallbacks += 1;
      }
      promptTokens += entry.promptTokens;
      completionTokens += entry.completionTokens;
      costUsd += entry.costUsd;
      purpose.promptTokens += entry.promptTokens;
      purpose.completionTokens += entry.completionTokens;
      purpose.costUsd += entry.costUsd;
    }
    return { calls, cacheHits, fallbacks, promptTokens, completionTokens, costUsd, byPurpose };
  }
}

function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}

function formatUsd(usd: number): string {
  return roundUsd(usd).toString();
}
