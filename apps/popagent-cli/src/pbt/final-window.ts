/**
 * The final, held-out window [end, final-end]: no PBT member was ever scored on it, and no engine had seen any
 * of its bars. The best member (its engines' learned state as PBT left it, its last hyperparameters), the untuned
 * default (DEFAULT_POPAGENT_CONFIG, walked through the same PBT windows so it is equally warm) and buy-and-hold
 * trade it through the same kernel with the same costs.
 */
import { NextBarOpenFillModel, buyAndHold, summarizePerformance } from '@trading-ml/backtest';
import type { BacktestResult, PerformanceSummary } from '@trading-ml/backtest';
import { PERIODS_PER_YEAR_24_7, Rng } from '@trading-ml/core';
import { DEFAULT_POPAGENT_CONFIG, INITIAL_CASH, SHARPE_RESAMPLES } from '@trading-ml/popagent';
import type { TunableHyperparameters } from '@trading-ml/popagent';
import { meanFitness } from './fitness.js';
import { PopAgentPbtMember, barsBetween, loadSeries, tradeWindow } from './member.js';
import type { RunSpec } from './run-spec.js';

/** One symbol on the final window. */
export interface FinalSymbol {
  readonly symbol: string;
  readonly best: PerformanceSummary;
  readonly default: PerformanceSummary;
  readonly buyAndHold: PerformanceSummary;
  /** Equity at each close of the window (quote currency, from INITIAL_CASH). */
  readonly equity: { readonly time: readonly number[]; readonly best: readonly number[]; readonly default: readonly number[]; readonly buyAndHold: readonly number[] };
}

/** The final window's outcome. */
export interface FinalOutcome {
  /** Closes of the window's first and last bar (over all symbols) and its bar count (first symbol). */
  readonly firstClose: number;
  readonly lastClose: number;
  readonly bars: number;
  /** The fitness of each contender on the window (the run's fitness, averaged over symbols). */
  readonly fitness: { readonly best: number; readonly default: number; readonly buyAndHold: number };
  readonly symbols: readonly FinalSymbol[];
}

/** A contender that carries a member state into the final window. */
export interface FinalContender {
  readonly hyperparameters: TunableHyperparameters;
  readonly seed: number;
  /** The member's state at the end of PBT (its engines have seen every bar before `spec.end`). */
  readonly state: unknown;
}

/**
 * Trades the final window.
 *
 * @param spec - the run description (symbols, timeframe, PBT end = the window's start, fitness).
 * @param finalEnd - last bar close of the window, UTC ms (included).
 * @param best - the best member's hyperparameters, seed and state.
 * @param untuned - the default configuration's state after the same PBT windows.
 * @param seed - root seed of the Sharpe bootstrap intervals.
 * @returns per symbol the three summaries (bootstrap interval with SHARPE_RESAMPLES) and equity curves, and the fitnesses.
 * @throws DataError when the window holds fewer than two bars of a symbol; StateError on a bad state.
 * @see member.ts (tradeWindow: decide at close, fill at next open)
 * @example
 * const outcome = evaluateFinalWindow(spec, finalEnd, best, untuned, 42); outcome.fitness.best;
 */
export function evaluateFinalWindow(spec: RunSpec, finalEnd: number, best: FinalContender, untuned: FinalContender, seed: number): FinalOutcome {
  const series = loadSeries(spec, finalEnd);
  const bestMember = new PopAgentPbtMember(spec, best.hyperparameters, best.seed, best.state, series);
  const defaultMember = new PopAgentPbtMember(spec, untuned.hyperparameters, untuned.seed, untuned.state, series);
  const periodsPerYear = PERIODS_PER_YEAR_24_7[spec.timeframe];
  const symbols = series.map((s, i): FinalSymbol => {
    const bars = barsBetween(s.bars, spec.end, finalEnd + 1);
    const rng = Rng.fromSeed(seed).derive(s.symbol).derive('pbt/final-window');
    const bestTrade = tradeWindow(bestMember.engineList[i]!, bars, s.references, rng.derive('best'), SHARPE_RESAMPLES);
    const defaultTrade = tradeWindow(defaultMember.engineList[i]!, bars, s.references, rng.derive('default'), SHARPE_RESAMPLES);
    const fillModel = new NextBarOpenFillModel({ feeRate: DEFAULT_POPAGENT_CONFIG.feeRate, slippageRate: DEFAULT_POPAGENT_CONFIG.slippageRate });
    const hold: BacktestResult = buyAndHold({ bars, symbol: s.symbol, fillModel, initialCash: INITIAL_CASH });
    return {
      symbol: s.symbol,
      best: bestTrade.summary,
      default: defaultTrade.summary,
      buyAndHold: summarizePerformance(hold, { periodsPerYear, rng: rng.derive('buyAndHold'), resamples: SHARPE_RESAMPLES }),
      equity: { time: bestTrade.result.equityCurve.time, best: bestTrade.result.equityCurve.equity, default: defaultTrade.result.equityCurve.equity, buyAndHold: hold.equityCurve.equity },
    };
  });
  const fitness = (pick: (s: FinalSymbol) => PerformanceSummary) => meanFitness(spec.fitness, symbols.map(pick), spec.drawdownCap);
  const times = symbols.flatMap((s) => [s.equity.time[0]!, s.equity.time.at(-1)!]);
  return {
    firstClose: Math.min(...times),
    lastClose: Math.max(...times),
    bars: symbols[0]!.equity.time.length,
    fitness: { best: fitness((s) => s.best), default: fitness((s) => s.default), buyAndHold: fitness((s) => s.buyAndHold) },
    symbols,
  };
}
