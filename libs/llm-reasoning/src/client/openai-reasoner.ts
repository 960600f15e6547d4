/**
 * The LlmReasoner over the OpenAI chat-completions and embeddings protocol (OpenAI, Ollama, vLLM, llama.cpp
 * server), with zod-validated decisions, one corrective retry, the SQLite response cache and the cost ledger.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { ConfigError, LlmOutputError, LlmUnavailableError } from '@trading-ml/core';
import type { ChatMessage, CompletionOutcome, DecisionOutcome, DecisionRequest, LedgerSummary, LlmReasoner, LlmRequest, TokenUsage } from './types.js';
import type { LlmReasonerOptions, ResolvedOptions } from './options.js';
import { DEFAULT_COMPLETION_TOKEN_ESTIMATE, resolveOptions } from './options.js';
import { ResponseCache } from './response-cache.js';
import { chatCacheKey, embeddingCacheKey } from './cache-key.js';
import { Ledger } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { estimateCostUsd, estimatePromptTokens } from './price-table.js';
import { correctiveMessage, decisionJsonSchema, decisionSystemMessage, parseTradeDecision } from './decision-schema.js';
import { endpointError, redactingLogger, redactSecret } from './endpoint-errors.js';
import type { EndpointContext } from './endpoint-errors.js';

/** Texts per embeddings request (OpenAI accepts up to 2048; local servers often fewer). */
const EMBEDDING_BATCH = 128;

/** Sent as the key when the variable is unset: local servers ignore it, OpenAI answers 401 (mapped to a message). */
const PLACEHOLDER_KEY = 'no-key-configured';

const chatResponseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).nullish(),
});

const embeddingResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()).min(1) })),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).nullish(),
});

const requestSchema = z.object({
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  asOf: z.number().finite(),
  purpose: z.string().min(1),
});

/** One chat call's answer, from the endpoint or the cache. */
interface ChatAnswer {
  readonly text: string;
  readonly source: 'llm' | 'cache';
  readonly usage: TokenUsage;
}

/**
 * Creates a reasoner speaking the OpenAI protocol.
 *
 * @param options - endpoint, model, cache, limits and policies; see {@link LlmReasonerOptions}.
 * @returns the reasoner; call `close()` when done (it closes the cache file).
 * @throws ConfigError for an invalid option (named, with its value and what was expected) or an unusable cache file.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 * @example
 * const reasoner = createLlmReasoner({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', cache: 'llm-cache.sqlite' });
 * const { decision } = await reasoner.decide({ messages: [{ role: 'user', content: 'BTC closed up 3%.' }], asOf: 0, purpose: 'demo', allowedCitationIds: [] });
 * reasoner.close();
 */
export function createLlmReasoner(options: LlmReasonerOptions): OpenAiReasoner {
  return new OpenAiReasoner(options);
}

/** The OpenAI-protocol {@link LlmReasoner}; see {@link createLlmReasoner}. */
export class OpenAiReasoner implements LlmReasoner {
  readonly model: string;
  private readonly options: ResolvedOptions;
  private readonly client: OpenAI | undefined;
  private readonly cache: ResponseCache | undefined;
  private readonly book: Ledger;
  private closed = false;

  /** @param options - see {@link createLlmReasoner}. */
  constructor(options: LlmReasonerOptions) {
    this.options = resolveOptions(options);
    this.model = this.options.model;
    const { baseURL, apiKey, apiKeyEnv, logger } = this.options;
    this.cache = this.options.cache !== undefined && this.options.cacheMode !== 'off' ? ResponseCache.open(this.options.cache, this.options.cacheMode) : undefined;
    this.client =
      baseURL === undefined
        ? undefined
        : new OpenAI({
            baseURL,
            apiKey: apiKey ?? PLACEHOLDER_KEY,
            timeout: this.options.timeoutMs,
            maxRetries: this.options.maxRetries,
            logger: redactingLogger(logger, apiKey, apiKeyEnv),
            logLevel: this.options.sdkLogLevel,
            // The SDK would otherwise also read OPENAI_ORG_ID / OPENAI_PROJECT_ID and send them to any server.
            organization: null,
            project: null,
          });
    this.book = new Ledger({ budgetUsd: this.options.budgetUsd, maxTokens: this.options.maxTokens });
  }

  /**
   * Asks for a trading decision. The client puts a system message first (data-is-not-instructions rule, answer
   * schema, allowed citation ids), validates the answer, and on invalid output makes ONE corrective call (the bad
   * answer and what was wrong appended); if that is invalid too: HOLD with confidence 0 and source 'fallback'
   * (policy 'hold', counted in the ledger) or LlmOutputError (policy 'error').
   *
   * @param request - messages, asOf (UTC ms), purpose label, allowed citation ids.
   * @returns the decision, where it came from, and the usage of the calls made for it (0 when all were cached).
   * @throws LlmOutputError (policy 'error'), LlmUnavailableError, BudgetExceededError, ConfigError (bad request).
   */
  async decide(request: DecisionRequest): Promise<DecisionOutcome> {
    this.checkRequest(request);
    const allowed = z.array(z.string()).safeParse(request.allowedCitationIds);
    if (!allowed.success) throw new ConfigError({ parameter: 'allowedCitationIds', value: request.allowedCitationIds, expected: 'an array of strings' });
    const ids = allowed.data;
    const messages: ChatMessage[] = [decisionSystemMessage(ids), ...request.messages];
    const responseFormat = this.decisionResponseFormat(ids);
    const first = await this.chat(messages, request, responseFormat);
    const firstParse = parseTradeDecision(first.text, ids);
    if (firstParse.ok) return { decision: firstParse.decision, source: first.source, usage: first.usage };

    this.options.logger.warn(`llm-reasoning: ${this.model} gave an invalid decision for '${request.purpose}' (${firstParse.problem}); one corrective retry`);
    const retryMessages: ChatMessage[] = [...messages, { role: 'assistant', content: first.text }, correctiveMessage(firstParse.problem, ids)];
    const second = await this.chat(retryMessages, request, responseFormat);
    const usage = addUsage(first.usage, second.usage);
    const source = first.source === 'llm' || second.source === 'llm' ? 'llm' : 'cache';
    const secondParse = parseTradeDecision(second.text, ids);
    if (secondParse.ok) return { decision: secondParse.decision, source, usage };

    if (this.options.fallback === 'error') {
      throw new LlmOutputError({ model: this.model, output: second.text, expected: `a valid decision after one corrective retry (${secondParse.problem})` });
    }
    this.book.record({ purpose: request.purpose, kind: 'chat', source: 'fallback', model: this.model, asOf: request.asOf, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    this.options.logger.warn(`llm-reasoning: ${this.model} gave an invalid decision twice for '${request.purpose}' (${secondParse.problem}); falling back to HOLD`);
    return {
      decision: { action: 'HOLD', confidence: 0, rationale: `fallback: invalid model output twice (${secondParse.problem})`.slice(0, 500), citedMemoryIds: [] },
      source: 'fallback',
      usage,
    };
  }

  /**
   * Free-text completion (reflections, summaries); no answer format is requested.
   *
   * @param request - messages, asOf (UTC ms), purpose label.
   * @returns the text, 'llm' or 'cache', and the usage (0 for a cache hit).
   * @throws LlmUnavailableError, BudgetExceededError, ConfigError (bad request).
   */
  async complete(request: LlmRequest): Promise<CompletionOutcome> {
    this.checkRequest(request);
    return this.chat([...request.messages], request, undefined);
  }

  /**
   * Embeds texts (`encoding_format: 'float'`), each text cached on its own (model, text) — not on asOf, since a
   * vector depends on nothing else. Texts missing from the cache go in batches of 128; the ledger gets one line
   * per embed call ('llm' if anything was sent, else 'cache').
   *
   * @param texts - non-empty strings.
   * @param asOf - UTC ms of the request (ledger only).
   * @param purpose - ledger label.
   * @returns one vector per text, in order.
   * @throws LlmUnavailableError, BudgetExceededError, ConfigError (an empty text), DataError (corrupt cache row).
   */
  async embed(texts: readonly string[], asOf: number, purpose: string): Promise<number[][]> {
    this.checkRequest({ messages: [{ role: 'user', content: 'embed' }], asOf, purpose });
    for (const [index, text] of texts.entries()) {
      if (typeof text !== 'string' || text === '') throw new ConfigError({ parameter: `embed texts[${index}]`, value: text, expected: 'a non-empty string' });
    }
    const model = this.options.embeddingModel;
    const vectors = new Map<string, number[]>();
    for (const text of texts) {
      const cached = this.cache?.getEmbedding(embeddingCacheKey(model, text));
      if (cached) vectors.set(text, cached);
    }
    const missing = [...new Set(texts.filter((text) => !vectors.has(text)))];
    for (let start = 0; start < missing.length; start += EMBEDDING_BATCH) {
      const batch = missing.slice(start, start + EMBEDDING_BATCH);
      const client = this.requireClient({ kind: 'embedding', model, purpose, asOf });
      const estimateTokens = estimatePromptTokens(batch);
      const release = this.book.reserve({
        tokens: estimateTokens,
        costUsd: estimateCostUsd(this.options.priceTable, model, estimateTokens, 0),
        description: `embedding call to ${model} for '${purpose}' (${batch.length} texts)`,
      });
      let raw: unknown;
      try {
        raw = await client.embeddings.create({ model, input: batch, encoding_format: 'float' });
      } catch (error) {
        throw endpointError(error, this.context('embedding', model));
      } finally {
        release();
      }
      const response = this.parseResponse(embeddingResponseSchema, raw, 'embedding', model);
      if (response.data.length !== batch.length) {
        throw new LlmUnavailableError({ message: `${this.options.baseURL} returned ${response.data.length} embeddings for ${batch.length} texts (model ${model})` });
      }
      for (const item of response.data) {
        const text = batch[item.index];
        if (text === undefined) throw new LlmUnavailableError({ message: `${this.options.baseURL} returned an embedding with index ${item.index} for ${batch.length} texts (model ${model})` });
        vectors.set(text, item.embedding);
        this.cache?.putEmbedding(embeddingCacheKey(model, text), model, text, item.embedding);
      }
      const tokens = response.usage?.prompt_tokens ?? estimateTokens;
      const costUsd = estimateCostUsd(this.options.priceTable, model, tokens, 0);
      this.book.record({ purpose, kind: 'embedding', source: 'llm', model, asOf, promptTokens: tokens, completionTokens: 0, costUsd });
    }
    if (missing.length === 0 && texts.length > 0) {
      this.book.record({ purpose, kind: 'embedding', source: 'cache', model, asOf, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    }
    return texts.map((text) => [...(vectors.get(text) ?? [])]);
  }

  /** @returns the run's totals: calls, cache hits, fallbacks, tokens and estimated dollars, per purpose. */
  ledger(): LedgerSummary {
    return this.book.summary();
  }

  /** @returns every ledger line (one per endpoint call, cache hit and fallback), oldest first. */
  ledgerEntries(): readonly LedgerEntry[] {
    return this.book.lines();
  }

  /** Closes the cache file; later calls throw LlmUnavailableError. */
  close(): void {
    this.closed = true;
    this.cache?.close();
  }

  private async chat(messages: readonly ChatMessage[], request: LlmRequest, responseFormat: unknown): Promise<ChatAnswer> {
    const { temperature, seed, maxCompletionTokens, priceTable } = this.options;
    const model = this.model;
    const key = chatCacheKey({ model, messages, temperature, seed, responseFormat, maxCompletionTokens, asOf: request.asOf });
    const cached = this.cache?.getChat(key);
    if (cached) {
      this.book.record({ purpose: request.purpose, kind: 'chat', source: 'cache', model, asOf: request.asOf, promptTokens: 0, completionTokens: 0, costUsd: 0 });
      return { text: cached.text, source: 'cache', usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } };
    }
    const client = this.requireClient({ kind: 'chat', model, purpose: request.purpose, asOf: request.asOf });
    const estimatedPrompt = estimatePromptTokens(messages.map((message) => message.content));
    const estimatedCompletion = maxCompletionTokens ?? DEFAULT_COMPLETION_TOKEN_ESTIMATE;
    const release = this.book.reserve({
      tokens: estimatedPrompt + estimatedCompletion,
      costUsd: estimateCostUsd(priceTable, model, estimatedPrompt, estimatedCompletion),
      description: `chat call to ${model} for '${request.purpose}'`,
    });
    const body = {
      model,
      messages: messages.map((message) => ({ role: message.role, content: message.content })),
      temperature,
      ...(seed === undefined ? {} : { seed }),
      ...(maxCompletionTokens === undefined ? {} : { max_tokens: maxCompletionTokens }),
      ...(responseFormat === undefined ? {} : { response_format: responseFormat as OpenAI.ChatCompletionCreateParams['response_format'] }),
    };
    let raw: unknown;
    try {
      raw = await client.chat.completions.create({ ...body, stream: false });
    } catch (error) {
      throw endpointError(error, this.context('chat', model));
    } finally {
      release();
    }
    const response = this.parseResponse(chatResponseSchema, raw, 'chat', model);
    const text = response.choices[0]?.message.content ?? '';
    // Servers that omit usage are charged the estimate, so the budget still binds.
    const promptTokens = response.usage?.prompt_tokens ?? estimatedPrompt;
    const completionTokens = response.usage?.completion_tokens ?? estimatePromptTokens([text]);
    const costUsd = estimateCostUsd(priceTable, model, promptTokens, completionTokens);
    this.book.record({ purpose: request.purpose, kind: 'chat', source: 'llm', model, asOf: request.asOf, promptTokens, completionTokens, costUsd });
    this.cache?.putChat(key, { text, promptTokens, completionTokens, model, asOf: request.asOf, purpose: request.purpose, request: JSON.stringify(body) });
    return { text, source: 'llm', usage: { promptTokens, completionTokens, costUsd } };
  }

  private decisionResponseFormat(ids: readonly string[]): unknown {
    switch (this.options.responseFormat) {
      case 'json_object':
        return { type: 'json_object' };
      case 'json_schema':
        return { type: 'json_schema', json_schema: { name: 'trade_decision', strict: true, schema: decisionJsonSchema(ids) } };
      case 'none':
        return undefined;
    }
  }

  private requireClient(what: { kind: 'chat' | 'embedding'; model: string; purpose: string; asOf: number }): OpenAI {
    if (this.closed) throw new LlmUnavailableError({ message: `the LLM reasoner for ${this.model} was closed; create a new one` });
    if (this.client) return this.client;
    const cacheText =
      this.cache === undefined
        ? this.options.cache === undefined
          ? 'no response cache is configured'
          : `the response cache is off (cacheMode 'off')`
        : `the response cache ${this.cache.path} has no entry for this ${what.kind} request`;
    throw new LlmUnavailableError({
      message:
        `No LLM endpoint is configured and ${cacheText} (model ${what.model}, purpose '${what.purpose}', asOf ${isoTime(what.asOf)}). ` +
        `Configure --llm-base-url (baseURL; e.g. https://api.openai.com/v1, or http://127.0.0.1:11434/v1 for Ollama) and --llm-model (model), ` +
        `with the API key in the environment variable ${this.options.apiKeyEnv} (local servers need none); ` +
        `or replay offline with --llm-cache pointing at the cache file of a run with the same model and prompts.`,
    });
  }

  private parseResponse<T extends z.ZodType>(schema: T, raw: unknown, kind: 'chat' | 'embedding', model: string): z.output<T> {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const message = `${this.options.baseURL} sent a ${kind} response that is not in the OpenAI format (model ${model}; ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`;
    throw new LlmUnavailableError({ message: redactSecret(message, this.options.apiKey, this.options.apiKeyEnv) });
  }

  private context(kind: 'chat' | 'embedding', model: string): EndpointContext {
    const { baseURL, timeoutMs, maxRetries, apiKeyEnv, apiKey, responseFormat } = this.options;
    return { baseURL: baseURL ?? '(no baseURL)', model, kind, timeoutMs, maxRetries, apiKeyEnv, apiKey, responseFormat };
  }

  private checkRequest(request: LlmRequest): void {
    if (this.closed) throw new LlmUnavailableError({ message: `the LLM reasoner for ${this.model} was closed; create a new one` });
    const result = requestSchema.safeParse(request);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = issue?.path ?? [];
      let value: unknown = request;
      for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
      throw new ConfigError({ parameter: `LLM request ${path.map(String).join('.') || '(root)'}`, value, expected: issue?.message ?? 'a valid request' });
    }
  }
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, costUsd: a.costUsd + b.costUsd };
}

function isoTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
