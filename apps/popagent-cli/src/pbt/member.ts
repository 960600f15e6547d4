/**
 * One PBT member of PopAgent: a PopAgentEngine per symbol, all with the member's hyperparameters, walked forward
 * one window at a time. In a window every bar close is a decision committed before its outcome (the engine sees
 * bars up to that close only) and filled at the next bar's open through the backtest kernel; the window is then
 * scored on its own bars. The same code runs PBT members (in any executor), the untuned default and the final window.
 */
import { z } from 'zod';
import { NextBarOpenFillModel, runBacktest, summarizePerformance } from '@trading-ml/backtest';
import type { BacktestResult, PerformanceSummary, Strategy } from '@trading-ml/backtest';
import { DataError, PERIODS_PER_YEAR_24_7, Rng, StateError, parseState } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { INITIAL_CASH, PopAgentEngine } from '@trading-ml/popagent';
import type { PopAgentEngineState, TunableHyperparameters } from '@trading-ml/popagent';
import { loadAblationData } from '../data.js';
import { windowBounds } from './run-spec.js';
import type { RunSpec } from './run-spec.js';

/** Bootstrap resamples of the Sharpe interval of a PBT window (the fitness never reads the interval). */
const WINDOW_RESAMPLES = 100;

/** One symbol's bars for a run: time-ordered, warm-up included, with the reference asset's bars by closeTime. */
export interface SymbolSeries {
  readonly symbol: string;
  readonly bars: readonly Bar[];
  readonly references: ReadonlyMap<number, Bar>;
}

/** Bars loaded per (data folder, symbols, timeframe, start, end): every job of a thread or process reuses them. */
const seriesCache = new Map<string, readonly SymbolSeries[]>();

/**
 * Loads (once per process or thread) the bars of a run up to `end`: the app's ablation loader, so warm-up and
 * reference asset are the ablation's.
 *
 * @param spec - the run description (data folder, symbols, timeframe, start).
 * @param end - last bar close loaded, UTC ms: `spec.end` for PBT (nothing later is ever read), the final
 *   window's end for the final evaluation.
 * @returns one series per symbol, in `spec.symbols` order.
 * @throws DataError / ConfigError of the loader (missing file, no bar in the range).
 * @see ../data.ts (loadAblationData)
 * @example
 * const [btc] = loadSeries(spec, spec.end);
 */
export function loadSeries(spec: RunSpec, end: number): readonly SymbolSeries[] {
  const key = JSON.stringify([spec.dataDir, spec.symbols, spec.timeframe, spec.start, end]);
  let series = seriesCache.get(key);
  if (series === undefined) {
    const data = loadAblationData({ dataDir: spec.dataDir, symbols: spec.symbols, timeframe: spec.timeframe, start: spec.start, end, conditions: ['A'] });
    series = data.symbols.map((s) => ({ symbol: s.symbol, bars: s.bars, references: new Map((s.referenceBars ?? []).map((bar) => [bar.closeTime, bar])) }));
    seriesCache.set(key, series);
  }
  return series;
}

/**
 * The bars whose close lies in [from, to).
 *
 * @param bars - time-ordered bars.
 * @param from - UTC ms, included.
 * @param to - UTC ms, excluded.
 * @returns a new array.
 * @throws never.
 * @example
 * barsBetween(bars, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)); // January's closes
 */
export function barsBetween(bars: readonly Bar[], from: number, to: number): Bar[] {
  return bars.filter((bar) => bar.closeTime >= from && bar.closeTime < to);
}

/** What one symbol did in one window. */
export interface WindowTrade {
  readonly symbol: string;
  /** Kernel result over the window's bars (equity from INITIAL_CASH, flat at the first close). */
  readonly result: BacktestResult;
  readonly summary: PerformanceSummary;
  /** Population exposure decided at each close of the window. */
  readonly exposure: readonly number[];
}

/**
 * Trades one window with an engine: at each bar close the engine learns the bar and decides; the kernel fills
 * the decision at the next bar's open with the configured fee and slippage. The kernel starts flat with
 * INITIAL_CASH, so a window's score does not depend on how earlier windows ended.
 *
 * @param engine - an engine that has seen every bar before the window (warm-up or earlier windows).
 * @param bars - the window's bars (≥ 2), time-ordered, directly following the bars the engine has seen.
 * @param references - the reference asset's bars by closeTime.
 * @param rng - stream of the Sharpe bootstrap interval.
 * @param resamples - bootstrap resamples (the interval is reported, never scored).
 * @returns the kernel result, its summary (annualised with the timeframe's bars per year) and the exposures.
 * @throws DataError when the window holds fewer than two bars or the bars are out of order.
 * @see libs/backtest README ("decide at close t, fill at open t+1")
 * @example
 * const { summary } = tradeWindow(engine, januaryBars, references, Rng.fromSeed(1));
 */
export function tradeWindow(engine: PopAgentEngine, bars: readonly Bar[], references: ReadonlyMap<number, Bar>, rng: Rng, resamples = WINDOW_RESAMPLES): WindowTrade {
  if (bars.length < 2) {
    throw new DataError({ code: 'DATA_MISSING', location: { file: engine.symbol }, value: `${bars.length} bar(s) in a walk-forward window`, expected: 'at least two bars per window (widen --start/--end or use fewer --generations)' });
  }
  const exposure: number[] = [];
  const strategy: Strategy = {
    onBar(bar) {
      const proposal = engine.step(bar, references.get(bar.closeTime) ?? null);
      exposure.push(proposal.exposure);
      return proposal.exposure;
    },
  };
  const config = engine.config;
  const fillModel = new NextBarOpenFillModel({ feeRate: config.feeRate, slippageRate: config.slippageRate });
  const result = runBacktest({ bars, strategy, symbol: engine.symbol, fillModel, initialCash: INITIAL_CASH, allowShort: config.allowShort, minRebalanceFraction: config.rebalanceThreshold });
  const summary = summarizePerformance(result, { periodsPerYear: PERIODS_PER_YEAR_24_7[engine.timeframe], rng, resamples });
  return { symbol: engine.symbol, result, summary, exposure };
}

/**
 * Engines released by finished jobs of this thread, per (symbol, timeframe). Every member of a run sees the same
 * bars, so after generation k all of them have seen exactly the same ones: restoring a member's state into a
 * released engine that has seen those bars skips the replay of every bar through the indicators (the engine
 * checks that the bars are equal and replays when they are not), which would otherwise cost more than the window.
 */
const enginePool = new Map<string, PopAgentEngine[]>();
/** Released engines kept per (symbol, timeframe). */
const POOL_LIMIT = 16;

function poolKey(symbol: string, timeframe: string): string {
  return `${symbol}|${timeframe}`;
}

/** A released engine that has seen `barsSeen` bars, removed from the pool, or undefined. */
function takeEngine(symbol: string, timeframe: string, barsSeen: number): PopAgentEngine | undefined {
  const list = enginePool.get(poolKey(symbol, timeframe));
  const index = list?.findIndex((engine) => engine.barsSeen === barsSeen) ?? -1;
  return index < 0 ? undefined : list!.splice(index, 1)[0];
}

/** Plain-JSON state of a member: the window it trades next and one engine snapshot per symbol. */
export interface MemberState {
  readonly kind: 'popagent-pbt-member';
  readonly version: 1;
  /** Index of the next walk-forward window (= windows traded so far). */
  readonly nextWindow: number;
  /** Engine state per symbol. */
  readonly engines: Readonly<Record<string, PopAgentEngineState>>;
}

const memberStateSchema = z.object({
  kind: z.literal('popagent-pbt-member', '"popagent-pbt-member"'),
  version: z.literal(1, '1 (the member state format version)'),
  nextWindow: z.int().nonnegative(),
  engines: z.record(z.string(), z.unknown()),
});

/**
 * A member: one engine per symbol with the member's hyperparameters, fresh (warmed up on the bars before
 * `spec.start`) or restored from a state (then the member's current hyperparameters are applied: PBT's exploit
 * copies the donor's state, explore may have changed them).
 */
export class PopAgentPbtMember {
  readonly spec: RunSpec;
  private readonly engines: PopAgentEngine[];
  private readonly series: readonly SymbolSeries[];
  private readonly bounds: readonly number[];
  private readonly seed: number;
  private next = 0;
  private released = false;

  /**
   * @param spec - the run description.
   * @param hyperparameters - the member's tunable PopAgent hyperparameters.
   * @param seed - the engines' seed (a restored state carries its own random streams).
   * @param state - a state from {@link PopAgentPbtMember.snapshot}, or null for a fresh member.
   * @param series - the run's bars (default: loaded for `spec`, up to `spec.end`).
   * @param pooled - restore into a released engine of this thread when one has seen the state's bars (default
   *   true; false always builds fresh engines, as a test's reference).
   * @throws StateError on a malformed state or one of other symbols; ConfigError on bad hyperparameters;
   *   DataError from loading.
   */
  constructor(spec: RunSpec, hyperparameters: TunableHyperparameters, seed: number, state: unknown, series: readonly SymbolSeries[] = loadSeries(spec, spec.end), pooled = true) {
    this.spec = spec;
    this.series = series;
    this.seed = seed;
    this.bounds = windowBounds(spec.start, spec.end, spec.windows, spec.timeframe);
    const periodsPerYear = PERIODS_PER_YEAR_24_7[spec.timeframe];
    const config = { ...hyperparameters, population: spec.agents };
    const create = (symbol: string) => new PopAgentEngine({ symbol, timeframe: spec.timeframe, condition: 'A', seed, periodsPerYear, config });
    if (state === null || state === undefined) {
      this.engines = series.map((s) => create(s.symbol));
      for (const [i, engine] of this.engines.entries()) {
        const s = series[i]!;
        for (const bar of s.bars) {
          if (bar.closeTime >= spec.start) break;
          engine.warmUp(bar, s.references.get(bar.closeTime) ?? null);
        }
      }
      return;
    }
    const parsed = parseState('PBT member state', memberStateSchema, state);
    if (parsed.nextWindow > spec.windows) {
      throw new StateError({ what: 'PBT member state', problem: `field "nextWindow" is ${parsed.nextWindow}, expected at most ${spec.windows} (the run's windows)` });
    }
    this.engines = series.map((s) => {
      const saved = parsed.engines[s.symbol] as PopAgentEngineState | undefined;
      if (saved === undefined) throw new StateError({ what: 'PBT member state', problem: `field "engines" has no "${s.symbol}", expected one engine per symbol of the run` });
      const barsSeen = Array.isArray(saved.bars?.close) ? saved.bars.close.length : -1;
      const engine = (pooled ? takeEngine(s.symbol, spec.timeframe, barsSeen) : undefined) ?? create(s.symbol);
      engine.restore(saved);
      engine.setHyperparameters(hyperparameters);
      return engine;
    });
    this.next = parsed.nextWindow;
  }

  /** Index of the window the member trades next. */
  get nextWindow(): number {
    return this.next;
  }

  /** Window boundaries (UTC ms): window k holds the closes in [bounds[k], bounds[k + 1]). */
  get windowBounds(): readonly number[] {
    return this.bounds;
  }

  /**
   * Trades the next walk-forward window on every symbol.
   *
   * @param rng - stream of the windows' Sharpe bootstrap intervals.
   * @returns one WindowTrade per symbol, and the window's index.
   * @throws StateError when every window has been traded; DataError on a window with fewer than two bars.
   */
  tradeNextWindow(rng: Rng): { window: number; trades: WindowTrade[] } {
    const window = this.next;
    if (this.released) throw new StateError({ what: 'PBT member', problem: 'its engines were released; build a new member from its snapshot' });
    if (window >= this.spec.windows) {
      throw new StateError({ what: 'PBT member', problem: `it has traded all ${this.spec.windows} windows; no window ${window} to train on` });
    }
    const from = this.bounds[window]!;
    const to = this.bounds[window + 1]!;
    const trades = this.engines.map((engine, i) => {
      const s = this.series[i]!;
      return tradeWindow(engine, barsBetween(s.bars, from, to), s.references, rng.derive(`window/${window}/${engine.symbol}`));
    });
    this.next = window + 1;
    return { window, trades };
  }

  /** The engines, in `spec.symbols` order (the final evaluation trades them on). */
  get engineList(): readonly PopAgentEngine[] {
    return this.engines;
  }

  /** The member's complete state (plain JSON). */
  snapshot(): MemberState {
    return {
      kind: 'popagent-pbt-member',
      version: 1,
      nextWindow: this.next,
      // A pooled engine was built with another member's seed; the state names this member's (informational only:
      // the random streams are in the agents' states), exactly as a freshly built engine would.
      engines: Object.fromEntries(this.engines.map((engine) => [engine.symbol, { ...engine.snapshot(), seed: this.seed }])),
    };
  }

  /**
   * Hands the engines to this thread's pool, for the next member restored at the same point (call after the
   * last snapshot; the member can no longer trade).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const engine of this.engines) {
      const key = poolKey(engine.symbol, engine.timeframe);
      const list = enginePool.get(key) ?? [];
      list.push(engine);
      if (list.length > POOL_LIMIT) list.shift();
      enginePool.set(key, list);
    }
  }
}
