import type { Bar } from '@trading-ml/core';
import { runBacktest } from './run-backtest.js';
import type { BacktestResult, FillModel, Strategy } from './types.js';

/** Options of {@link buyAndHold}. */
export interface BuyAndHoldOptions {
  readonly bars: Iterable<Bar>;
  readonly symbol: string;
  /** Default `new NextBarOpenFillModel()`: the same fee and slippage as the strategies it is compared with. */
  readonly fillModel?: FillModel;
  /** Quote currency, default 10 000. */
  readonly initialCash?: number;
}

/** Targets full exposure while flat, then holds (returns null) so no rebalancing fees accrue. */
const buyOnceStrategy: Strategy = {
  onBar: (_bar, context) => (context.position.quantity === 0 ? 1 : null),
};

/**
 * The buy-and-hold baseline, run through the same kernel as any strategy: decides exposure 1 at the first close,
 * buys at the second bar's open with the same fee and slippage, then holds to the end.
 * @param options - bars, symbol, optional fill model and initial cash (quote currency).
 * @returns equity curve, the single buy fill and the decisions (exposure held after the first).
 * @throws DataError when bars are out of order or invalid.
 * @see W. F. Sharpe (1991), "The arithmetic of active management", Financial Analysts Journal 47(1) — the passive
 *   benchmark every active strategy is measured against.
 * @example
 * const baseline = buyAndHold({ bars, symbol: 'BTC/USDT' });
 */
export function buyAndHold(options: BuyAndHoldOptions): BacktestResult {
  return runBacktest({ ...options, strategy: buyOnceStrategy });
}
