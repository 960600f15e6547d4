/**
 * The FinMem prompts. Trusted text (the task, the character, numbers this code computed) is written as prose;
 * untrusted text (headlines, memories, earlier LLM output) enters only through `quoteUntrusted`, as JSON lines
 * inside a data block the text cannot close.
 *
 * @see Yu et al. (2023), arXiv:2311.13743, section 3.3 (decision-making: character, working memory from each
 *   layer, and the instruction to act); reference implementation `puppy/prompts.py`.
 */
import type { ChatMessage, TradeAction } from '../client/types.js';
import type { MemoryLayer } from '../memory/memory-item.js';
import { MEMORY_LAYERS } from '../memory/memory-item.js';
import type { RetrievedMemory } from '../memory/retrieve.js';
import { quoteUntrusted, untrustedDataSystemMessage } from '../prompt/quote-untrusted.js';
import { RISK_PROFILES } from './character.js';
import type { RiskAttitude } from './character.js';
import type { PositionMode, TargetPosition } from './positions.js';

const LAYER_TITLES: Readonly<Record<MemoryLayer, string>> = {
  short: 'Short-term memory (recent prices and news, fades within days)',
  mid: 'Mid-term memory (weekly summaries and memories promoted by good past calls)',
  long: 'Long-term memory (monthly summaries and the most reliable memories)',
  reflection: 'Reflections (your own lessons from past decisions and their realized outcomes)',
};

const POSITION_NAMES: Readonly<Record<TargetPosition, string>> = { 1: 'long', 0: 'flat', [-1]: 'short' };

/** What the decision prompt is built from. */
export interface DecisionPromptInput {
  readonly symbol: string;
  /** 'YYYY-MM-DD' of the bar that just closed. */
  readonly day: string;
  readonly attitude: RiskAttitude;
  readonly position: TargetPosition;
  readonly mode: PositionMode;
  /** The last few closes, oldest first (computed from closed bars, trusted numbers). */
  readonly recentCloses: readonly number[];
  readonly memories: Readonly<Record<MemoryLayer, readonly RetrievedMemory[]>>;
}

/**
 * The user message of a decision request (the client adds the system message with the answer schema).
 * @param input - see {@link DecisionPromptInput}.
 * @returns one user chat message; every memory text is inside a quoted data block, with its citable id.
 * @throws ConfigError from `quoteUntrusted` when a memory is not JSON-serialisable (never for plain strings).
 * @see FinMem section 3.3.
 * @example
 * const [message] = decisionMessages({ symbol: 'TSLA', day: '2023-03-06', attitude: 'risk-averse', position: 0, mode: 'long-flat', recentCloses: [190, 197], memories });
 */
export function decisionMessages(input: DecisionPromptInput): ChatMessage[] {
  const sell = input.mode === 'long-short' ? 'SELL = go (or stay) short' : 'SELL = exit to flat (or stay flat)';
  const sections = MEMORY_LAYERS.map((layer) => {
    const entries = input.memories[layer].map((memory) => ({ id: memory.item.id, text: memory.item.text }));
    return `${LAYER_TITLES[layer]}:\n${entries.length === 0 ? '(none)' : quoteUntrusted(entries, { label: `memory/${layer}` })}`;
  });
  const closes = input.recentCloses.map((close) => (close >= 100 ? close.toFixed(2) : close.toPrecision(5))).join(', ');
  const content = [
    `Trading day ${input.day}, instrument ${input.symbol}. It is the close of the day; you decide now and the order fills at the next open.`,
    RISK_PROFILES[input.attitude],
    `Current position: ${POSITION_NAMES[input.position]}. Recent closes, oldest first: ${closes || '(none)'}.`,
    'Your working memory follows, one JSON object {id, text} per line. Cite the ids of the memories your decision relies on.',
    ...sections,
    `Choose one action: BUY = go (or stay) long; ${sell}; HOLD = keep the current position.`,
  ].join('\n\n');
  return [{ role: 'user', content }];
}

/** What a reflection prompt is built from. */
export interface ReflectionPromptInput {
  readonly symbol: string;
  /** Day of the decision reflected on, 'YYYY-MM-DD'. */
  readonly decisionDay: string;
  /** Day the outcome became known, 'YYYY-MM-DD'. */
  readonly outcomeDay: string;
  readonly action: TradeAction;
  readonly confidence: number;
  /** The decision's rationale (LLM output: untrusted). */
  readonly rationale: string;
  /** Realized close-to-close move from the decision's close to the outcome close (fraction, trusted). */
  readonly realizedMove: number;
  /** The memories the decision cited (untrusted texts). */
  readonly cited: readonly { readonly id: string; readonly text: string }[];
}

/**
 * The messages of a reflection request: a system message with the quoted-data rule, and the decision, its
 * realized outcome and its cited memories.
 * @param input - see {@link ReflectionPromptInput}.
 * @returns system + user messages for `LlmReasoner.complete`.
 * @throws ConfigError from `quoteUntrusted` (never for plain strings).
 * @see FinMem section 3.2 (reflection memory: the agent's lessons from its own decisions).
 * @example
 * reflectionMessages({ symbol: 'TSLA', decisionDay: '2023-03-06', outcomeDay: '2023-03-07', action: 'BUY', confidence: 0.6, rationale: 'recall priced in', realizedMove: -0.031, cited: [] });
 */
export function reflectionMessages(input: ReflectionPromptInput): ChatMessage[] {
  const verdict = input.action === 'HOLD' ? 'a HOLD (no directional call)' : `a ${input.action} call that turned out ${(input.action === 'BUY') === input.realizedMove > 0 ? 'right' : 'wrong'}`;
  const move = `${input.realizedMove >= 0 ? '+' : ''}${(input.realizedMove * 100).toFixed(2)}%`;
  const content = [
    `On ${input.decisionDay} you decided ${input.action} on ${input.symbol} with confidence ${input.confidence.toFixed(2)}. By the close of ${input.outcomeDay} the price moved ${move}: ${verdict}.`,
    `Your rationale then:\n${quoteUntrusted([input.rationale], { label: 'rationale' })}`,
    `The memories you cited:\n${input.cited.length === 0 ? '(none)' : quoteUntrusted(input.cited.map((entry) => ({ id: entry.id, text: entry.text })), { label: 'memory/cited' })}`,
    'In at most three sentences, state what this outcome teaches about these kinds of memories for future decisions. Plain text only.',
  ].join('\n\n');
  return [untrustedDataSystemMessage(), { role: 'user', content }];
}

/**
 * The retrieval query of a day: the instrument, the attitude's focus and today's new observations.
 * @param symbol - instrument.
 * @param attitude - today's attitude.
 * @param todayTexts - texts observed today (price move, headlines).
 * @returns free text for BM25 or an embedding.
 * @example
 * retrievalQuery('TSLA', 'risk-averse', ['TSLA closed at 190.5 …']);
 */
export function retrievalQuery(symbol: string, attitude: RiskAttitude, todayTexts: readonly string[]): string {
  const focus = attitude === 'risk-averse' ? 'risk downside loss decline warning' : 'opportunity upside growth rally';
  return [`${symbol} price trend outlook news ${focus}`, ...todayTexts].join('\n');
}
