/**
 * Trades the test phase's decisions through the backtest kernel next to buy-and-hold: each decision at a close
 * fills at the next bar's open with fees and slippage (NextBarOpenFillModel), both runs on the same bars.
 */
import { Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { NextBarOpenFillModel, buyAndHold, runBacktest, summarizePerformance } from '@trading-ml/backtest';
import type { BacktestResult } from '@trading-ml/backtest';
import type { DayRecord, PositionMode } from '@trading-ml/llm-reasoning';
import type { Metrics } from './results-schema.js';

/** FinMem's metrics from a kernel result. */
function metrics(result: BacktestResult, periodsPerYear: number, seed: number): Metrics {
  const summary = summarizePerformance(result, { periodsPerYear, rng: Rng.fromSeed(seed), resamples: 200 });
  return {
    cumulativeReturn: summary.totalReturn,
    sharpeRatio: summary.sharpeRatio,
    annualizedVolatility: summary.annualizedVolatility,
    maxDrawdown: summary.maxDrawdown,
    trades: summary.trades,
    fills: summary.fills,
  };
}

/** What {@link evaluateDecisions} returns. */
export interface Evaluation {
  readonly finmem: Metrics;
  readonly buyAndHold: Metrics;
  readonly equity: { readonly time: number[]; readonly finmem: number[]; readonly buyAndHold: number[] };
}

/**
 * Backtests the decisions against buy-and-hold.
 * @param bars - the decision days' bars, in order (one record per bar, matched by closeTime).
 * @param records - the decisions; an order is placed only when the target position changes.
 * @param options - symbol, position mode (shorts allowed for 'long-short'), periods per year (252 stocks, 365
 *   daily crypto), seed of the Sharpe bootstrap.
 * @returns metrics of both runs and their equity curves.
 * @throws DataError from the kernel on unordered bars.
 * @see @trading-ml/backtest README (decide at close t, fill at open t+1).
 * @example
 * const evaluation = evaluateDecisions(bars, records, { symbol: 'TSLA', positions: 'long-flat', periodsPerYear: 252, seed: 42 });
 */
export function evaluateDecisions(
  bars: readonly Bar[],
  records: readonly DayRecord[],
  options: { symbol: string; positions: PositionMode; periodsPerYear: number; seed: number },
): Evaluation {
  // Only changes of target are orders: a repeated target returns null, so a held position is not rebalanced
  // (and charged fees) every day as its price moves.
  const targets = new Map<number, number>();
  let held: number | undefined;
  for (const record of records) {
    if (record.targetPosition !== held) targets.set(record.time, record.targetPosition);
    held = record.targetPosition;
  }
  const fillModel = new NextBarOpenFillModel();
  const finmem = runBacktest({
    bars,
    symbol: options.symbol,
    fillModel,
    allowShort: options.positions === 'long-short',
    strategy: { onBar: (bar) => targets.get(bar.closeTime) ?? null },
  });
  const baseline = buyAndHold({ bars, symbol: options.symbol, fillModel });
  return {
    finmem: metrics(finmem, options.periodsPerYear, options.seed),
    buyAndHold: metrics(baseline, options.periodsPerYear, options.seed),
    equity: { time: [...finmem.equityCurve.time], finmem: [...finmem.equityCurve.equity], buyAndHold: [...baseline.equityCurve.equity] },
  };
}
