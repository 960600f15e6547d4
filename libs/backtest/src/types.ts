import type { Bar } from '@trading-ml/core';

/** Side of an order. */
export type OrderSide = 'buy' | 'sell';

/** An order decided at a bar's close; it can fill no earlier than the next bar. */
export interface Order {
  /** Unique, deterministic id (e.g. `${symbol}-${decidedAt}`), so a replayed decision never places twice. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Base-asset quantity, > 0. */
  readonly quantity: number;
  /** closeTime (UTC ms) of the bar at whose close the order was decided. */
  readonly decidedAt: number;
}

/** The execution of an order. */
export interface Fill {
  readonly order: Order;
  /** UTC ms of the fill (the next bar's openTime in a backtest). */
  readonly time: number;
  /** Execution price including slippage, quote currency per base unit. */
  readonly price: number;
  /** Base-asset quantity filled. */
  readonly quantity: number;
  /** Fee paid, in quote currency. */
  readonly fee: number;
}

/** Holdings of one instrument. */
export interface Position {
  readonly symbol: string;
  /** Signed base-asset quantity (negative = short). */
  readonly quantity: number;
  /** Volume-weighted entry price of the open quantity (0 when flat). */
  readonly averagePrice: number;
}

/** Mark-to-market equity sampled at each bar close. */
export interface EquityCurve {
  /** closeTime of each sample, UTC ms, strictly increasing. */
  readonly time: readonly number[];
  /** Equity (cash + position value at the close) in quote currency. */
  readonly equity: readonly number[];
}

/** What a strategy may see when it decides at a bar's close: that bar and the ones before it. */
export interface StrategyContext {
  readonly symbol: string;
  /** Bars closed so far, oldest first; the last one is the bar that just closed. */
  readonly history: readonly Bar[];
  readonly position: Position;
  /** Equity at this close, quote currency. */
  readonly equity: number;
}

/**
 * A strategy decides once per bar, at its close, from what has closed so far. It returns the target exposure
 * as a signed fraction of equity (1 = fully long, 0 = flat, −1 = fully short), or null to leave things as they are.
 */
export interface Strategy {
  onBar(bar: Bar, context: StrategyContext): number | null;
}

/** How an order decided at one bar fills on the following bar. Pluggable: backtest, paper and live. */
export interface FillModel {
  /** Fills `order` on `bar` (the first bar after the decision), or returns null when it cannot fill. */
  fill(order: Order, bar: Bar): Fill | null;
}

/** A strategy's decision at one bar close, after clamping to the kernel's exposure limits. */
export interface Decision {
  /** closeTime (UTC ms) of the bar at whose close the decision was made. */
  readonly time: number;
  /**
   * Target exposure as a signed fraction of equity after clamping; when the strategy returned null (hold),
   * the exposure actually held at this close (position value / equity).
   */
  readonly targetExposure: number;
}

/** What a kernel run produced: the equity at every close, every fill, every decision. */
export interface BacktestResult {
  readonly equityCurve: EquityCurve;
  readonly fills: readonly Fill[];
  /** One per bar stepped, same times as `equityCurve.time`. */
  readonly decisions: readonly Decision[];
}
