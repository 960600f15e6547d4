import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Fill, OrderSide } from '../types.js';
import { roundTrips } from './round-trips.js';

let counter = 0;
function fill(side: OrderSide, quantity: number, price: number, fee: number, time: number, symbol = 'X'): Fill {
  return { order: { clientOrderId: `${symbol}-${counter++}`, symbol, side, quantity, decidedAt: time - 1 }, time, price, quantity, fee };
}

describe('roundTrips', () => {
  it('nets both fees into the PnL of a simple long trade', () => {
    // buy 1 @ 100 (fee 0.1), sell 1 @ 110 (fee 0.11): pnl = 10 − 0.21 = 9.79
    const [trip, ...rest] = roundTrips([fill('buy', 1, 100, 0.1, 1), fill('sell', 1, 110, 0.11, 2)]);
    expect(rest).toHaveLength(0);
    expect(trip).toMatchObject({ side: 'long', entryTime: 1, exitTime: 2, quantity: 1, entryPrice: 100, exitPrice: 110 });
    expect(trip?.fees).toBeCloseTo(0.21, 12);
    expect(trip?.pnl).toBeCloseTo(9.79, 12);
  });

  it('matches first in, first out and prorates fees by quantity', () => {
    // buy 2 @ 100 (fee 0.2 → 0.1/unit), buy 1 @ 130 (fee 0.13), sell 2.5 @ 120 (fee 0.3 → 0.12/unit)
    // lot 1: 2 units, (120 − 100)·2 − (0.1 + 0.12)·2 = 40 − 0.44 = 39.56
    // lot 2: 0.5 units, (120 − 130)·0.5 − (0.13 + 0.12)·0.5 = −5 − 0.125 = −5.125; 0.5 units stay open
    const trips = roundTrips([fill('buy', 2, 100, 0.2, 1), fill('buy', 1, 130, 0.13, 2), fill('sell', 2.5, 120, 0.3, 3)]);
    expect(trips).toHaveLength(2);
    expect(trips[0]?.quantity).toBe(2);
    expect(trips[0]?.pnl).toBeCloseTo(39.56, 12);
    expect(trips[1]?.quantity).toBe(0.5);
    expect(trips[1]?.entryTime).toBe(2);
    expect(trips[1]?.pnl).toBeCloseTo(-5.125, 12);
  });

  it('splits a fill that flips the position, and scores shorts', () => {
    // buy 1 @ 100 (fee 0.1); sell 3 @ 90 (fee 0.27 → 0.09/unit): long pnl = −10 − 0.19 = −10.19, opens 2 short
    // buy 2 @ 80 (fee 0.16 → 0.08/unit): short pnl = (90 − 80)·2 − (0.09 + 0.08)·2 = 20 − 0.34 = 19.66
    const trips = roundTrips([fill('buy', 1, 100, 0.1, 1), fill('sell', 3, 90, 0.27, 2), fill('buy', 2, 80, 0.16, 3)]);
    expect(trips.map((t) => t.side)).toEqual(['long', 'short']);
    expect(trips[0]?.pnl).toBeCloseTo(-10.19, 12);
    expect(trips[1]?.quantity).toBe(2);
    expect(trips[1]?.pnl).toBeCloseTo(19.66, 12);
  });

  it('keeps symbols apart', () => {
    const trips = roundTrips([fill('buy', 1, 100, 0, 1, 'A'), fill('sell', 1, 50, 0, 2, 'B'), fill('sell', 1, 101, 0, 3, 'A')]);
    expect(trips).toHaveLength(1);
    expect(trips[0]?.symbol).toBe('A');
    expect(trips[0]?.pnl).toBeCloseTo(1, 12);
  });

  it('sums to the net cash flow of any fill sequence that ends flat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 1, max: 200, noNaN: true })), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        (steps, closePrice) => {
          const fills: Fill[] = [];
          let position = 0;
          steps.forEach(([signed, price], i) => {
            if (Math.abs(signed) < 1e-3) return;
            fills.push(fill(signed > 0 ? 'buy' : 'sell', Math.abs(signed), price, Math.abs(signed) * price * 0.001, i));
            position += signed;
          });
          if (Math.abs(position) > 1e-9) {
            fills.push(fill(position > 0 ? 'sell' : 'buy', Math.abs(position), closePrice, Math.abs(position) * closePrice * 0.001, 99));
          }
          // independent reference: ending flat, realized PnL = Σ (−signed quantity·price − fee)
          let cashFlow = 0;
          for (const f of fills) cashFlow += (f.order.side === 'buy' ? -1 : 1) * f.quantity * f.price - f.fee;
          const total = roundTrips(fills).reduce((sum, t) => sum + t.pnl, 0);
          expect(total).toBeCloseTo(cashFlow, 6);
        },
      ),
    );
  });
});
