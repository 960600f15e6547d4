/**
 * PopAgent behind libs/live's LiveStrategy: one PopAgentEngine per symbol (and, for conditions B/D, one LlmAdvisor),
 * warm-up from history on the first start, the committed exposure as the target, and the engines' (and advisors')
 * snapshots as the persisted state.
 */
import { z } from 'zod';
import { ConfigError, PERIODS_PER_YEAR_24_7, StateError, parseState } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import type { LiveStrategy } from '@trading-ml/live';
import type { LlmReasoner } from '@trading-ml/llm-reasoning';
import type { NewsItem } from '@trading-ml/market-data';
import { LlmAdvisor, PopAgentEngine } from '@trading-ml/popagent';
import type { Condition, LlmAdvisorState, LlmView, PopAgentConfig, PopAgentEngineState, PopAgentProposal } from '@trading-ml/popagent';
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
  // 2: the LLM advisors' snapshots replace version 1's held views.
  version: z.literal(2, '2 (the snapshot format version)'),
  warmUpBars: z.number().int().nonnegative(),
  engines: z.record(z.string(), z.unknown(), 'an object of engine snapshots by symbol'),
  /** Each symbol's LlmAdvisor snapshot (B/D: views taken, the held one last); empty in A/C. */
  advisors: z.record(z.string(), z.unknown(), 'an object of LLM advisor snapshots by symbol'),
});

/** Plain-JSON state of {@link PopAgentLiveStrategy}: every engine's (and in B/D every advisor's) snapshot by symbol. */
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
 * advisors' snapshots (views taken, the held one last) are part of the snapshot.
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
  private advisors: Map<string, LlmAdvisor>;
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
    this.advisors = this.createAdvisors(this.engines);
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
    const advice = await this.advise(symbol, bar, proposal);
    this.options.onProposal?.(symbol, proposal, advice);
    return advice?.exposure ?? proposal.exposure;
  }

  /**
   * B/D: a fresh decision consults the LLM when it is due (decision 0, every, 2·every, …) or no view is held yet;
   * any other decision applies the held view. History and catch-up bars never consult (they are not traded): they
   * apply the held view, or none before the first consultation. The advisor's snapshot carries the held view, so a
   * restart holds the same view as an uninterrupted run.
   */
  private async advise(symbol: string, bar: Bar, proposal: PopAgentProposal): Promise<LiveAdvice | null> {
    const advisor = this.advisors.get(symbol);
    if (advisor === undefined) return null;
    const fresh = this.options.isFresh?.(bar) ?? true;
    return fresh ? advisor.advise(proposal) : advisor.holdView(proposal);
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

  /** @returns every engine's and (B/D) every advisor's snapshot by symbol (plain JSON). */
  snapshot(): PopAgentLiveStrategyState {
    const engines: Record<string, PopAgentEngineState> = {};
    for (const [symbol, engine] of this.engines) engines[symbol] = engine.snapshot();
    const advisors: Record<string, LlmAdvisorState> = {};
    for (const [symbol, advisor] of this.advisors) advisors[symbol] = advisor.snapshot();
    return { kind: 'popagent-live-strategy', version: 2, warmUpBars: this.options.warmUpBars, engines, advisors };
  }

  /**
   * Rebuilds every engine and (B/D) every LLM advisor from a snapshot (all or nothing: on error the strategy is
   * unchanged). A version-1 snapshot (held views without the advisors' history) is refused on field "version".
   * @param state - from {@link PopAgentLiveStrategy.snapshot}, typically read back from SQLite (untrusted).
   * @throws StateError when the snapshot is malformed, holds other symbols, another warm-up count, an engine
   *   snapshot of another timeframe or condition, or a malformed advisor snapshot (the field is named).
   */
  restore(state: unknown): void {
    const s = parseState(WHAT, stateSchema, state);
    if (s.warmUpBars !== this.options.warmUpBars) {
      throw new StateError({ what: WHAT, problem: `field "warmUpBars" is ${s.warmUpBars}, expected ${this.options.warmUpBars}` });
    }
    const own = [...this.options.symbols].sort();
    const llmSymbols = this.options.llm === undefined ? [] : own;
    for (const [field, expected] of [['engines', own], ['advisors', llmSymbols]] as const) {
      const saved = Object.keys(s[field]).sort();
      if (saved.join(',') !== expected.join(',')) {
        throw new StateError({ what: WHAT, problem: `field "${field}" holds ${saved.join(', ') || 'no symbol'}, expected ${expected.join(', ') || 'no symbol'}` });
      }
    }
    const engines = new Map<string, PopAgentEngine>();
    for (const symbol of this.options.symbols) {
      const engine = this.createEngine(symbol);
      restoreNamed(`engine of ${symbol}`, () => engine.restore(s.engines[symbol] as PopAgentEngineState));
      engines.set(symbol, engine);
    }
    const advisors = this.createAdvisors(engines);
    for (const [symbol, advisor] of advisors) restoreNamed(`advisor of ${symbol}`, () => advisor.restore(s.advisors[symbol] as LlmAdvisorState));
    this.engines = engines;
    this.advisors = advisors;
  }

  /** New advisors (B/D; none in A/C) over `engines`, holding no view yet. */
  private createAdvisors(engines: ReadonlyMap<string, PopAgentEngine>): Map<string, LlmAdvisor> {
    const advisors = new Map<string, LlmAdvisor>();
    const { llm, condition, timeframe } = this.options;
    if (llm === undefined) return advisors;
    for (const [symbol, engine] of engines) {
      const { population, allowShort, volatilityTarget } = engine.config;
      advisors.set(symbol, new LlmAdvisor({
        reasoner: llm.reasoner, condition, symbol, timeframe, population, allowShort, volatilityTarget, every: llm.every,
        periodsPerYear: PERIODS_PER_YEAR_24_7[timeframe], ...(condition === 'D' ? { news: this.news } : {}),
      }));
    }
    return advisors;
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

/** Runs a part's restore, prefixing its StateError with the part (`engine of BTC/USDT: …`). */
function restoreNamed(part: string, restore: () => void): void {
  try {
    restore();
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    throw new StateError({ what: WHAT, problem: `${part}: ${error.message}`, cause: error });
  }
}

/** Same headlines (count, first and last item): the news files only ever grow at the end. */
function sameNews(a: readonly NewsItem[], b: readonly NewsItem[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  const same = (x: NewsItem, y: NewsItem) => x.time === y.time && x.headline === y.headline && x.symbol === y.symbol;
  return same(a[0]!, b[0]!) && same(a[a.length - 1]!, b[b.length - 1]!);
}
