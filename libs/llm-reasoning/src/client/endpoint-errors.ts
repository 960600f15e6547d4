/**
 * Turns the openai SDK's errors into `LlmUnavailableError`s whose messages say what failed and what to check, with
 * the API key redacted, and wraps loggers so the key never reaches a log.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { LlmUnavailableError } from '@trading-ml/core';
import type { LlmLogger } from './options.js';

/** Keys shorter than this are not redacted (replacing a 3-letter placeholder everywhere would garble text). */
const MIN_REDACTED_KEY_LENGTH = 8;

/**
 * Replaces every occurrence of the secret in a text.
 *
 * @param text - any text about to be logged or thrown.
 * @param secret - the API key (undefined when none is configured).
 * @param secretName - the variable name, shown instead of the value.
 * @returns the text with `[redacted $NAME]` in place of the key.
 * @example
 * redactSecret('Bearer sk-abcdefgh123', 'sk-abcdefgh123', 'OPENAI_API_KEY'); // 'Bearer [redacted $OPENAI_API_KEY]'
 */
export function redactSecret(text: string, secret: string | undefined, secretName: string): string {
  if (secret === undefined || secret.length < MIN_REDACTED_KEY_LENGTH) return text;
  return text.split(secret).join(`[redacted $${secretName}]`);
}

/**
 * A logger that redacts the key from the message and from every extra argument (objects are logged as JSON).
 *
 * @param target - where lines go.
 * @param secret - the API key.
 * @param secretName - its variable name.
 * @returns the wrapping logger.
 */
export function redactingLogger(target: LlmLogger, secret: string | undefined, secretName: string): LlmLogger {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redactSecret(value, secret, secretName);
    if (value instanceof Error) return redactSecret(`${value.name}: ${value.message}`, secret, secretName);
    if (value === null || typeof value !== 'object') return value;
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      json = String(value);
    }
    return redactSecret(json, secret, secretName);
  };
  const wrap =
    (level: keyof LlmLogger) =>
    (message: string, ...rest: unknown[]): void =>
      target[level](redactSecret(message, secret, secretName), ...rest.map(clean));
  return { error: wrap('error'), warn: wrap('warn'), info: wrap('info'), debug: wrap('debug') };
}

/** What the mapping needs to know to write a useful message. */
export interface EndpointContext {
  readonly baseURL: string;
  readonly model: string;
  readonly kind: 'chat' | 'embedding';
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly apiKeyEnv: string;
  readonly apiKey: string | undefined;
  readonly responseFormat: string;
}

/**
 * Maps an SDK failure (after the SDK's own retries) to an LlmUnavailableError. Errors that are not the SDK's are
 * returned unchanged (they are bugs, not endpoint trouble).
 *
 * @param error - what `openai` threw.
 * @param context - endpoint, model and limits, for the message.
 * @returns the error to throw.
 */
export function endpointError(error: unknown, context: EndpointContext): unknown {
  if (!(error instanceof APIError)) return error;
  const attempts = `${context.maxRetries + 1} attempt${context.maxRetries === 0 ? '' : 's'} (maxRetries=${context.maxRetries})`;
  const where = `${context.baseURL} (${context.kind}, model ${context.model})`;
  let message: string;
  if (error instanceof APIConnectionTimeoutError) {
    message = `${where} did not answer within timeoutMs=${context.timeoutMs} on ${attempts}; raise the timeout or check the server's load`;
  } else if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    message = `cannot connect to ${where} on ${attempts}${cause}; check --llm-base-url and that the server is running`;
  } else if (error.status === 401 || error.status === 403) {
    message =
      context.apiKey === undefined
        ? `${where} answered HTTP ${error.status}: it needs an API key; set the environment variable ${context.apiKeyEnv} (or choose another with --llm-api-key-env)`
        : `${where} answered HTTP ${error.status}: it rejected the API key read from $${context.apiKeyEnv} (${error.message})`;
  } else if (error.status === 404) {
    message = `${where} answered HTTP 404 (${error.message}); check --llm-model ${JSON.stringify(context.model)} exists on the server and --llm-base-url ends in /v1`;
  } else if (error.status === 429 || (error.status !== undefined && error.status >= 500) || error.status === 408 || error.status === 409) {
    message = `${where} answered HTTP ${error.status} on ${attempts} (${error.message})`;
  } else {
    const hint = context.kind === 'chat' && context.responseFormat !== 'none' ? `; if the server does not support response_format ${context.responseFormat}, set responseFormat 'json_object' or 'none'` : '';
    message = `${where} answered HTTP ${String(error.status)} (${error.message})${hint}`;
  }
  const redacted = redactSecret(message, context.apiKey, context.apiKeyEnv);
  // The SDK error itself is not attached: its body may echo parts of the request. A redacted copy keeps the detail.
  const cause = new Error(redactSecret(error.message, context.apiKey, context.apiKeyEnv));
  cause.name = error.name;
  return new LlmUnavailableError({ message: redacted, cause });
}
