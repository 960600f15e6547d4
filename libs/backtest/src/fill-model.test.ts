import { describe, it, expect } from 'vitest';
import { ConfigError, DataError } from '@trading-ml/core';
import { NextBarOpenFillModel } from './fill-model.js';
import type { Order } from './types.js';

const bar = { openTime: 2000, closeTime: 3000, open: 200, high: 210, low: 190, close: 205, volume: 1 };
const order = (side: 'buy' | 'sell', quantity: number, decidedAt = 2000): Order => ({ clientOrderId: `X-${decidedAt}`, symbol: 'X', side, quantity, decidedAt });

describe('NextBarOpenFillModel', () => {
  it('buys at open·(1 + slippage) and charges fee on |quantity·price|', () => {
    const fill = new NextBarOpenFillModel({ feeRate: 0.001, slippageRate: 0.0005 }).fill(order('buy', 3), bar);
    // price = 200·1.0005 = 200.1; fee = 3·200.1·0.001 = 0.6003
    expect(fill.price).toBeCloseTo(200.1, 12);
    expect(fill.fee).toBeCloseTo(0.6003, 12);
    expect(fill.quantity).toBe(3);
    expect(fill.time).toBe(bar.openTime);
  });

  it('sells at open·(1 − slippage)', () => {
    const fill = new NextBarOpenFillModel({ feeRate: 0.002, slippageRate: 0.01 }).fill(order('sell', 0.5), bar);
    // price = 200·0.99 = 198; fee = 0.5·198·0.002 = 0.198
    expect(fill.price).toBeCloseTo(198, 12);
    expect(fill.fee).toBeCloseTo(0.198, 12);
  });

  it('defaults to 10 bps fee and 5 bps slippage', () => {
    const model = new NextBarOpenFillModel();
    expect([model.feeRate, model.slippageRate]).toEqual([0.001, 0.0005]);
  });

  it('rejects rates outside [0, 1)', () => {
    for (const bad of [-0.001, 1, Number.NaN, Infinity]) {
      expect(() => new NextBarOpenFillModel({ feeRate: bad })).toThrow(ConfigError);
      expect(() => new NextBarOpenFillModel({ slippageRate: bad })).toThrow(/slippageRate/);
    }
  });

  it('refuses to fill on a bar that opens before the decision (lookahead)', () => {
    const error = (() => {
      try {
        new NextBarOpenFillModel().fill(order('buy', 1, 2500), bar);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('LOOKAHEAD');
  });
});
