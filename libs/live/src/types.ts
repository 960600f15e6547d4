import type { Bar } from '@trading-ml/core';
import type { OrderSide } from '@trading-ml/backtest';

/**
 * What the live loop drives: one object for every traded symbol (e.g. one PopAgentEngine per symbol behind it).
 * The loop calls `onBar` once per newly closed bar, in time order per symbol, and persists `snapshot()` after
 * every committed step, so `restore()` on restart continues exactly where the last commit left off.
 */
export interface LiveStrategy {
  /** Feeds one newly closed bar of `symbol` and returns the target exposure in [−1, 1] decided at its close. */
  onBar(symbol: string, bar: Bar): number | Promise<number>;
  /** Plain JSON state, persisted after every step. */
  snapshot(): unknown;
  /** Replaces the state with one from {@link LiveStrategy.snapshot}. */
  restore(state: unknown): void;
}

/** 'paper': simulated fills, no keys; 'testnet': exchange sandbox; 'real': real money (explicit confirmation). */
export type LiveMode = 'paper' | 'testnet' | 'real';

/**
 * The part of a ccxt exchange the live loop uses. A `ccxt.binance` / `ccxt.bybit` instance from
 * {@link createLiveExchange} fits. Responses are validated with zod where they are read.
 * @see ccxt Manual, "Unified API" (loadMarkets, market, amountToPrecision, fetchOHLCV, createOrder, fetchOrder).
 */
export interface LiveExchange {
  readonly id: string;
  loadMarkets(reload?: boolean): Promise<unknown>;
  /** The loaded market of a unified symbol (precision and limits). */
  market(symbol: string): unknown;
  /** The amount truncated to the market's amount precision, as a decimal string. */
  amountToPrecision(symbol: string, amount: number): string;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<unknown>;
  fetchOrder(id: string, symbol?: string, params?: Record<string, unknown>): Promise<unknown>;
}

/**
 * Where a journaled decision stands:
 * - 'no-order': the target needed no trade;
 * - 'skipped': an order was decided but not placed (risk limit, below the market minimum, stale bar, dry run), see reason;
 * - 'paper': a paper order waiting for the next bar to fill it;
 * - 'pending': intent journaled, the exchange's answer not yet known (reconciled on start);
 * - 'sent': the exchange accepted the order;
 * - 'rejected': the exchange refused it (insufficient funds, invalid order, bad symbol), see reason;
 * - 'expired': never reached the exchange before the next bar closed;
 * - 'filled' / 'unfilled': the next bar's step recorded the fill (or that none happened).
 */
export type JournalStatus = 'no-order' | 'skipped' | 'paper' | 'pending' | 'sent' | 'rejected' | 'expired' | 'filled' | 'unfilled';

/** An order the loop decided, after risk limits and the market's precision. */
export interface PlannedOrder {
  /** `${symbol}-${decidedAt}`: deterministic, so a replayed decision never places twice. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Base-asset quantity, already rounded to the market's amount precision. */
  readonly quantity: number;
  /** closeTime (UTC ms) of the bar at whose close the order was decided. */
  readonly decidedAt: number;
  /** Close of that bar, quote per base: the price the sizing used. */
  readonly referencePrice: number;
}

/** One row of the decision journal: a decision at one bar close of one symbol, and what became of it. */
export interface JournalEntry {
  readonly symbol: string;
  /** closeTime (UTC ms) of the bar decided on. */
  readonly decidedAt: number;
  /** What the strategy returned. */
  readonly strategyTarget: number;
  /** The exposure the kernel decided after clamping and risk gating. */
  readonly appliedTarget: number;
  readonly clientOrderId: string | null;
  readonly side: OrderSide | null;
  /** Base quantity of the order (after limits and precision), or null without an order. */
  readonly quantity: number | null;
  readonly status: JournalStatus;
  /** Why an order was skipped, rejected or expired; notes such as 'capped by maxOrderNotional'. */
  readonly reason: string | null;
  readonly exchangeOrderId: string | null;
  /** Average fill price (quote per base), filled base quantity and fee (quote) once known. */
  readonly fillPrice: number | null;
  readonly fillQuantity: number | null;
  readonly fee: number | null;
}

/** What happened to one symbol in one iteration. */
export interface SymbolStepReport {
  readonly symbol: string;
  /** Bars stepped (0 when skipped). */
  readonly barsStepped: number;
  /** Why the symbol's step was skipped (late or missing bar, exchange unreachable, unknown order outcome), or null. */
  readonly skipped: string | null;
  /** The decision at the newest bar, if one was made this iteration. */
  readonly decision: JournalEntry | null;
  /** Equity of the symbol's book at its last close, quote currency. */
  readonly equity: number;
}

/** The result of one iteration of the loop. */
export interface IterationReport {
  /** The clock's time when the iteration ran, UTC ms. */
  readonly now: number;
  readonly mode: LiveMode;
  readonly dryRun: boolean;
  readonly symbols: readonly SymbolStepReport[];
  /** Orders decided this iteration (placed unless paper mode or dry run). */
  readonly orders: readonly PlannedOrder[];
  /** Sum of the symbols' equity, quote currency. */
  readonly equity: number;
  /** Kill switch state: null, or why trading is halted. */
  readonly halted: string | null;
  /** One line for the app to print. */
  readonly status: string;
}
