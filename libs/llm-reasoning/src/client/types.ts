/**
 * The contract between the LLM client (client/) and its users (FinMem in memory/ and finmem/, PopAgent
 * conditions B and D). Plain data only; the client implements {@link LlmReasoner}.
 */

/** A trading action as the LLM must answer it. */
export type TradeAction = 'BUY' | 'SELL' | 'HOLD';

/** One structured trading decision, validated with zod before anyone sees it. */
export interface TradeDecision {
  readonly action: TradeAction;
  /** Confidence in [0, 1]. */
  readonly confidence: number;
  /** Short free-text reason (untrusted for display only; never executed or parsed further). */
  readonly rationale: string;
  /** Ids of the memory items (or signals) the decision relied on; must be ids that were offered in the prompt. */
  readonly citedMemoryIds: readonly string[];
}

/** One chat message in the OpenAI chat-completions format. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A request to the LLM. `asOf` is part of the cache key, so the same prompt at another time is another entry. */
export interface LlmRequest {
  readonly messages: readonly ChatMessage[];
  /** The simulated (or live) time the request is made at, UTC epoch ms. */
  readonly asOf: number;
  /** Ledger label, e.g. 'finmem/test/decision', 'finmem/train/reflection', 'popagent/B'. */
  readonly purpose: string;
}

/** A decision request: ids the answer may cite (anything else is off-schema). */
export interface DecisionRequest extends LlmRequest {
  readonly allowedCitationIds: readonly string[];
}

/** Where an answer came from. 'fallback' = HOLD after malformed output twice (when the fallback policy allows it). */
export type AnswerSource = 'llm' | 'cache' | 'fallback';

/** Token usage of the endpoint calls made for one answer (0 when every call was a cache hit; a fallback reports the two failed calls). */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Estimated cost in US dollars from the configured price table (0 when the model has no price). */
  readonly costUsd: number;
}

export interface DecisionOutcome {
  readonly decision: TradeDecision;
  readonly source: AnswerSource;
  readonly usage: TokenUsage;
}

export interface CompletionOutcome {
  readonly text: string;
  readonly source: Exclude<AnswerSource, 'fallback'>;
  readonly usage: TokenUsage;
}

/** Totals of a run so far. */
export interface LedgerSummary {
  readonly calls: number;
  readonly cacheHits: number;
  readonly fallbacks: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
  /** Per purpose label. */
  readonly byPurpose: Readonly<Record<string, PurposeTotals>>;
}

/** Totals of one purpose label in {@link LedgerSummary.byPurpose}. */
export interface PurposeTotals {
  /** API calls answered by the endpoint (a corrective retry is a second call). */
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Estimated US dollars from the price table. */
  costUsd: number;
  /** Requests answered from the response cache (free). */
  cacheHits: number;
  /** Decisions that fell back to HOLD after invalid output twice. */
  fallbacks: number;
}

/**
 * What FinMem and PopAgent B/D need from an LLM. Implementations: the OpenAI-protocol client (any baseURL, with
 * the SQLite response cache and the ledger). Errors: `LlmOutputError` (off-schema twice, fallback disabled),
 * `LlmUnavailableError` (no endpoint and a cache miss, or retries exhausted), `BudgetExceededError` (limit hit).
 */
export interface LlmReasoner {
  /** Model name used in prompts, cache keys and the ledger. */
  readonly model: string;
  decide(request: DecisionRequest): Promise<DecisionOutcome>;
  /** Free text (reflections, summaries). */
  complete(request: LlmRequest): Promise<CompletionOutcome>;
  /** Embeddings (`encoding_format: 'float'`), one vector per text; cached like completions. */
  embed(texts: readonly string[], asOf: number, purpose: string): Promise<number[][]>;
  ledger(): LedgerSummary;
  close(): void;
}
