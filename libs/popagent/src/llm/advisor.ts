import { ConfigError, parseState, StateError } from '@trading-ml/core';
import type { AnswerSource, LlmReasoner, quoteUntrusted, TradeAction } from '@trading-ml/llm-reasoning';
import type { NewsItem } from '@trading-ml/market-data';
import type { PopAgentProposal } from '../engineTypes.js';
import { createInventory } from '../methods/inventory.js';
import type { Condition, LlmViewRecord } from '../types.js';
import { llmAdvisorStateSchema } from './advisorState.js';
import type { LlmAdvisorState } from './advisorState.js';
import { combineExposure } from './combineExposure.js';
import { HeadlineWindow } from './headlineWindow.js';
import { buildPopAgentPrompt, DEFAULT_PROMPT_HEADLINES, DEFAULT_PROMPT_METHODS } from './prompt.js';
import type { PopAgentPrompt } from './prompt.js';

const WHAT = 'LlmAdvisor';

/** Default: ask the LLM every 6th decision (once a day on 4h bars) and hold its view in between. */
export const DEFAULT_LLM_EVERY = 6;

/** Options of {@link LlmAdvisor}. */
export interface LlmAdvisorOptions {
  /** Answers the decisions (the OpenAI-protocol client with its cache and ledger, in products). */
  readonly reasoner: LlmReasoner;
  /** 'B' (no news in the prompt) or 'D' (headlines and sentiment). */
  readonly condition: Condition;
  readonly symbol: string;
  readonly timeframe: string;
  readonly population: number;
  readonly allowShort: boolean;
  /** Bars per year (only for the method descriptions of the volatility-targeting method). */
  readonly periodsPerYear: number;
  readonly volatilityTarget: number;
  /** Headlines (D): any order; the window keeps the symbol's base and 'CRYPTO' ones. */
  readonly news?: readonly NewsItem[];
  /** Consult the LLM at decisions 0, every, 2·every, …; integer ≥ 1 (default {@link DEFAULT_LLM_EVERY}). */
  readonly every?: number;
  /** Selected methods shown per prompt (default 5). */
  readonly maxMethods?: number;
  /** Headlines shown per prompt in D (default 8). */
  readonly maxHeadlines?: number;
  /** Look-back of the headlines in D, ms (default 24 h). */
  readonly headlineWindowMs?: number;
}

/** What the advisor made of one proposal. */
export interface AdvisedExposure {
  /** The committed target exposure (see `combineExposure`). */
  readonly exposure: number;
  /** The view applied (fresh when `consulted`, else the held one). */
  readonly view: { readonly action: TradeAction; readonly confidence: number };
  /** True when the LLM was asked at this decision. */
  readonly consulted: boolean;
}

/**
 * The LLM step of conditions B and D. At decisions 0, every, 2·every, … it builds the prompt from the engine's
 * proposal (and, in D, the headlines published strictly before the close), asks the reasoner with
 * `asOf = proposal.time` (so a response cache replays a run exactly), and keeps the answer as its view; at the
 * decisions in between it holds that view. Every decision commits `combineExposure(proposal.exposure, view)`:
 * the population's current exposure moved by the held view. The agents never see the LLM: they keep learning
 * from their own arms, so B vs A (and D vs C) isolates the LLM's effect.
 *
 * `snapshot()` / `restore()` carry the views taken (the held one is the last), so an advisor restored after a
 * restart holds the same view and consults at the same decisions as an uninterrupted one.
 *
 * @see PopAgent issue (conditions B and D); `combineExposure` for the rule.
 * @example
 * const advisor = new LlmAdvisor({ reasoner, condition: 'B', symbol: 'BTC/USDT', timeframe: '4h', population: 10,
 *   allowShort: false, periodsPerYear: 2190, volatilityTarget: 0.5 });
 * const { exposure } = await advisor.advise(engine.step(bar));
 * const saved = JSON.stringify(advisor.snapshot()); // later: advisor.restore(JSON.parse(saved))
 */
export class LlmAdvisor {
  readonly every: number;
  readonly purpose: string;
  private readonly options: LlmAdvisorOptions;
  private readonly descriptions: Readonly<Record<string, string>>;
  private readonly headlines: HeadlineWindow | null;
  private readonly maxMethods: number;
  private readonly maxHeadlines: number;
  private held: { action: TradeAction; confidence: number } | null = null;
  private quote: typeof quoteUntrusted | null = null;
  private views: LlmViewRecord[] = [];
  private actions: Record<TradeAction, number> = { BUY: 0, SELL: 0, HOLD: 0 };
  private sources: Record<AnswerSource, number> = { llm: 0, cache: 0, fallback: 0 };

  /**
   * @param options - see {@link LlmAdvisorOptions}.
   * @throws ConfigError for a condition other than B/D, or a non-integer / non-positive every, maxMethods or
   *   maxHeadlines (maxHeadlines may be 0).
   */
  constructor(options: LlmAdvisorOptions) {
    if (options.condition !== 'B' && options.condition !== 'D') {
      throw new ConfigError({ parameter: 'condition', value: options.condition, expected: "'B' or 'D' (the LLM conditions)" });
    }
    this.every = options.every ?? DEFAULT_LLM_EVERY;
    if (!Number.isSafeInteger(this.every) || this.every < 1) throw new ConfigError({ parameter: 'llmEvery', value: this.every, expected: 'an integer ≥ 1 (decisions between LLM consultations)' });
    this.maxMethods = options.maxMethods ?? DEFAULT_PROMPT_METHODS;
    if (!Number.isSafeInteger(this.maxMethods) || this.maxMethods < 1) throw new ConfigError({ parameter: 'maxMethods', value: this.maxMethods, expected: 'an integer ≥ 1' });
    this.maxHeadlines = options.maxHeadlines ?? DEFAULT_PROMPT_HEADLINES;
    if (!Number.isSafeInteger(this.maxHeadlines) || this.maxHeadlines < 0) throw new ConfigError({ parameter: 'maxHeadlines', value: this.maxHeadlines, expected: 'an integer ≥ 0' });
    this.options = options;
    this.purpose = `popagent/${options.condition}/${options.symbol}`;
    const inventory = createInventory({ condition: options.condition, volatilityTarget: options.volatilityTarget, periodsPerYear: options.periodsPerYear });
    this.descriptions = Object.fromEntries(inventory.map((method) => [method.name, method.description]));
    this.headlines =
      options.condition === 'D'
        ? new HeadlineWindow({ news: options.news ?? [], symbol: options.symbol, ...(options.headlineWindowMs === undefined ? {} : { windowMs: options.headlineWindowMs }) })
        : null;
  }

  /**
   * The prompt the advisor sends for a proposal (also what tests inspect: what a decision could see).
   * @param proposal - the engine's proposal at one close.
   * @returns messages and allowed citation ids.
   * @throws never for an engine's proposal.
   */
  async prompt(proposal: PopAgentProposal): Promise<PopAgentPrompt> {
    // Loaded on first use: A/C runs never reach here, so they never load the LLM client's modules (openai, SQLite).
    this.quote ??= (await import('@trading-ml/llm-reasoning')).quoteUntrusted;
    const o = this.options;
    return buildPopAgentPrompt({
      symbol: o.symbol,
      timeframe: o.timeframe,
      proposal,
      population: o.population,
      allowShort: o.allowShort,
      every: this.every,
      descriptions: this.descriptions,
      maxMethods: this.maxMethods,
      quote: this.quote,
      ...(this.headlines === null ? {} : { headlines: this.headlines.before(proposal.time, this.maxHeadlines) }),
    });
  }

  /**
   * Turns one proposal into the committed exposure, asking the LLM when a consultation is due.
   * @param proposal - the engine's proposal; decisions must come in order (`proposal.decision` 0, 1, 2, …).
   * @returns the committed exposure, the view applied, and whether the LLM was asked.
   * @throws whatever the reasoner throws: LlmUnavailableError (no endpoint and a cache miss), BudgetExceededError,
   *   LlmOutputError (fallback policy 'error').
   */
  async advise(proposal: PopAgentProposal): Promise<AdvisedExposure> {
    if (this.held !== null && proposal.decision % this.every !== 0) return this.apply(proposal, this.held, false);
    const { messages, allowedCitationIds } = await this.prompt(proposal);
    const outcome = await this.options.reasoner.decide({ messages, allowedCitationIds, asOf: proposal.time, purpose: this.purpose });
    const { action, confidence, citedMemoryIds } = outcome.decision;
    const view = this.take({ time: proposal.time, action, confidence, source: outcome.source, cited: [...citedMemoryIds] });
    return this.apply(proposal, view, true);
  }

  /**
   * Applies the held view without consulting, whatever the decision index: for decisions that must not ask the
   * LLM (a live run's history and catch-up bars, which are learned but not traded).
   * @param proposal - the engine's proposal.
   * @returns as {@link LlmAdvisor.advise} with `consulted` false, or null while no view is held (before the first
   *   consultation): the population's own exposure then stands.
   * @throws never for an engine's proposal.
   */
  holdView(proposal: PopAgentProposal): AdvisedExposure | null {
    return this.held === null ? null : this.apply(proposal, this.held, false);
  }

  /** @returns every view taken so far, oldest first (copies). */
  takenViews(): LlmViewRecord[] {
    return this.views.map((view) => ({ ...view, cited: [...view.cited] }));
  }

  /** @returns consultations per answered action and per answer source. */
  counts(): { actions: Record<TradeAction, number>; sources: Record<AnswerSource, number> } {
    return { actions: { ...this.actions }, sources: { ...this.sources } };
  }

  /**
   * The advisor's state as plain JSON: every view taken, oldest first (the held view is the last; the counts are
   * their tallies). Options (reasoner, cadence, prompt sizes, headlines) are not state: they come with the advisor.
   * @returns a fresh object; mutating it never affects the advisor.
   */
  snapshot(): LlmAdvisorState {
    return { kind: 'popagent-llm-advisor', version: 1, symbol: this.options.symbol, condition: this.options.condition as 'B' | 'D', views: this.takenViews() };
  }

  /**
   * Makes this advisor continue as the snapshotted one: the same views taken, the same held view, the same counts,
   * so the next consultation comes at the same decision. The cadence is this advisor's own (`every` may differ from
   * the snapshotted one's). All or nothing: on error the advisor is unchanged.
   * @param state - from {@link LlmAdvisor.snapshot}, typically through JSON.parse (untrusted).
   * @throws StateError naming the offending field (e.g. `field "views.3.confidence" is 2, expected a number in
   *   [0, 1]`), or a snapshot of another symbol or condition.
   */
  restore(state: LlmAdvisorState): void {
    const s = parseState(WHAT, llmAdvisorStateSchema, state);
    for (const [field, own] of [['symbol', this.options.symbol], ['condition', this.options.condition]] as const) {
      if (s[field] !== own) throw new StateError({ what: WHAT, problem: `field "${field}" is ${JSON.stringify(s[field])}, expected ${JSON.stringify(own)} (this advisor's ${field})` });
    }
    this.held = null;
    this.views = [];
    this.actions = { BUY: 0, SELL: 0, HOLD: 0 };
    this.sources = { llm: 0, cache: 0, fallback: 0 };
    for (const view of s.views) this.take({ ...view, cited: [...view.cited] });
  }

  /** Records a view taken and holds it; returns the held view. */
  private take(view: LlmViewRecord): { action: TradeAction; confidence: number } {
    const held = { action: view.action, confidence: view.confidence };
    this.held = held;
    this.actions[view.action]++;
    this.sources[view.source]++;
    this.views.push(view);
    return held;
  }

  private apply(proposal: PopAgentProposal, view: { action: TradeAction; confidence: number }, consulted: boolean): AdvisedExposure {
    return { exposure: combineExposure(proposal.exposure, view, this.options.allowShort), view, consulted };
  }
}
