/**
 * The decision an LLM must answer, as a zod schema (the validator), a prose description (for the prompt, since
 * some local servers ignore `json_schema`) and a JSON Schema (for servers that honour `json_schema`).
 */
import { z } from 'zod';
import type { ChatMessage, TradeDecision } from './types.js';
import { UNTRUSTED_DATA_INSTRUCTION } from '../prompt/quote-untrusted.js';

/** Longest rationale accepted, in characters; a longer one is off-schema (it is display text, not an essay). */
export const MAX_RATIONALE_CHARS = 2000;

/** The three answers an LLM may give. */
export const TRADE_ACTIONS = ['BUY', 'SELL', 'HOLD'] as const;

/**
 * The zod schema of a decision for a given set of citable ids. Unknown extra keys are dropped; a missing key, a
 * wrong type, an action outside BUY/SELL/HOLD, a confidence outside [0, 1] or a cited id that was not offered is
 * an error. Duplicate citations are folded into one.
 *
 * @param allowedCitationIds - ids the prompt offered (memory item ids, signal names, headline ids).
 * @returns a zod schema whose output is a {@link TradeDecision}.
 * @example
 * tradeDecisionSchema(['m1']).safeParse({ action: 'BUY', confidence: 0.7, rationale: 'trend', citedMemoryIds: ['m1'] }).success; // true
 */
export function tradeDecisionSchema(allowedCitationIds: readonly string[]) {
  const allowed = new Set(allowedCitationIds);
  return z.object({
    action: z.enum(TRADE_ACTIONS),
    confidence: z.number().min(0).max(1),
    rationale: z.string().max(MAX_RATIONALE_CHARS),
    citedMemoryIds: z
      .array(z.string())
      .superRefine((ids, context) => {
        for (const [index, id] of ids.entries()) {
          if (!allowed.has(id)) {
            context.addIssue({ code: 'custom', path: [index], message: `cited id ${JSON.stringify(id)} was not offered; allowed ids: ${describeIds(allowedCitationIds)}` });
          }
        }
      })
      .transform((ids) => [...new Set(ids)]),
  });
}

/** The result of {@link parseTradeDecision}: a decision, or the problem in words for the corrective message. */
export type ParsedDecision = { readonly ok: true; readonly decision: TradeDecision } | { readonly ok: false; readonly problem: string };

/**
 * Parses a model's answer text into a decision. A Markdown code fence around the JSON is tolerated (several local
 * models add one even when asked not to); nothing else is guessed.
 *
 * @param text - the raw answer (untrusted).
 * @param allowedCitationIds - ids the prompt offered.
 * @returns `{ ok: true, decision }` or `{ ok: false, problem }` naming the first few issues.
 * @example
 * parseTradeDecision('{"action":"LIQUIDATE"}', []).ok; // false
 */
export function parseTradeDecision(text: string, allowedCitationIds: readonly string[]): ParsedDecision {
  const body = stripCodeFence(text.trim());
  if (body === '') return { ok: false, problem: 'the answer was empty; expected one JSON object' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, problem: `the answer is not valid JSON (${error instanceof Error ? error.message : String(error)}); expected one JSON object and nothing else` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, problem: `the answer is JSON but not an object; expected one JSON object` };
  }
  const result = tradeDecisionSchema(allowedCitationIds).safeParse(json);
  if (result.success) return { ok: true, decision: result.data };
  const issues = result.error.issues.slice(0, 4).map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')}: ${issue.message}`);
  return { ok: false, problem: `the JSON does not match the schema: ${issues.join('; ')}` };
}

/**
 * The prose description of the answer schema put in the decision prompt.
 *
 * @param allowedCitationIds - ids the model may cite.
 * @returns one paragraph naming every field, its type and range, and the allowed ids.
 */
export function describeDecisionSchema(allowedCitationIds: readonly string[]): string {
  return (
    'Answer with one JSON object and nothing else, with exactly these keys: ' +
    '"action": one of "BUY", "SELL", "HOLD"; ' +
    '"confidence": a number from 0 to 1; ' +
    `"rationale": a short string (at most ${MAX_RATIONALE_CHARS} characters); ` +
    `"citedMemoryIds": an array of the ids you relied on, each one of ${describeIds(allowedCitationIds)} (an empty array if none).`
  );
}

/**
 * The system message the client puts first in every decision request: the data-is-not-instructions rule and the
 * answer schema.
 *
 * @param allowedCitationIds - ids the model may cite.
 * @returns a system chat message.
 */
export function decisionSystemMessage(allowedCitationIds: readonly string[]): ChatMessage {
  return {
    role: 'system',
    content: `You are a trading decision assistant. ${UNTRUSTED_DATA_INSTRUCTION}\n${describeDecisionSchema(allowedCitationIds)}`,
  };
}

/**
 * The user message of the one corrective retry: what was wrong and the schema again.
 *
 * @param problem - from {@link parseTradeDecision}.
 * @param allowedCitationIds - ids the model may cite.
 * @returns a user chat message.
 */
export function correctiveMessage(problem: string, allowedCitationIds: readonly string[]): ChatMessage {
  return { role: 'user', content: `Your previous answer was invalid: ${problem}. ${describeDecisionSchema(allowedCitationIds)}` };
}

/**
 * The JSON Schema for `response_format: { type: 'json_schema' }` (strict mode: every key required, no extras).
 *
 * @param allowedCitationIds - ids the model may cite (an `enum` on the array items; `maxItems: 0` when none).
 * @returns a JSON Schema object.
 */
export function decisionJsonSchema(allowedCitationIds: readonly string[]): Record<string, unknown> {
  const ids = [...new Set(allowedCitationIds)];
  return {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'confidence', 'rationale', 'citedMemoryIds'],
    properties: {
      action: { type: 'string', enum: [...TRADE_ACTIONS] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      rationale: { type: 'string' },
      citedMemoryIds: ids.length === 0 ? { type: 'array', items: { type: 'string' }, maxItems: 0 } : { type: 'array', items: { type: 'string', enum: ids } },
    },
  };
}

function describeIds(ids: readonly string[]): string {
  return ids.length === 0 ? '(none: cite nothing)' : `[${ids.map((id) => JSON.stringify(id)).join(', ')}]`;
}

function stripCodeFence(text: string): string {
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text);
  return fenced?.[1]?.trim() ?? text;
}
