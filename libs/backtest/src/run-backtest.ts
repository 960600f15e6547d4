import type { Bar } from '@trading-ml/core';
import { NextBarOpenFillModel } from './fill-model.js';
import { TradingKernel } from './kernel.js';
import type { BacktestResult, FillModel, Strategy } from './types.js';

/** Options of {@link runBacktest}. */
export interface RunBacktestOptions {
  /** Bars in time order; each must open at or after the previous one's close. */
  readonly bars: Iterable<Bar>;
  readonly strategy: Strategy;
  /** Instrument, 'BASE/QUOTE'. */
  readonly symbol: string;
  /** Default `new NextBarOpenFillModel()` (10 bps fee, 5 bps slippage). */
  readonly fillModel?: FillModel;
  /** Quote currency, default 10 000. */
  readonly initialCash?: number;
  /** Default false. */
  readonly allowShort?: boolean;
  /** Default 1. */
  readonly maxLeverage?: number;
  /** Default 0. */
  readonly minRebalanceFraction?: number;
}

/**
 * Runs a strategy over historical bars through the {@link TradingKernel}: the historical driver.
 * @param options - bars, strategy, symbol and the kernel options (see {@link RunBacktestOptions}).
 * @returns equity curve (one point per bar close), fills and decisions.
 * @throws DataError when bars are out of order or invalid; ConfigError on invalid kernel options.
 * @see NautilusTrader, `docs/concepts/backtesting.md`.
 * @example
 * const { equityCurve } = runBacktest({ bars, symbol: 'BTC/USDT', strategy: { onBar: () => 1 } });
 */
export function runBacktest(options: RunBacktestOptions): BacktestResult {
  const { bars, fillModel = new NextBarOpenFillModel(), ...rest } = options;
  const kernel = new TradingKernel({ ...rest, fillModel });
  for (const bar of bars) kernel.step(bar);
  return kernel.result();
}

/**
 * Drives a kernel from any bar source (an array, a generator, or an async live feed), one bar at a time.
 * @param kernel - the kernel to step (possibly restored from a snapshot).
 * @param bars - closed bars in time order, synchronous or asynchronous.
 * @returns the kernel's result after the source is exhausted.
 * @throws whatever `kernel.step` throws (DataError on out-of-order bars).
 * @see NautilusTrader, `docs/concepts/live.md` (the same kernel driven by a live data feed).
 * @example
 * const result = await runKernel(kernel, liveBarFeed());
 */
export async function runKernel(kernel: TradingKernel, bars: AsyncIterable<Bar> | Iterable<Bar>): Promise<BacktestResult> {
  for await (const bar of bars) kernel.step(bar);
  return kernel.result();
}
