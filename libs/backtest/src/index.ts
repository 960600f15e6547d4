export type {
  OrderSide,
  Order,
  Fill,
  Position,
  EquityCurve,
  StrategyContext,
  Strategy,
  FillModel,
  Decision,
  BacktestResult,
} from './types.js';
export { NextBarOpenFillModel } from './fill-model.js';
export type { NextBarOpenFillModelOptions } from './fill-model.js';
export { TradingKernel } from './kernel.js';
export type { TradingKernelOptions } from './kernel.js';
export type { TradingKernelSnapshot } from './kernel-snapshot.js';
export { runBacktest, runKernel } from './run-backtest.js';
export type { RunBacktestOptions } from './run-backtest.js';
export { buyAndHold } from './buy-and-hold.js';
export type { BuyAndHoldOptions } from './buy-and-hold.js';
export { checkPrefixInvariance, assertPrefixInvariant } from './prefix-invariance.js';
export type { PrefixInvarianceOptions, PrefixInvarianceResult, PrefixMismatch } from './prefix-invariance.js';
export { simpleReturns } from './metrics/simple-returns.js';
export { totalReturn } from './metrics/total-return.js';
export { cagr } from './metrics/cagr.js';
export { annualizedVolatility } from './metrics/annualized-volatility.js';
export { sharpeRatio } from './metrics/sharpe-ratio.js';
export type { SharpeRatioOptions } from './metrics/sharpe-ratio.js';
export { sortinoRatio } from './metrics/sortino-ratio.js';
export type { SortinoRatioOptions } from './metrics/sortino-ratio.js';
export { maxDrawdown } from './metrics/max-drawdown.js';
export { calmarRatio } from './metrics/calmar-ratio.js';
export { roundTrips } from './metrics/round-trips.js';
export type { RoundTrip } from './metrics/round-trips.js';
export { positionEpisodes } from './metrics/position-episodes.js';
export type { PositionEpisode, PositionEpisodesOptions } from './metrics/position-episodes.js';
export { profitFactor } from './metrics/profit-factor.js';
export { winRate } from './metrics/win-rate.js';
export { turnover } from './metrics/turnover.js';
export { bootstrapSharpeInterval } from './metrics/bootstrap-sharpe-interval.js';
export type { BootstrapSharpeOptions } from './metrics/bootstrap-sharpe-interval.js';
export { summarizePerformance } from './summarize-performance.js';
export type { PerformanceSummary, SummarizePerformanceOptions } from './summarize-performance.js';
