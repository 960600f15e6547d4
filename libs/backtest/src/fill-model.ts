import { ConfigError, DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import type { Fill, FillModel, Order } from './types.js';

/** Options of {@link NextBarOpenFillModel}. */
export interface NextBarOpenFillModelOptions {
  /** Fee as a fraction of traded notional, in [0, 1). Default 0.001 (10 bps). */
  readonly feeRate?: number;
  /** Adverse price move as a fraction of the open, in [0, 1). Default 0.0005 (5 bps). */
  readonly slippageRate?: number;
}

function checkRate(parameter: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ConfigError({ parameter, value, expected: 'a finite fraction in [0, 1)' });
  }
  return value;
}

/**
 * Fills an order at the open of the bar after its decision, with proportional slippage and fee.
 *
 * Price = open·(1 + slippageRate) for a buy and open·(1 − slippageRate) for a sell; fee = |quantity·price|·feeRate.
 * The whole quantity fills (no volume limit), which suits liquid pairs and modest sizes.
 *
 * @param options - `feeRate` and `slippageRate`, fractions in [0, 1).
 * @throws ConfigError when a rate is not a finite fraction in [0, 1).
 * @see NautilusTrader, `docs/concepts/backtesting.md` (bar-based execution: an order decided at a close
 *   fills on the next bar's open).
 * @example
 * const model = new NextBarOpenFillModel({ feeRate: 0.001, slippageRate: 0.0005 });
 * const order = { clientOrderId: 'BTC/USDT-1000', symbol: 'BTC/USDT', side: 'buy' as const, quantity: 2, decidedAt: 1000 };
 * const fill = model.fill(order, { openTime: 1000, closeTime: 2000, open: 100, high: 101, low: 99, close: 100, volume: 5 });
 * // fill.price = 100.05, fill.fee = 2·100.05·0.001 = 0.2001
 */
export class NextBarOpenFillModel implements FillModel {
  /** Fee as a fraction of notional. */
  readonly feeRate: number;
  /** Slippage as a fraction of the open price. */
  readonly slippageRate: number;

  constructor(options: NextBarOpenFillModelOptions = {}) {
    this.feeRate = checkRate('feeRate', options.feeRate ?? 0.001);
    this.slippageRate = checkRate('slippageRate', options.slippageRate ?? 0.0005);
  }

  /**
   * Fills `order` at `bar.open` adjusted for slippage.
   * @param order - an order decided at a close no later than `bar.openTime`.
   * @param bar - the first bar after the decision.
   * @returns the fill at `bar.openTime`.
   * @throws DataError (code 'LOOKAHEAD') when the bar opens before the order was decided.
   */
  fill(order: Order, bar: Bar): Fill {
    if (bar.openTime < order.decidedAt) {
      throw new DataError({
        code: 'LOOKAHEAD',
        location: { column: `order ${order.clientOrderId}` },
        value: bar.openTime,
        expected: `a fill bar opening at or after the decision time ${order.decidedAt}`,
      });
    }
    const sign = order.side === 'buy' ? 1 : -1;
    const price = bar.open * (1 + sign * this.slippageRate);
    const fee = Math.abs(order.quantity * price) * this.feeRate;
    return { order, time: bar.openTime, price, quantity: order.quantity, fee };
  }
}
