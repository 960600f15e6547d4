import { ConfigError, DataError, parseState } from '@trading-ml/core';
import type { Bar, Snapshottable } from '@trading-ml/core';
import { kernelSnapshotSchema } from './kernel-snapshot.js';
import type { TradingKernelSnapshot } from './kernel-snapshot.js';
import type { BacktestResult, Decision, Fill, FillModel, Order, Position, Strategy } from './types.js';

/** Options of {@link TradingKernel}. */
export interface TradingKernelOptions {
  /** Instrument, 'BASE/QUOTE' as ccxt writes it. */
  readonly symbol: string;
  /** Decides a target exposure at every close. */
  readonly strategy: Strategy;
  /** Turns the order decided at one close into a fill on the next bar (backtest, paper or live). */
  readonly fillModel: FillModel;
  /** Starting cash, quote currency, > 0. Default 10 000. */
  readonly initialCash?: number;
  /** Allow a negative position. Default false: targets below 0 are clamped to flat. */
  readonly allowShort?: boolean;
  /** Largest absolute target exposure (fraction of equity), > 0. Default 1. */
  readonly maxLeverage?: number;
  /** Skip an order whose notional is below this fraction of equity, in [0, 1). Default 0 (trade any change). */
  readonly minRebalanceFraction?: number;
}

function checkBar(bar: Bar, index: number): void {
  const where = { column: `bar ${index}` };
  for (const key of ['openTime', 'closeTime', 'open', 'high', 'low', 'close'] as const) {
    if (typeof bar[key] !== 'number' || !Number.isFinite(bar[key])) {
      throw new DataError({ location: { column: `bar ${index} ${key}` }, value: bar[key], expected: 'a finite number' });
    }
  }
  if (!(bar.closeTime > bar.openTime)) {
    throw new DataError({ code: 'DATA_ORDER', location: where, value: { openTime: bar.openTime, closeTime: bar.closeTime }, expected: 'closeTime > openTime' });
  }
  if (!(bar.close > 0) || !(bar.open > 0)) {
    throw new DataError({ location: where, value: { open: bar.open, close: bar.close }, expected: 'positive open and close prices' });
  }
}

function checkFill(fill: Fill, order: Order): void {
  const ok = Number.isFinite(fill.price) && fill.price > 0 && Number.isFinite(fill.quantity) && fill.quantity > 0 && Number.isFinite(fill.fee) && fill.fee >= 0;
  if (!ok || fill.order.clientOrderId !== order.clientOrderId) {
    throw new DataError({
      location: { column: `fill of ${order.clientOrderId}` },
      value: { clientOrderId: fill.order.clientOrderId, price: fill.price, quantity: fill.quantity, fee: fill.fee },
      expected: 'a fill of the pending order with price > 0, quantity > 0 and fee ≥ 0',
    });
  }
}

/**
 * The point-in-time trading kernel: one bar at a time, the same code for backtest, paper and live trading.
 *
 * Each `step(bar)`:
 * 1. rejects a bar that opens before the previous bar closed;
 * 2. fills the order decided at the previous close, on this bar, through the fill model;
 * 3. marks equity (cash + quantity·close) at this bar's close and appends it to the equity curve;
 * 4. asks the strategy for a target exposure, showing it only the bars closed so far;
 * 5. turns the (clamped) target into an order sized on equity at this close; it fills on the next bar.
 *
 * ```
 * bar t:    open ─────────── close_t  ── strategy decides, order placed
 * bar t+1:  open_{t+1} ── order fills (± slippage, fee) ── close_{t+1} ── mark, decide again
 * ```
 *
 * The kernel holds no clock and does no I/O: the caller supplies bars (history, a live feed) and the fill model
 * (simulated or exchange-backed). Sizing uses the decision close, so a gap to the next open, slippage and fees can
 * leave cash slightly negative (a small implicit borrow) or slightly positive.
 *
 * @see NautilusTrader, `docs/concepts/backtesting.md` (one kernel for backtest and live; bar data known at close).
 * @example
 * const kernel = new TradingKernel({ symbol: 'BTC/USDT', strategy: { onBar: () => 1 }, fillModel: new NextBarOpenFillModel() });
 * for (const bar of bars) kernel.step(bar);
 * const { equityCurve, fills } = kernel.result();
 */
export class TradingKernel implements Snapshottable<TradingKernelSnapshot> {
  readonly symbol: string;
  readonly initialCash: number;
  readonly allowShort: boolean;
  readonly maxLeverage: number;
  readonly minRebalanceFraction: number;
  private readonly strategy: Strategy;
  private readonly fillModel: FillModel;
  private cashBalance: number;
  private quantity = 0;
  private averagePrice = 0;
  private pending: Order | null = null;
  private lastCloseTime: number | null = null;
  private lastEquity: number;
  private readonly history: Bar[] = [];
  private readonly equityTime: number[] = [];
  private readonly equityValues: number[] = [];
  private readonly fillLog: Fill[] = [];
  private readonly decisionLog: Decision[] = [];

  /**
   * @param options - see {@link TradingKernelOptions}; cash in quote currency, exposures as fractions of equity.
   * @throws ConfigError when symbol is empty, initialCash ≤ 0, maxLeverage ≤ 0 or minRebalanceFraction ∉ [0, 1).
   */
  constructor(options: TradingKernelOptions) {
    const { symbol, strategy, fillModel, initialCash = 10_000, allowShort = false, maxLeverage = 1, minRebalanceFraction = 0 } = options;
    if (typeof symbol !== 'string' || symbol.length === 0) throw new ConfigError({ parameter: 'symbol', value: symbol, expected: "a non-empty symbol such as 'BTC/USDT'" });
    if (typeof strategy?.onBar !== 'function') throw new ConfigError({ parameter: 'strategy', value: strategy, expected: 'an object with onBar(bar, context)' });
    if (typeof fillModel?.fill !== 'function') throw new ConfigError({ parameter: 'fillModel', value: fillModel, expected: 'an object with fill(order, bar)' });
    if (!Number.isFinite(initialCash) || initialCash <= 0) throw new ConfigError({ parameter: 'initialCash', value: initialCash, expected: 'a finite amount > 0 (quote currency)' });
    if (!Number.isFinite(maxLeverage) || maxLeverage <= 0) throw new ConfigError({ parameter: 'maxLeverage', value: maxLeverage, expected: 'a finite fraction of equity > 0' });
    if (!Number.isFinite(minRebalanceFraction) || minRebalanceFraction < 0 || minRebalanceFraction >= 1) {
      throw new ConfigError({ parameter: 'minRebalanceFraction', value: minRebalanceFraction, expected: 'a fraction in [0, 1)' });
    }
    this.symbol = symbol;
    this.strategy = strategy;
    this.fillModel = fillModel;
    this.initialCash = initialCash;
    this.allowShort = allowShort;
    this.maxLeverage = maxLeverage;
    this.minRebalanceFraction = minRebalanceFraction;
    this.cashBalance = initialCash;
    this.lastEquity = initialCash;
  }

  /** Current holdings of `symbol`. */
  get position(): Position {
    return { symbol: this.symbol, quantity: this.quantity, averagePrice: this.averagePrice };
  }

  /** Cash, quote currency. */
  get cash(): number {
    return this.cashBalance;
  }

  /** Equity marked at the last close (initialCash before the first bar), quote currency. */
  get equity(): number {
    return this.lastEquity;
  }

  /** The order decided at the last close, waiting for the next bar, or null. */
  get pendingOrder(): Order | null {
    return this.pending;
  }

  /** Number of bars stepped so far. */
  get barCount(): number {
    return this.history.length;
  }

  /**
   * Processes one closed bar: fill the pending order, mark equity, decide, place the next order.
   * @param bar - the next bar; its openTime must not be before the previous bar's closeTime.
   * @throws DataError code 'DATA_ORDER' when the bar opens before the previous close (both times in the message);
   *   'DATA_INVALID' for non-finite or non-positive prices or a non-finite target exposure from the strategy.
   */
  step(bar: Bar): void {
    const index = this.history.length;
    checkBar(bar, index);
    if (this.lastCloseTime !== null && bar.openTime < this.lastCloseTime) {
      throw new DataError({
        code: 'DATA_ORDER',
        location: { column: `bar ${index} openTime` },
        value: bar.openTime,
        expected: `a bar opening at or after the previous bar's closeTime ${this.lastCloseTime} (got openTime ${bar.openTime})`,
      });
    }
    if (this.pending !== null) {
      const order = this.pending;
      this.pending = null;
      const fill = this.fillModel.fill(order, bar);
      if (fill !== null) this.applyFill(fill, order);
    }
    this.history.push(bar);
    this.lastCloseTime = bar.closeTime;
    const equity = this.cashBalance + this.quantity * bar.close;
    this.lastEquity = equity;
    this.equityTime.push(bar.closeTime);
    this.equityValues.push(equity);

    const target = this.strategy.onBar(bar, { symbol: this.symbol, history: this.history, position: this.position, equity });
    this.decide(target, bar, equity);
  }

  /**
   * Everything recorded so far (copies; later steps do not change them).
   * @returns the equity curve, fills and decisions.
   */
  result(): BacktestResult {
    return {
      equityCurve: { time: this.equityTime.slice(), equity: this.equityValues.slice() },
      fills: this.fillLog.slice(),
      decisions: this.decisionLog.slice(),
    };
  }

  /** @returns the kernel's state as plain JSON-able data (the strategy's own state is not included). */
  snapshot(): TradingKernelSnapshot {
    return {
      version: 1,
      symbol: this.symbol,
      cash: this.cashBalance,
      positionQuantity: this.quantity,
      averagePrice: this.averagePrice,
      pendingOrder: this.pending === null ? null : { ...this.pending },
      lastCloseTime: this.lastCloseTime,
      history: this.history.map((b) => ({ ...b })),
      equityTime: this.equityTime.slice(),
      equity: this.equityValues.slice(),
      fills: this.fillLog.map((f) => ({ ...f, order: { ...f.order } })),
      decisions: this.decisionLog.map((d) => ({ ...d })),
    };
  }

  /**
   * Replaces the kernel's state with a snapshot (e.g. read back from a checkpoint file).
   * @param state - from {@link TradingKernel.snapshot}, possibly through JSON.
   * @throws StateError when the snapshot is malformed or belongs to another symbol; the kernel is then left as it was.
   */
  restore(state: TradingKernelSnapshot): void {
    const s = parseState('TradingKernel', kernelSnapshotSchema(this.symbol), state); // a fresh copy: nothing shared with `state`
    this.cashBalance = s.cash;
    this.quantity = s.positionQuantity;
    this.averagePrice = s.averagePrice;
    this.pending = s.pendingOrder;
    this.lastCloseTime = s.lastCloseTime;
    // Element-wise copies: spreading a long history into push() would exceed the engine's argument limit.
    replaceContents(this.history, s.history);
    replaceContents(this.equityTime, s.equityTime);
    replaceContents(this.equityValues, s.equity);
    replaceContents(this.fillLog, s.fills);
    replaceContents(this.decisionLog, s.decisions);
    this.lastEquity = s.equity.length > 0 ? (s.equity[s.equity.length - 1] as number) : this.initialCash;
  }

  private applyFill(fill: Fill, order: Order): void {
    checkFill(fill, order);
    const signed = order.side === 'buy' ? fill.quantity : -fill.quantity;
    this.cashBalance -= signed * fill.price + fill.fee;
    const before = this.quantity;
    const after = before + signed;
    if (after === 0) {
      this.averagePrice = 0;
    } else if (before === 0 || Math.sign(before) === Math.sign(signed)) {
      this.averagePrice = (Math.abs(before) * this.averagePrice + fill.quantity * fill.price) / Math.abs(after);
    } else if (Math.sign(after) !== Math.sign(before)) {
      this.averagePrice = fill.price; // flipped through zero: the remainder was opened at this fill
    } // else: a partial close keeps the entry price of what remains
    this.quantity = after;
    this.fillLog.push(fill);
  }

  private decide(target: number | null, bar: Bar, equity: number): void {
    if (target === null) {
      const held = equity > 0 ? (this.quantity * bar.close) / equity : 0;
      this.decisionLog.push({ time: bar.closeTime, targetExposure: held });
      return;
    }
    if (typeof target !== 'number' || !Number.isFinite(target)) {
      throw new DataError({ location: { column: `strategy target exposure at ${bar.closeTime}` }, value: target, expected: 'a finite number or null' });
    }
    const low = this.allowShort ? -this.maxLeverage : 0;
    const exposure = Math.min(this.maxLeverage, Math.max(low, target));
    this.decisionLog.push({ time: bar.closeTime, targetExposure: exposure });
    if (!(equity > 0)) return; // nothing left to size on
    const delta = (exposure * equity) / bar.close - this.quantity;
    if (delta === 0 || Math.abs(delta) * bar.close < this.minRebalanceFraction * equity) return;
    this.pending = {
      clientOrderId: `${this.symbol}-${bar.closeTime}`,
      symbol: this.symbol,
      side: delta > 0 ? 'buy' : 'sell',
      quantity: Math.abs(delta),
      decidedAt: bar.closeTime,
    };
  }
}

/** Replaces every element of `target` with those of `source`, in place. */
function replaceContents<T>(target: T[], source: readonly T[]): void {
  target.length = source.length;
  for (let i = 0; i < source.length; i++) target[i] = source[i] as T;
}
