/**
 * PopAgent behind libs/live's LiveStrategy: one PopAgentEngine per symbol (and, for conditions B/D, one LlmAdvisor),
 * warm-up from history on the first start, the committed exposure as the target, and the engines' snapshots (plus
 * the LLM views held) as the persisted state.
 */
import { z } from 'zod';
import { ConfigError, PERIODS_PER_YEAR_24_7, StateError, parseState } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import type { LiveStrategy } from '@trading-ml/live';
import type { LlmReasoner } from '@trading-ml/llm-reasoning';
import type { NewsItem } from '@trading-ml/market-data';
import { LlmAdvisor, PopAgentEngine, combineExposure } from '@trading-ml/popagent';
import type { Condition, LlmView, PopAgentConfig, PopAgentEngineState, PopAgentProposal } from '@trading-ml/popagent';
import type { ReferenceFeed } from './reference-feed.js';

/** A (prices), B (A + LLM), C (prices + news), D (C + LLM). */
export type LiveCondition = Condition;

/** The LLM of conditions B and D. */
export interface LiveLlm {
  /** Answers the consultations (the OpenAI-protocol client with its response cache and ledger). */
  readonly reasoner: LlmReasoner;
  /** Consult at decisions 0, every, 2·every, … (and whenever no view is held); hold the view in between. */
  readonly every: number;
}

/** What the LLM made of a decision (B/D). */
export interface LiveAdvice {
  /** The committed exposure: the population's moved by the view (`combineExposure`). */
  readonly exposure: number;
  readonly view: LlmView;
  /** True when the LLM was asked at this decision, false when a held view was applied. */
  readonly consulted: boolean;
}

/** Options of {@link PopAgentLiveStrategy}. */
export interface PopAgentLiveStrategyOptions {
  /** Unified symbols, 'BTC/USDT'. */
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly condition: LiveCondition;
  /** Root seed of every engine (each derives its own stream from its symbol). */
  readonly seed: number;
  /** Partial PopAgentConfig (defaults for the rest). */
  readonly config?: Partial<PopAgentConfig>;
  /**
   * The first bars each engine sees only warm its features, models and indicators (`engine.warmUp`, as the
   * ablation's warm-up); from then on every bar is a decision (`engine.step`). Bars ≥ 0.
   */
  readonly warmUpBars: number;
  /** The reference asset's bar at each close (BTC/USDT for the others), or none. */
  readonly reference?: ReferenceFeed;
  /** Headlines for conditions C and D (used only at closes strictly after their time). */
  readonly news?: readonly NewsItem[];
  /** Conditions B and D: the reasoner and the consultation interval. */
  readonly llm?: LiveLlm;
  /**
   * Whether a bar is the newest close of the iteration (traded) rather than history or catch-up (learned, not
   * traded). Only fresh decisions consult the LLM (default: every bar is fresh).
   */
  readonly isFresh?: (bar: Bar) => boolean;
  /** Sees every decision with all that is behind it (for logs); `advice` is null in A/C. */
  readonly onProposal?: (symbol: string, proposal: PopAgentProposal, advice: LiveAdvice | null) => void;
}

const stateSchema = z.object({
  kind: z.literal('popagent-live-strategy', '"popagent-live-strategy"'),
  version: z.literal(1, '1 (the snapshot format version)'),
  warmUpBars: z.number().int().nonnegative(),
  engines: z.record(z.string(), z.unknown(), 'an object of engine snapshots by symbol'),
  /** The LLM view each symbol holds (B/D), null before the first consultation. */
  views: z.record(z.string(), z.object({ action: z.enum(['BUY', 'SELL', 'HOLD']), confidence: z.number().min(0).max(1) }).nullable()),
});

/** Plain-JSON state of {@link PopAgentLiveStrategy}: every engine's snapshot by symbol. */
export type PopAgentLiveStrategyState = z.infer<typeof stateSchema>;

const WHAT = 'PopAgentLiveStrategy';

/**
 * The live strategy of `popagent live`: one {@link PopAgentEngine} per symbol. `onBar(symbol, bar)` feeds the
 * newly closed bar (with the reference asset's bar of the same close) to that symbol's engine and returns the
 * population's committed exposure — the same engine and the same `step` the ablation backtest drives. The
 * snapshot holds every engine's snapshot, so a restart continues bit-identically.
 *
 * News (conditions C, D) is given to an engine when it is built; {@link PopAgentLiveStrategy.setNews} rebuilds the
 * engines from their snapshots with newer headlines (an engine restores its news cursor after the last close it
 * saw, so headlines already folded in are never counted twice and late ones are never used).
 *
 * Conditions B and D: an `LlmAdvisor` per symbol turns the proposal into the committed exposure
 * (`combineExposure`), consulting the LLM at fresh decisions that are due and holding its view in between; the
 * held views are part of the snapshot.
 *
 * @see libs/popagent/README.md (decision timeline); libs/live/README.md (LiveStrategy contract).
 * @example
 * const strategy = new PopAgentLiveStrategy({ symbols: ['BTC/USDT'], timeframe: '4h', condition: 'A', seed: 42, warmUpBars: 300 });
 * for (const bar of bars) await strategy.onBar('BTC/USDT', bar); // 0 during warm-up, then the population's exposure
 * const saved = JSON.stringify(strategy.snapshot());
 */
export class PopAgentLiveStrategy implements LiveStrategy {
  private readonly options: PopAgentLiveStrategyOptions;
  private engines: Map<string, PopAgentEngine>;
  private advisors = new Map<string, LlmAdvisor>();
  private views = new Map<string, LlmView | null>();
  private news: readonly NewsItem[];

  /**
   * @param options - see {@link PopAgentLiveStrategyOptions}.
   * @throws ConfigError for a bad warm-up count or no symbols, and the engine's own ConfigErrors (config keys,
   *   seed, condition).
   */
  constructor(options: PopAgentLiveStrategyOptions) {
    if (!Number.isInteger(options.warmUpBars) || options.warmUpBars < 0) {
      throw new ConfigError({ parameter: 'warmUpBars', value: options.warmUpBars, expected: 'an integer ≥ 0 (bars)' });
    }
    if (options.symbols.length === 0) throw new ConfigError({ parameter: 'symbols', value: options.symbols, expected: 'at least one symbol' });
    const llmCondition = options.condition === 'B' || options.condition === 'D';
    if (llmCondition !== (options.llm !== undefined)) {
      throw new ConfigError({ parameter: 'llm', value: options.llm === undefined ? 'none' : 'a reasoner', expected: `a reasoner exactly for conditions B and D (condition ${options.condition})` });
    }
    this.options = options;
    this.news = options.news ?? [];
    this.engines = new Map(options.symbols.map((symbol) => [symbol, this.createEngine(symbol)]));
    this.resetAdvisors(new Map(options.symbols.map((symbol) => [symbol, null])));
  }

  /** Bars per year of the timeframe on a 24/7 market (the engines' volatility target). */
  get periodsPerYear(): number {
    return PERIODS_PER_YEAR_24_7[this.options.timeframe];
  }

  /** The engine of a symbol (read-only use: tests, reports). */
  engine(symbol: string): PopAgentEngine | undefined {
    return this.engines.get(symbol);
  }

  /**
   * Feeds one closed bar to the symbol's engine.
   * @param symbol - one of the strategy's symbols.
   * @param bar - the bar that just closed (UTC ms, quote prices), after every bar fed before for this symbol.
   * @returns the target exposure in [−1, 1] (fraction of equity): 0 while the engine warms up, then the
   *   population's committed exposure.
   * @throws ConfigError for an unknown symbol; DataError for an out-of-order bar (from the engine).
   */
  async onBar(symbol: string, bar: Bar): Promise<number> {
    const engine = this.engines.get(symbol);
    if (engine === undefined) throw new ConfigError({ parameter: 'symbol', value: symbol, expected: `one of ${[...this.engines.keys()].join(', ')}` });
    const feed = this.options.reference;
    let reference: Bar | null = null;
    if (feed !== undefined) {
      if (symbol === feed.symbol) feed.remember(bar);
      else reference = await feed.barAt(bar.closeTime);
    }
    if (engine.barsSeen < this.options.warmUpBars) {
      engine.warmUp(bar, reference);
      return 0;
    }
    const proposal = engine.step(bar, reference);
    const advice = await this.advise(symbol, engine, bar, proposal);
    this.options.onProposal?.(symbol, proposal, advice);
    return advice?.exposure ?? proposal.exposure;
  }

  /**
   * B/D: a fresh decision consults the LLM when it is due (decision 0, every, 2·every, …) or no view is held yet;
   * any other decision applies the held view. The view is kept here (and in the snapshot), not in the advisor, so a
   * restart holds the same view as an uninterrupted run. History and catch-up bars never consult (not traded).
   */
  private async advise(symbol: string, engine: PopAgentEngine, bar: Bar, proposal: PopAgentProposal): Promise<LiveAdvice | null> {
    const advisor = this.advisors.get(symbol);
    if (advisor === undefined) return null;
    const held = this.views.get(symbol) ?? null;
    const fresh = this.options.isFresh?.(bar) ?? true;
    if (fresh && (held === null || proposal.decision % advisor.every === 0)) {
      // A fresh advisor (built on every restore) or a due decision: advise() consults.
      const advised = await advisor.advise(proposal);
      this.views.set(symbol, { action: advised.view.action, confidence: advised.view.confidence });
      return { exposure: advised.exposure, view: advised.view, consulted: true };
    }
    if (held === null) return null;
    return { exposure: combineExposure(proposal.exposure, held, engine.config.allowShort), view: held, consulted: false };
  }

  /**
   * Replaces the headlines (condition C) and rebuilds the engines from their snapshots when they changed.
   * @param news - every headline known now (time-ordered or not); the engines use one only at closes after it.
   * @returns true when the engines were rebuilt.
   */
  setNews(news: readonly NewsItem[]): boolean {
    if ((this.options.condition !== 'C' && this.options.condition !== 'D') || sameNews(news, this.news)) return false;
    const state = this.snapshot();
    this.news = news;
    this.restore(state);
    return true;
  }

  /** @returns every engine's snapshot by symbol (plain JSON). */
  snapshot(): PopAgentLiveStrategyState {
    const engines: Record<string, PopAgentEngineState> = {};
    for (const [symbol, engine] of this.engines) engines[symbol] = engine.snapshot();
    const views = Object.fromEntries([...this.views].map(([symbol, view]) => [symbol, view === null ? null : { ...view }]));
    return { kind: 'popagent-live-strategy', version: 1, warmUpBars: this.options.warmUpBars, engines, views };
  }

  /**
   * Rebuilds every engine from a snapshot (all or nothing: on error the strategy is unchanged).
   * @param state - from {@link PopAgentLiveStrategy.snapshot}, typically read back from SQLite (untrusted).
   * @throws StateError when the snapshot is malformed, holds other symbols, another warm-up count, or an engine
   *   snapshot of another timeframe or condition (the field is named).
   */
  restore(state: unknown): void {
    const s = parseState(WHAT, stateSchema, state);
    if (s.warmUpBars !== this.options.warmUpBars) {
      throw new StateError({ what: WHAT, problem: `field "warmUpBars" is ${s.warmUpBars}, expected ${this.options.warmUpBars}` });
    }
    const saved = Object.keys(s.engines).sort();
    const own = [...this.options.symbols].sort();
    if (saved.join(',') !== own.join(',')) {
      throw new StateError({ what: WHAT, problem: `field "engines" holds ${saved.join(', ') || 'no symbol'}, expected ${own.join(', ')}` });
    }
    const engines = new Map<string, PopAgentEngine>();
    for (const symbol of this.options.symbols) {
      const engine = this.createEngine(symbol);
      try {
        engine.restore(s.engines[symbol] as PopAgentEngineState);
      } catch (error) {
        if (!(error instanceof StateError)) throw error;
        throw new StateError({ what: WHAT, problem: `engine of ${symbol}: ${error.message}`, cause: error });
      }
      engines.set(symbol, engine);
    }
    this.engines = engines;
    this.resetAdvisors(new Map(this.options.symbols.map((symbol) => [symbol, s.views[symbol] ?? null])));
  }

  /** New advisors (B/D) over the current engines, holding `views`. */
  private resetAdvisors(views: Map<string, LlmView | null>): void {
    this.views = views;
    this.advisors = new Map();
    const { llm, condition, timeframe } = this.options;
    if (llm === undefined) return;
    for (const [symbol, engine] of this.engines) {
      const { population, allowShort, volatilityTarget } = engine.config;
      this.advisors.set(symbol, new LlmAdvisor({
        reasoner: llm.reasoner, condition, symbol, timeframe, population, allowShort, volatilityTarget, every: llm.every,
        periodsPerYear: PERIODS_PER_YEAR_24_7[timeframe], ...(condition === 'D' ? { news: this.news } : {}),
      }));
    }
  }

  private createEngine(symbol: string): PopAgentEngine {
    const { timeframe, condition, seed, config } = this.options;
    return new PopAgentEngine({
      symbol, timeframe, condition, seed, periodsPerYear: PERIODS_PER_YEAR_24_7[timeframe],
      ...(config !== undefined ? { config } : {}),
      ...(condition === 'C' || condition === 'D' ? { news: this.news } : {}),
    });
  }
}

/** Same headlines (count, first and last item): the news files only ever grow at the end. */
function sameNews(a: readonly NewsItem[], b: readonly NewsItem[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  const same = (x: NewsItem, y: NewsItem) => x.time === y.time && x.headline === y.headline && x.symbol === y.symbol;
  return same(a[0]!, b[0]!) && same(a[a.length - 1]!, b[b.length - 1]!);
}
