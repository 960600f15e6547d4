export type {
  TradeAction,
  TradeDecision,
  ChatMessage,
  LlmRequest,
  DecisionRequest,
  AnswerSource,
  TokenUsage,
  DecisionOutcome,
  CompletionOutcome,
  LedgerSummary,
  PurposeTotals,
  LlmReasoner,
} from './client/types.js';
export { createLlmReasoner, OpenAiReasoner } from './client/openai-reasoner.js';
export { DEFAULT_COMPLETION_TOKEN_ESTIMATE, LLM_CLIENT_FLAGS } from './client/options.js';
export type { LlmReasonerOptions, ResponseFormatMode, FallbackPolicy, LlmLogger } from './client/options.js';
export { DEFAULT_PRICE_TABLE, priceOf, estimateCostUsd, estimatePromptTokens } from './client/price-table.js';
export type { ModelPrice, PriceTable } from './client/price-table.js';
export { Ledger } from './client/ledger.js';
export type { LedgerEntry, BudgetLimits, CallEstimate } from './client/ledger.js';
export { ResponseCache } from './client/response-cache.js';
export type { CacheMode, CachedChat, ChatCacheRecord } from './client/response-cache.js';
export { chatCacheKey, embeddingCacheKey } from './client/cache-key.js';
export type { ChatKeyParts } from './client/cache-key.js';
export {
  TRADE_ACTIONS,
  MAX_RATIONALE_CHARS,
  tradeDecisionSchema,
  parseTradeDecision,
  describeDecisionSchema,
  decisionSystemMessage,
  correctiveMessage,
  decisionJsonSchema,
} from './client/decision-schema.js';
export type { ParsedDecision } from './client/decision-schema.js';
export { redactSecret } from './client/endpoint-errors.js';
export {
  quoteUntrusted,
  untrustedDataSystemMessage,
  UNTRUSTED_DATA_INSTRUCTION,
  UNTRUSTED_DATA_OPEN,
  UNTRUSTED_DATA_CLOSE,
} from './prompt/quote-untrusted.js';
export type { QuoteUntrustedOptions } from './prompt/quote-untrusted.js';
// FinMem layered memory (memory/) and agent (finmem/)
export { MEMORY_LAYERS, memoryItemSchema } from './memory/memory-item.js';
export type { MemoryItem, MemoryLayer } from './memory/memory-item.js';
export { DEFAULT_MEMORY_CONFIG, memoryConfigSchema, validateMemoryConfig } from './memory/layer-config.js';
export type { LayerConfig, MemoryConfig } from './memory/layer-config.js';
export { DAY_MS, daysBetween, recencyScore, importanceAt, compoundScore } from './memory/scoring.js';
export type { CompoundScore } from './memory/scoring.js';
export { applyFeedback, planMaintenance } from './memory/maintenance.js';
export type { MaintenancePlan } from './memory/maintenance.js';
export { Bm25Relevance, EmbeddingRelevance, cosineSimilarity } from './memory/relevance.js';
export type { RelevanceScorer } from './memory/relevance.js';
export { retrieveMemories } from './memory/retrieve.js';
export type { RetrievedMemory, RetrieveOptions } from './memory/retrieve.js';
export type { MemoryStore, DayCommit, StoredDay, MemoryItemRow } from './memory/memory-store.js';
export { memoryItemFromRow } from './memory/memory-store.js';
export { SqliteMemoryStore } from './memory/sqlite-memory-store.js';
export { PostgresMemoryStore, isPostgresUrl, redactUrlPassword } from './memory/postgres-memory-store.js';
export type { PostgresMemoryStoreOptions } from './memory/postgres-memory-store.js';
export { CHARACTERS, RISK_PROFILES, SELF_ADAPTIVE_WINDOW, resolveAttitude } from './finmem/character.js';
export type { Character, RiskAttitude } from './finmem/character.js';
export { targetPosition, actionDirection, feedbackSign } from './finmem/positions.js';
export type { PositionMode, TargetPosition } from './finmem/positions.js';
export { dayLabel, observeDay } from './finmem/observations.js';
export type { Headline, Observation } from './finmem/observations.js';
export { decisionMessages, reflectionMessages, retrievalQuery } from './finmem/prompt.js';
export type { DecisionPromptInput, ReflectionPromptInput } from './finmem/prompt.js';
export { dayRecordSchema } from './finmem/day-record.js';
export type { DayRecord, Phase } from './finmem/day-record.js';
export { FinMemAgent } from './finmem/agent.js';
export type { FinMemAgentOptions, DayInput } from './finmem/agent.js';
export { runFinMem } from './finmem/run-finmem.js';
export type { RunFinMemOptions, FinMemRunResult } from './finmem/run-finmem.js';
