/**
 * The FinMem agent: one `step` per closed daily bar. Each step, in this order and only from what is known at the
 * bar's close:
 *   1. feedback — the previous decision's outcome is now realized: its cited memories gain or lose importance;
 *   2. reflection — the LLM writes a lesson on that decision and its outcome (reflection layer);
 *   3. perception — today's price move, the week / month that just ended, today's headlines become memories;
 *   4. housekeeping — promotion to deeper layers and clean-up;
 *   5. character — the risk attitude (self-adaptive: from the agent's realized returns);
 *   6. retrieval — top-k per layer by recency + importance + relevance;
 *   7. decision — BUY / SELL / HOLD with cited memory ids → target position;
 *   8. commit — every change of the day in one store transaction.
 *
 * @see Yu et al. (2023), "FinMem: A Performance-Enhanced LLM Trading Agent with Layered Memory and Character
 *   Design", arXiv:2311.13743. Unlike the reference implementation's training mode, which reflects on the next
 *   day's price (known only in hindsight), a reflection here only ever uses outcomes realized by the step's close.
 */
import { DataError, parseState } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import type { LlmReasoner } from '../client/types.js';
import { DEFAULT_MEMORY_CONFIG } from '../memory/layer-config.js';
import type { MemoryConfig } from '../memory/layer-config.js';
import { applyFeedback, planMaintenance } from '../memory/maintenance.js';
import type { MemoryItem } from '../memory/memory-item.js';
import { MEMORY_LAYERS } from '../memory/memory-item.js';
import type { MemoryStore } from '../memory/memory-store.js';
import { Bm25Relevance } from '../memory/relevance.js';
import type { RelevanceScorer } from '../memory/relevance.js';
import { retrieveMemories } from '../memory/retrieve.js';
import { resolveAttitude } from './character.js';
import type { Character } from './character.js';
import { dayRecordSchema } from './day-record.js';
import type { DayRecord, Phase } from './day-record.js';
import { dayLabel, observeDay } from './observations.js';
import type { Headline } from './observations.js';
import { feedbackSign, targetPosition } from './positions.js';
import type { PositionMode } from './positions.js';
import { decisionMessages, reflectionMessages, retrievalQuery } from './prompt.js';

/** Options of {@link FinMemAgent.open}. */
export interface FinMemAgentOptions {
  /** Instrument, e.g. 'TSLA' or 'BTC/USDT'. */
  readonly symbol: string;
  readonly reasoner: LlmReasoner;
  readonly store: MemoryStore;
  readonly character: Character;
  /** Default BM25 ({@link Bm25Relevance}); `EmbeddingRelevance` with an embedding endpoint. */
  readonly relevance?: RelevanceScorer;
  /** Default {@link DEFAULT_MEMORY_CONFIG}. */
  readonly memoryConfig?: MemoryConfig;
  /** Memories retrieved per layer (the paper's top-K). Default 3. */
  readonly topK?: number;
  /** Default 'long-flat'. */
  readonly positionMode?: PositionMode;
  /** Closes listed in the decision prompt. Default 5. */
  readonly recentCloses?: number;
  /** Longest reflection text kept, in characters. Default 1000. */
  readonly maxReflectionChars?: number;
}

/** One day's input: only what is known at the day's close. */
export interface DayInput {
  /** Closed bars, oldest first; the last one is the bar that just closed. */
  readonly history: readonly Bar[];
  /** Headlines published after the previous bar's close and no later than this bar's close. */
  readonly headlines: readonly Headline[];
}

/**
 * FinMem agent over a {@link MemoryStore}. Open it with {@link FinMemAgent.open} (which reads the days already
 * committed, so a killed run continues where it stopped), then call {@link FinMemAgent.step} once per closed bar.
 * @example
 * const agent = await FinMemAgent.open({ symbol: 'TSLA', reasoner, store, character: 'self-adaptive' });
 * const record = await agent.step('train', { history: bars.slice(0, i + 1), headlines });
 * record.decision.action; // 'BUY' | 'SELL' | 'HOLD'
 */
export class FinMemAgent {
  readonly symbol: string;
  readonly character: Character;
  readonly #reasoner: LlmReasoner;
  readonly #store: MemoryStore;
  readonly #relevance: RelevanceScorer;
  readonly #config: MemoryConfig;
  readonly #topK: number;
  readonly #mode: PositionMode;
  readonly #recentCloses: number;
  readonly #maxReflectionChars: number;
  readonly #records: DayRecord[];

  private constructor(options: FinMemAgentOptions, records: DayRecord[]) {
    this.symbol = options.symbol;
    this.character = options.character;
    this.#reasoner = options.reasoner;
    this.#store = options.store;
    this.#relevance = options.relevance ?? new Bm25Relevance();
    this.#config = options.memoryConfig ?? DEFAULT_MEMORY_CONFIG;
    this.#topK = options.topK ?? 3;
    this.#mode = options.positionMode ?? 'long-flat';
    this.#recentCloses = options.recentCloses ?? 5;
    this.#maxReflectionChars = options.maxReflectionChars ?? 1000;
    this.#records = records;
  }

  /**
   * Opens the agent on a store, reading (and validating) the days already committed for the symbol.
   * @param options - see {@link FinMemAgentOptions}.
   * @returns the agent, ready to step after the last committed day.
   * @throws StateError when a stored day record does not match the record schema.
   */
  static async open(options: FinMemAgentOptions): Promise<FinMemAgent> {
    const days = await options.store.days(options.symbol);
    const records = days.map((day) => parseState(`FinMem day ${new Date(day.time).toISOString()} of ${options.symbol}`, dayRecordSchema, day.record));
    return new FinMemAgent(options, records);
  }

  /** Every committed day, oldest first (train and test). */
  get records(): readonly DayRecord[] {
    return this.#records;
  }

  /** The agent's realized daily returns: yesterday's target position × today's close-to-close move. */
  #realizedReturns(): number[] {
    const returns: number[] = [];
    for (let k = 1; k < this.#records.length; k++) {
      const record = this.#records[k] as DayRecord;
      if (record.realizedMove !== null) returns.push((this.#records[k - 1] as DayRecord).targetPosition * record.realizedMove);
    }
    return returns;
  }

  /**
   * Runs one day (see the module comment for the steps) and commits it.
   * @param phase - 'train' or 'test' (labels the LLM purposes and the record; the steps are the same).
   * @param input - closed bars up to today and today's headlines.
   * @returns the committed record of the day.
   * @throws DataError (code DATA_ORDER) when the bar does not close after the last committed day; whatever the
   *   reasoner throws (LlmUnavailableError, BudgetExceededError, LlmOutputError) — then nothing of the day is
   *   committed and a rerun repeats it.
   */
  async step(phase: Phase, input: DayInput): Promise<DayRecord> {
    const bar = input.history[input.history.length - 1];
    if (bar === undefined) throw new DataError({ location: { column: 'history' }, value: 0, expected: 'at least one closed bar' });
    const time = bar.closeTime;
    const day = dayLabel(bar);
    const previous = this.#records[this.#records.length - 1];
    if (previous !== undefined && time <= previous.time) {
      throw new DataError({ code: 'DATA_ORDER', location: { column: 'closeTime' }, value: new Date(time).toISOString(), expected: `a bar closing after the last committed day ${previous.day}` });
    }
    const live = new Map((await this.#store.items(this.symbol)).map((item) => [item.id, item]));
    const persisted = new Set(live.keys());
    const upserts = new Map<string, MemoryItem>();
    const realizedMove = previous === undefined ? null : bar.close / previous.close - 1;

    // 1–2. the previous decision's outcome is realized at this close: feedback, then a reflection on it
    let feedback: DayRecord['feedback'] = null;
    const fresh: { id: string; layer: MemoryItem['layer']; kind: string; text: string }[] = [];
    if (previous !== undefined && realizedMove !== null) {
      const sign = feedbackSign(previous.decision.action, realizedMove);
      const ids = previous.decision.citedMemoryIds.filter((id) => live.has(id));
      for (const id of ids) {
        const updated = applyFeedback(live.get(id) as MemoryItem, time, sign, this.#config);
        live.set(id, updated);
        upserts.set(id, updated);
      }
      feedback = { decisionTime: previous.time, sign, ids };
      const cited = previous.decision.citedMemoryIds.map((id) => ({ id, text: live.get(id)?.text ?? '(forgotten since)' }));
      const reflection = await this.#reasoner.complete({
        messages: reflectionMessages({
          symbol: this.symbol,
          decisionDay: previous.day,
          outcomeDay: day,
          action: previous.decision.action,
          confidence: previous.decision.confidence,
          rationale: previous.decision.rationale,
          realizedMove,
          cited,
        }),
        asOf: time,
        purpose: `finmem/${phase}/reflection`,
      });
      const move = `${realizedMove >= 0 ? '+' : ''}${(realizedMove * 100).toFixed(2)}%`;
      const lesson = reflection.text.trim().slice(0, this.#maxReflectionChars);
      fresh.push({ id: `${day}/reflection`, layer: 'reflection', kind: 'reflection', text: `Lesson from the ${previous.day} ${previous.decision.action} decision (realized ${move} by ${day}): ${lesson}` });
    }

    // 3. perception: today's observations become memories
    const observations = observeDay(this.symbol, input.history, input.headlines, { backfill: previous === undefined });
    fresh.push(...observations);
    const embeddings = await this.#relevance.embedItems(fresh.map((entry) => entry.text), time);
    fresh.forEach((entry, index) => {
      const item: MemoryItem = {
        ...entry,
        symbol: this.symbol,
        eventTime: time,
        recencyAnchor: time,
        importance: this.#config.layers[entry.layer].initialImportance,
        importanceTime: time,
        accessCount: 0,
        ...(embeddings?.[index] === undefined ? {} : { embedding: embeddings[index] }),
      };
      live.set(item.id, item);
      upserts.set(item.id, item);
    });

    // 4. promotion and clean-up at this close
    const plan = planMaintenance([...live.values()], time, this.#config);
    for (const item of plan.promoted) {
      live.set(item.id, item);
      upserts.set(item.id, item);
    }
    for (const { id } of plan.removed) {
      live.delete(id);
      upserts.delete(id);
    }

    // 5–6. character, then the working memory
    const returns = this.#realizedReturns();
    if (previous !== undefined && realizedMove !== null) returns.push(previous.targetPosition * realizedMove);
    const attitude = resolveAttitude(this.character, returns);
    const query = retrievalQuery(this.symbol, attitude, observations.filter((entry) => entry.layer === 'short').map((entry) => entry.text));
    const memories = await retrieveMemories({ items: [...live.values()], query, asOf: time, topK: this.#topK, relevance: this.#relevance, config: this.#config });
    const offeredIds = MEMORY_LAYERS.flatMap((layer) => memories[layer].map((memory) => memory.item.id));

    // 7. the decision
    // train decisions are never traded, so a test phase starts flat
    const held = previous !== undefined && previous.phase === phase ? previous.targetPosition : 0;
    const outcome = await this.#reasoner.decide({
      messages: decisionMessages({
        symbol: this.symbol,
        day,
        attitude,
        position: held,
        mode: this.#mode,
        recentCloses: input.history.slice(-this.#recentCloses).map((entry) => entry.close),
        memories,
      }),
      asOf: time,
      purpose: `finmem/${phase}/decision`,
      allowedCitationIds: offeredIds,
    });

    // 8. commit the whole day at once
    const record: DayRecord = {
      version: 1,
      day,
      time,
      phase,
      close: bar.close,
      realizedMove,
      attitude,
      offeredIds,
      decision: {
        action: outcome.decision.action,
        confidence: outcome.decision.confidence,
        rationale: outcome.decision.rationale,
        citedMemoryIds: [...outcome.decision.citedMemoryIds],
      },
      source: outcome.source,
      targetPosition: targetPosition(outcome.decision.action, held, this.#mode),
      feedback,
      reflectionId: fresh.find((entry) => entry.layer === 'reflection' && live.has(entry.id))?.id ?? null,
      added: fresh.map((entry) => entry.id).filter((id) => live.has(id)),
      promoted: plan.promoted.map((item) => ({ id: item.id, layer: item.layer })),
      removed: plan.removed.map((entry) => entry.id).filter((id) => persisted.has(id)),
    };
    await this.#store.commitDay({ symbol: this.symbol, phase, time, upserts: [...upserts.values()], removals: record.removed, record });
    this.#records.push(record);
    return record;
  }
}
