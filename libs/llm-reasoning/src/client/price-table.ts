/**
 * Dollar estimates of LLM calls from token counts. Prices change and differ between providers and contracts, so
 * every cost this library reports is an estimate from a table the caller can replace.
 */

/** US dollars per one million tokens. */
export interface ModelPrice {
  /** $ per 1M prompt (input) tokens. */
  readonly promptPerMillion: number;
  /** $ per 1M completion (output) tokens; 0 for embedding models. */
  readonly completionPerMillion: number;
}

/** Model name → price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * A small default table of OpenAI list prices (standard tier, USD per 1M tokens, as published in 2025). An
 * ESTIMATE: check the provider's pricing page and pass your own `priceTable` for real accounting. Models served
 * locally (Ollama, vLLM, llama.cpp) are not listed and cost 0.
 *
 * @see https://openai.com/api/pricing/
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  'gpt-4o': { promptPerMillion: 2.5, completionPerMillion: 10 },
  'gpt-4o-mini': { promptPerMillion: 0.15, completionPerMillion: 0.6 },
  'gpt-4.1': { promptPerMillion: 2, completionPerMillion: 8 },
  'gpt-4.1-mini': { promptPerMillion: 0.4, completionPerMillion: 1.6 },
  'gpt-4.1-nano': { promptPerMillion: 0.1, completionPerMillion: 0.4 },
  'text-embedding-3-small': { promptPerMillion: 0.02, completionPerMillion: 0 },
  'text-embedding-3-large': { promptPerMillion: 0.13, completionPerMillion: 0 },
};

const DATED_SNAPSHOT = /^(.+)-\d{4}-\d{2}-\d{2}$/;

/**
 * Looks a model up in a price table: the exact name first, then the name without a dated snapshot suffix
 * (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`).
 *
 * @param table - the price table.
 * @param model - the model name as sent to the endpoint.
 * @returns the price, or undefined when the table has none.
 * @example
 * priceOf(DEFAULT_PRICE_TABLE, 'gpt-4o-mini-2024-07-18')?.promptPerMillion; // 0.15
 */
export function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  const base = DATED_SNAPSHOT.exec(model)?.[1];
  return base === undefined ? undefined : table[base];
}

/**
 * Estimated cost of one call.
 *
 * @param table - the price table.
 * @param model - the model name.
 * @param promptTokens - prompt (input) tokens.
 * @param completionTokens - completion (output) tokens.
 * @returns US dollars; 0 when the model has no price.
 * @example
 * // gpt-4o-mini: 1000 · 0.15 / 1e6 + 200 · 0.60 / 1e6 = 0.00015 + 0.00012
 * estimateCostUsd(DEFAULT_PRICE_TABLE, 'gpt-4o-mini', 1000, 200); // 0.00027
 */
export function estimateCostUsd(table: PriceTable, model: string, promptTokens: number, completionTokens: number): number {
  const price = priceOf(table, model);
  if (!price) return 0;
  return (promptTokens * price.promptPerMillion + completionTokens * price.completionPerMillion) / 1_000_000;
}

/**
 * A rough prompt-size estimate for the budget check made before a call: about 4 characters per token for English
 * text (OpenAI's rule of thumb) plus 4 tokens of framing per message. The ledger itself always records the
 * token counts the endpoint reports.
 *
 * @param texts - message contents (or texts to embed).
 * @returns estimated tokens (≥ 1 per text).
 * @see https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them
 */
export function estimatePromptTokens(texts: readonly string[]): number {
  let tokens = 0;
  for (const text of texts) tokens += Math.ceil(text.length / 4) + 4;
  return tokens;
}
