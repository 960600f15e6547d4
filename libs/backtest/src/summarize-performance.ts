import type { Rng } from '@trading-ml/core';
import { annualizedVolatility } from './metrics/annualized-volatility.js';
import { bootstrapSharpeInterval } from './metrics/bootstrap-sharpe-interval.js';
import { cagr } from './metrics/cagr.js';
import { calmarRatio } from './metrics/calmar-ratio.js';
import { maxDrawdown } from './metrics/max-drawdown.js';
import { profitFactor } from './metrics/profit-factor.js';
import { roundTrips } from './metrics/round-trips.js';
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
  readonly profitFactor: number;
  readonly winRate: number;
  /** Traded notional / mean equity, annualised. */
  readonly turnover: number;
  /** Number of closed round trips (FIFO matched). */
  readonly trades: number;
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

/**
 * Every headline statistic of a kernel result, from its equity curve (bar-close returns) and fills (round trips).
 * @param result - from {@link runBacktest}, {@link buyAndHold} or `TradingKernel.result()`.
 * @param options - periodsPerYear, rng, and optional riskFreeRatePerPeriod, resamples, confidence.
 * @returns the summary (same shape as popagent's `PerformanceSummary`).
 * @throws DataError when the equity curve is empty or invalid; ConfigError on bad options.
 * @see the individual metric functions for their definitions and sources.
 * @example
 * const summary = summarizePerformance(runBacktest({ bars, symbol, strategy }), { periodsPerYear: 8760, rng: Rng.fromSeed(1) });
 */
export function summarizePerformance(result: BacktestResult, options: SummarizePerformanceOptions): PerformanceSummary {
  const { periodsPerYear, rng, riskFreeRatePerPeriod = 0, resamples = 1000, confidence = 0.95 } = options;
  const equity = result.equityCurve.equity;
  const returns = simpleReturns(equity);
  const pnls = roundTrips(result.fills).map((trip) => trip.pnl);
  return {
    totalReturn: totalReturn(equity),
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
  };
}
