import { DataError } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';
import { annualizedVolatility } from './metrics/annualized-volatility.js';
import { bootstrapSharpeInterval } from './metrics/bootstrap-sharpe-interval.js';
import { cagr } from './metrics/cagr.js';
import { calmarRatio } from './metrics/calmar-ratio.js';
import { maxDrawdown } from './metrics/max-drawdown.js';
import { positionEpisodes } from './metrics/position-episodes.js';
import { profitFactor } from './metrics/profit-factor.js';
import { sharpeRatio } from './metrics/sharpe-ratio.js';
import { simpleReturns } from './metrics/simple-returns.js';
import { sortinoRatio } from './metrics/sortino-ratio.js';
import { totalReturn } from './metrics/total-return.js';
import { turnover } from './metrics/turnover.js';
import { winRate } from './metrics/win-rate.js';
import type { BacktestResult } from './types.js';

/** Performance of one run. Ratios annualised with the run's `periodsPerYear`; fractions, not percent. */
export interface PerformanceSummary {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly annualizedVolatility: number;
  readonly sharpeRatio: number;
  /** Bootstrap percentile interval of the Sharpe ratio [low, high] (95 % by default). */
  readonly sharpeInterval: readonly [number, number];
  readonly sortinoRatio: number;
  /** Largest peak-to-trough loss as a positive fraction. */
  readonly maxDrawdown: number;
  readonly calmarRatio: number;
  /** Gross profit / gross loss over the position episodes counted in `trades`. */
  readonly profitFactor: number;
  /** Fraction of the position episodes counted in `trades` with a positive net PnL. */
  readonly winRate: number;
  /** Traded notional / mean equity, annualised. */
  readonly turnover: number;
  /**
   * Number of trades = position episodes (flat → position → flat, a sign flip ending one and starting the next),
   * including a position still open at the end, marked at the last close (see {@link positionEpisodes}).
   */
  readonly trades: number;
  /** Number of executed orders (fills), every rebalance included. */
  readonly fills: number;
}

/** Options of {@link summarizePerformance}. */
export interface SummarizePerformanceOptions {
  /** Bars per year of the run's timeframe (8760 hourly, 2190 four-hourly for 24/7 markets). */
  readonly periodsPerYear: number;
  /** Seeded stream for the Sharpe bootstrap; the summary uses its derived stream 'sharpeInterval'. */
  readonly rng: Rng;
  /** Risk-free return per period for the Sharpe ratio. Default 0. */
  readonly riskFreeRatePerPeriod?: number;
  /** Bootstrap resamples. Default 1000. */
  readonly resamples?: number;
  /** Coverage of the Sharpe interval. Default 0.95. */
  readonly confidence?: number;
}

/** A final position below this fraction of the largest one is floating-point dust (positionEpisodes: flat). */
const FLAT_FRACTION = 1e-9;

/**
 * The last bar's close, recovered from the kernel's accounting: the kernel starts flat with cash = equity[0], every
 * fill moves cash by −(signed quantity·price + fee), and equity at a close = cash + quantity·close. Undefined when
 * the fills end flat (nothing to mark). Exact for kernel results: the kernel updates cash and quantity the same way.
 * @throws DataError when the equity curve and the fills disagree (the recovered price is not a positive number).
 */
function lastCloseFromAccounting(result: BacktestResult): number | undefined {
  const equity = result.equityCurve.equity;
  let cash = equity[0] as number;
  let quantity = 0;
  let peak = 0;
  for (const fill of result.fills) {
    const signed = fill.order.side === 'buy' ? fill.quantity : -fill.quantity;
    cash -= signed * fill.price + fill.fee; // the kernel's own update, in its order
    quantity += signed;
    peak = Math.max(peak, Math.abs(quantity));
  }
  if (quantity === 0) return undefined;
  const last = equity[equity.length - 1] as number;
  const price = (last - cash) / quantity;
  if (Number.isFinite(price) && price > 0) return price;
  // dust left by inexact external fills: positionEpisodes treats it as flat and needs no mark
  if (Math.abs(quantity) <= FLAT_FRACTION * peak) return undefined;
  throw new DataError({
    location: { column: `equityCurve.equity[${equity.length - 1}]` },
    value: last,
    expected: `an equity curve consistent with the fills (equity = cash + quantity·close from cash = equity[0] while flat, as TradingKernel records it); the ${quantity} still open would be marked at ${price}`,
  });
}

/**
 * Every headline statistic of a kernel result, from its equity curve (bar-close returns) and fills.
 *
 * Trades are position episodes ({@link positionEpisodes}): flat → position → flat, however many fills scale in and
 * out on the way, so a strategy that rebalances every bar is not credited with one trade per fill (`fills` counts
 * those). A position still open at the end counts as one trade, marked to market at the last close: its PnL is net
 * of the fees already paid, with no hypothetical exit fee. Buy-and-hold therefore shows 1 trade whose PnL is its
 * equity gain, and its profit factor / win rate reflect it. The last close is recovered from the equity curve
 * (equity = cash + quantity·close), so the result must be a kernel's, starting flat at equity[0].
 *
 * @param result - from {@link runBacktest}, {@link buyAndHold} or `TradingKernel.result()`.
 * @param options - periodsPerYear, rng, and optional riskFreeRatePerPeriod, resamples, confidence.
 * @returns the summary (same shape as popagent's `PerformanceSummary`).
 * @throws DataError when the equity curve is empty or invalid, or disagrees with the fills; ConfigError on bad options.
 * @see the individual metric functions for their definitions and sources.
 * @example
 * const summary = summarizePerformance(runBacktest({ bars, symbol, strategy }), { periodsPerYear: 8760, rng: Rng.fromSeed(1) });
 */
export function summarizePerformance(result: BacktestResult, options: SummarizePerformanceOptions): PerformanceSummary {
  const { periodsPerYear, rng, riskFreeRatePerPeriod = 0, resamples = 1000, confidence = 0.95 } = options;
  const equity = result.equityCurve.equity;
  const returns = simpleReturns(equity);
  const total = totalReturn(equity); // validates a non-empty curve before the accounting below reads it
  const markPrice = lastCloseFromAccounting(result);
  const pnls = positionEpisodes(result.fills, markPrice === undefined ? {} : { markPrice }).map((episode) => episode.pnl);
  return {
    totalReturn: total,
    cagr: cagr(equity, periodsPerYear),
    annualizedVolatility: annualizedVolatility(returns, periodsPerYear),
    sharpeRatio: sharpeRatio(returns, { periodsPerYear, riskFreeRatePerPeriod }),
    sharpeInterval: bootstrapSharpeInterval(returns, {
      rng: rng.derive('sharpeInterval'),
      periodsPerYear,
      resamples,
      confidence,
      riskFreeRatePerPeriod,
    }),
    sortinoRatio: sortinoRatio(returns, { periodsPerYear }),
    maxDrawdown: maxDrawdown(equity),
    calmarRatio: calmarRatio(equity, periodsPerYear),
    profitFactor: profitFactor(pnls),
    winRate: winRate(pnls),
    turnover: turnover(result.fills, result.equityCurve, periodsPerYear),
    trades: pnls.length,
    fills: result.fills.length,
  };
}
