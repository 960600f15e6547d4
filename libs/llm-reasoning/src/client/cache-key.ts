/**
 * Cache keys: a SHA-256 of a canonical JSON array of everything that can change the answer. Two requests share a
 * key exactly when the endpoint would see the same model, messages and sampling options at the same `asOf`.
 */
import { createHash } from 'node:crypto';
import type { ChatMessage } from './types.js';

/** Bumped when the key layout changes, so old entries are simply never hit. */
const KEY_VERSION = 'llm-reasoning/cache/v1';

/** Everything in a chat request that can change the answer. */
export interface ChatKeyParts {
  readonly model: string;
  /** The full message list as sent (system instruction, caller messages, corrective turn). */
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  readonly seed: number | undefined;
  /** The `response_format` payload sent (undefined when none is sent). */
  readonly responseFormat: unknown;
  readonly maxCompletionTokens: number | undefined;
  /** UTC epoch ms; the same prompt at another time is another entry. */
  readonly asOf: number;
}

/**
 * The cache key of a chat request.
 *
 * @param parts - model, messages, sampling options and asOf.
 * @returns 64 hex characters.
 * @example
 * chatCacheKey({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0, seed: undefined, responseFormat: undefined, maxCompletionTokens: undefined, asOf: 0 }).length; // 64
 */
export function chatCacheKey(parts: ChatKeyParts): string {
  return sha256([
    KEY_VERSION,
    'chat',
    parts.model,
    parts.messages.map((message) => [message.role, message.content]),
    parts.temperature,
    parts.seed ?? null,
    parts.responseFormat ?? null,
    parts.maxCompletionTokens ?? null,
    parts.asOf,
  ]);
}

/**
 * The cache key of one embedded text. An embedding is a function of the model and the text alone, so `asOf` is
 * not part of it: the same headline embedded on two days is one entry, and one request's texts are cached one by
 * one (a batch with one new text sends only that text).
 *
 * @param model - the embedding model.
 * @param text - the text embedded.
 * @returns 64 hex characters.
 */
export function embeddingCacheKey(model: string, text: string): string {
  return sha256([KEY_VERSION, 'embedding', model, 'float', text]);
}

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
