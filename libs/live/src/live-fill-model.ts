import { NextBarOpenFillModel } from '@trading-ml/backtest';
import type { Fill, FillModel, NextBarOpenFillModelOptions, Order } from '@trading-ml/backtest';
import type { Bar } from '@trading-ml/core';

/** What became of an order by the time the next bar closed. */
export type LiveFillOutcome =
  /** Paper trading: fill this (risk-limited, rounded) quantity at the bar's open, with the paper fee and slippage. */
  | { readonly kind: 'paper'; readonly quantity: number }
  /** The exchange reported this fill: price quote per base, base quantity, fee in quote, time UTC ms. */
  | { readonly kind: 'exchange'; readonly price: number; readonly quantity: number; readonly fee: number; readonly time: number | null };

/**
 * The kernel's fill model in live and paper trading. The kernel decides an order from the strategy's target; the
 * loop then limits and rounds it and (outside paper mode) sends it. When the next bar is stepped, this model
 * answers with what actually happened: a simulated next-open fill of the approved quantity (paper), the
 * exchange's fill, or nothing (skipped, rejected, stale, unfilled).
 *
 * @example
 * const model = new LiveFillModel({ feeRate: 0.001, slippageRate: 0.0005 });
 * model.expect('BTC/USDT-3600000', { kind: 'paper', quantity: 0.01 });
 */
export class LiveFillModel implements FillModel {
  private readonly paper: NextBarOpenFillModel;
  private readonly outcomes = new Map<string, LiveFillOutcome>();
  /** The fill returned by the last `fill` call, or null. */
  lastFill: Fill | null = null;

  /** @param paperOptions - fee and slippage rates of simulated fills (fractions in [0, 1)). */
  constructor(paperOptions: NextBarOpenFillModelOptions = {}) {
    this.paper = new NextBarOpenFillModel(paperOptions);
  }

  /** Fee rate of simulated fills, also the estimate for exchange fills that report no fee. */
  get feeRate(): number {
    return this.paper.feeRate;
  }

  /** Records what became of the order with this client id. */
  expect(clientOrderId: string, outcome: LiveFillOutcome): void {
    this.outcomes.set(clientOrderId, outcome);
  }

  /** Forgets every expectation. */
  clear(): void {
    this.outcomes.clear();
    this.lastFill = null;
  }

  /**
   * @param order - the kernel's pending order.
   * @param bar - the bar after its decision.
   * @returns the fill, or null when the order was not (or not yet) executed.
   * @throws DataError (LOOKAHEAD) from the paper model when the bar opens before the decision.
   */
  fill(order: Order, bar: Bar): Fill | null {
    const outcome = this.outcomes.get(order.clientOrderId);
    let fill: Fill | null = null;
    if (outcome?.kind === 'paper') fill = this.paper.fill({ ...order, quantity: outcome.quantity }, bar);
    else if (outcome?.kind === 'exchange') {
      fill = { order: { ...order, quantity: outcome.quantity }, time: outcome.time ?? bar.openTime, price: outcome.price, quantity: outcome.quantity, fee: outcome.fee };
    }
    this.lastFill = fill;
    return fill;
  }
}
