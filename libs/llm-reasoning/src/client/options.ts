/**
 * Options of the OpenAI-protocol reasoner, validated with zod at construction (they usually come from CLI flags).
 */
import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';
import type { CacheMode } from './response-cache.js';
import type { PriceTable } from './price-table.js';
import { DEFAULT_PRICE_TABLE, priceOf } from './price-table.js';

/** How the answer format is requested: `json_object` works on OpenAI, Ollama, vLLM and llama.cpp server. */
export type ResponseFormatMode = 'json_object' | 'json_schema' | 'none';

/** What happens when a decision is invalid after the corrective retry. */
export type FallbackPolicy = 'hold' | 'error';

/** A logger with the openai SDK's shape; everything reaching it has the API key redacted. */
export interface LlmLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/** Options of {@link createLlmReasoner}. */
export interface LlmReasonerOptions {
  /**
   * Base URL of an OpenAI-compatible server, e.g. 'https://api.openai.com/v1', 'http://127.0.0.1:11434/v1'
   * (Ollama), 'http://127.0.0.1:8000/v1' (vLLM), 'http://127.0.0.1:8080/v1' (llama.cpp server). Without it the
   * reasoner answers from the cache only (offline replay); a miss throws LlmUnavailableError.
   */
  readonly baseURL?: string | undefined;
  /** Chat model name, as the server knows it. */
  readonly model: string;
  /** Embedding model name (default: `model`). */
  readonly embeddingModel?: string | undefined;
  /** Name of the environment variable holding the API key (default 'OPENAI_API_KEY'). The key is never logged. */
  readonly apiKeyEnv?: string | undefined;
  /** Where the key variable is read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Per-attempt HTTP timeout in ms (default 60 000). */
  readonly timeoutMs?: number | undefined;
  /** Retries of one call on 408/409/429/5xx, connection errors and timeouts, by the SDK (default 2, at most 10). */
  readonly maxRetries?: number | undefined;
  /** SQLite cache file or ':memory:' (default: no cache). */
  readonly cache?: string | undefined;
  /** Default 'read-write'. */
  readonly cacheMode?: CacheMode | undefined;
  /** $ per 1M tokens per model (default {@link DEFAULT_PRICE_TABLE}, an estimate). */
  readonly priceTable?: PriceTable | undefined;
  /** Estimated-dollar limit of the run. Needs a price for the model(s). */
  readonly budgetUsd?: number | undefined;
  /** Token limit of the run (prompt + completion, embeddings included). */
  readonly maxTokens?: number | undefined;
  /** Default 'hold'. */
  readonly fallback?: FallbackPolicy | undefined;
  /** Sampling temperature (default 0). */
  readonly temperature?: number | undefined;
  /** Sampling seed, sent when set (servers that support it answer more reproducibly). */
  readonly seed?: number | undefined;
  /** Default 'json_object'. */
  readonly responseFormat?: ResponseFormatMode | undefined;
  /** Sent as `max_tokens` when set; also the completion size assumed by the budget check (default 256). */
  readonly maxCompletionTokens?: number | undefined;
  /** Receives the client's warnings and the SDK's log lines, key redacted (default: console). */
  readonly logger?: LlmLogger | undefined;
  /** The SDK's log level (default 'warn'). */
  readonly sdkLogLevel?: 'off' | 'error' | 'warn' | 'info' | 'debug' | undefined;
}

/** Options after defaults. */
export interface ResolvedOptions {
  readonly baseURL: string | undefined;
  readonly model: string;
  readonly embeddingModel: string;
  readonly apiKeyEnv: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly cache: string | undefined;
  readonly cacheMode: CacheMode;
  readonly priceTable: PriceTable;
  readonly budgetUsd: number | undefined;
  readonly maxTokens: number | undefined;
  readonly fallback: FallbackPolicy;
  readonly temperature: number;
  readonly seed: number | undefined;
  readonly responseFormat: ResponseFormatMode;
  readonly maxCompletionTokens: number | undefined;
  readonly logger: LlmLogger;
  readonly sdkLogLevel: 'off' | 'error' | 'warn' | 'info' | 'debug';
}

/** Completion tokens the budget check assumes for a chat call when `maxCompletionTokens` is not set. */
export const DEFAULT_COMPLETION_TOKEN_ESTIMATE = 256;

const priceSchema = z.object({ promptPerMillion: z.number().nonnegative().finite(), completionPerMillion: z.number().nonnegative().finite() });

const optionsSchema = z.object({
  baseURL: z.url({ protocol: /^https?$/ }).optional(),
  model: z.string().trim().min(1),
  embeddingModel: z.string().trim().min(1).optional(),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('OPENAI_API_KEY'),
  timeoutMs: z.number().int().positive().max(3_600_000).default(60_000),
  maxRetries: z.number().int().min(0).max(10).default(2),
  cache: z.string().min(1).optional(),
  cacheMode: z.enum(['read-write', 'read-only', 'off']).default('read-write'),
  priceTable: z.record(z.string(), priceSchema).optional(),
  budgetUsd: z.number().positive().finite().optional(),
  maxTokens: z.number().int().positive().optional(),
  fallback: z.enum(['hold', 'error']).default('hold'),
  temperature: z.number().min(0).max(2).default(0),
  seed: z.number().int().optional(),
  responseFormat: z.enum(['json_object', 'json_schema', 'none']).default('json_object'),
  maxCompletionTokens: z.number().int().positive().optional(),
  sdkLogLevel: z.enum(['off', 'error', 'warn', 'info', 'debug']).default('warn'),
});

const EXPECTED: Record<string, string> = {
  baseURL: "an http(s) URL such as 'http://127.0.0.1:11434/v1'",
  model: 'a non-empty model name',
  embeddingModel: 'a non-empty model name',
  apiKeyEnv: 'an environment variable name (letters, digits, underscore)',
  timeoutMs: 'an integer number of milliseconds in [1, 3 600 000]',
  maxRetries: 'an integer in [0, 10]',
  cache: "a SQLite file path or ':memory:'",
  cacheMode: "'read-write', 'read-only' or 'off'",
  priceTable: '{ [model]: { promptPerMillion ≥ 0, completionPerMillion ≥ 0 } } in $ per 1M tokens',
  budgetUsd: 'a positive number of US dollars',
  maxTokens: 'a positive integer number of tokens',
  fallback: "'hold' or 'error'",
  temperature: 'a number in [0, 2]',
  seed: 'an integer',
  responseFormat: "'json_object', 'json_schema' or 'none'",
  maxCompletionTokens: 'a positive integer number of tokens',
  sdkLogLevel: "'off', 'error', 'warn', 'info' or 'debug'",
};

/**
 * Validates the options and applies the defaults; reads the API key from the environment.
 *
 * @param options - as given by the caller.
 * @returns resolved options.
 * @throws ConfigError naming the option, its value and what was expected; also when `budgetUsd` is set and the
 *   price table has no price for the chat or embedding model (the budget could never trigger).
 */
export function resolveOptions(options: LlmReasonerOptions): ResolvedOptions {
  const { logger, env, ...plain } = options;
  // Undefined-valued keys are dropped so that zod defaults apply to them.
  const defined = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
  const result = optionsSchema.safeParse(defined);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? 'options');
    const value = key in defined ? (defined as Record<string, unknown>)[key] : undefined;
    throw new ConfigError({ parameter: key, value, expected: EXPECTED[key] ?? issue?.message ?? 'a valid option' });
  }
  const parsed = result.data;
  const priceTable = parsed.priceTable ?? DEFAULT_PRICE_TABLE;
  const embeddingModel = parsed.embeddingModel ?? parsed.model;
  if (parsed.budgetUsd !== undefined) {
    for (const [parameter, model] of [['model', parsed.model], ['embeddingModel', embeddingModel]] as const) {
      if (!priceOf(priceTable, model)) {
        throw new ConfigError({ parameter, value: model, expected: `a model with a price in priceTable when budgetUsd is set (priced: ${Object.keys(priceTable).join(', ') || 'none'}); add its price or use maxTokens` });
      }
    }
  }
  const apiKey = (env ?? process.env)[parsed.apiKeyEnv];
  return {
    ...parsed,
    baseURL: parsed.baseURL,
    embeddingModel,
    apiKey: apiKey === undefined || apiKey === '' ? undefined : apiKey,
    cache: parsed.cache,
    budgetUsd: parsed.budgetUsd,
    maxTokens: parsed.maxTokens,
    seed: parsed.seed,
    maxCompletionTokens: parsed.maxCompletionTokens,
    priceTable,
    logger: logger ?? console,
  };
}

/**
 * The command-line flag of each client option, shared by the apps (`popagent ablation|live`, `finmem-agent`) so a
 * client ConfigError can name the flag to change (see `renameConfigParameter` in `@trading-ml/core`).
 */
export const LLM_CLIENT_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  baseURL: '--llm-base-url',
  model: '--llm-model',
  apiKeyEnv: '--llm-api-key-env',
  cache: '--llm-cache',
  budgetUsd: '--llm-budget-usd',
  maxTokens: '--llm-max-tokens',
  seed: '--seed',
});
