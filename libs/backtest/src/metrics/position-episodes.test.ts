import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ConfigError, DataError, Rng } from '@trading-ml/core';
import type { Fill, OrderSide } from '../types.js';
import { runBacktest } from '../run-backtest.js';
import { randomWalkBars } from '../testing/bars.js';
import { positionEpisodes } from './position-episodes.js';
import { roundTrips } from './round-trips.js';

let counter = 0;
function fill(side: OrderSide, quantity: number, price: number, fee: number, time: number, symbol = 'X'): Fill {
  return { order: { clientOrderId: `${symbol}-${counter++}`, symbol, side, quantity, decidedAt: time - 1 }, time, price, quantity, fee };
}

describe('positionEpisodes', () => {
  it('counts scaling in and out without going flat as one trade', () => {
    // buy 1 @ 100 (fee 0.1), buy 1 @ 110 (fee 0.11), sell 0.5 @ 115 (fee 0.0575), sell 1.5 @ 120 (fee 0.18)
    // cash flows: −100.1, −110.11, +57.4425, +179.82 → pnl = 27.0525; fees 0.4475; peak 2
    const fills = [fill('buy', 1, 100, 0.1, 1), fill('buy', 1, 110, 0.11, 2), fill('sell', 0.5, 115, 0.0575, 3), fill('sell', 1.5, 120, 0.18, 4)];
    const episodes = positionEpisodes(fills);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ symbol: 'X', side: 'long', entryTime: 1, exitTime: 4, open: false, fills: 4, peakQuantity: 2 });
    expect(episodes[0]?.fees).toBeCloseTo(0.4475, 12);
    expect(episodes[0]?.pnl).toBeCloseTo(27.0525, 12);
    expect(roundTrips(fills)).toHaveLength(3); // FIFO: lot 1 by fill 3 and 4, lot 2 by fill 4
  });

  it('splits a fill that flips the position and agrees with roundTrips on one-lot trades', () => {
    // buy 1 @ 100 (fee 0.1); sell 3 @ 90 (fee 0.27 → 0.09/unit): long pnl = −100.1 + 90 − 0.09 = −10.19, opens 2 short
    // buy 2 @ 80 (fee 0.16): short pnl = 180 − 0.18 − 160 − 0.16 = 19.66 (the roundTrips example, same numbers)
    const fills = [fill('buy', 1, 100, 0.1, 1), fill('sell', 3, 90, 0.27, 2), fill('buy', 2, 80, 0.16, 3)];
    const episodes = positionEpisodes(fills);
    expect(episodes.map((e) => [e.side, e.entryTime, e.exitTime, e.fills])).toEqual([['long', 1, 2, 2], ['short', 2, 3, 2]]);
    expect(episodes[0]?.pnl).toBeCloseTo(-10.19, 12);
    expect(episodes[1]?.pnl).toBeCloseTo(19.66, 12);
    expect(episodes[1]?.fees).toBeCloseTo(0.18 + 0.16, 12);
    expect(episodes.map((e) => e.pnl)).toEqual(roundTrips(fills).map((t) => expect.closeTo(t.pnl, 12)));
  });

  it('marks a position still open at the end with no exit fee, and needs the mark only then', () => {
    // buy 2 @ 100 (fee 0.2), sell 1 @ 110 (fee 0.11), 1 still long, marked at 120: −200.2 + 109.89 + 120 = 29.69
    const fills = [fill('buy', 2, 100, 0.2, 1), fill('sell', 1, 110, 0.11, 2)];
    const [episode, ...rest] = positionEpisodes(fills, { markPrice: 120 });
    expect(rest).toHaveLength(0);
    expect(episode).toMatchObject({ side: 'long', entryTime: 1, exitTime: null, open: true, fills: 2, peakQuantity: 2 });
    expect(episode?.pnl).toBeCloseTo(29.69, 12);
    expect(episode?.fees).toBeCloseTo(0.31, 12);
    // an open short: sell 1 @ 50 (fee 0.05), marked at 40: 50 − 0.05 − 40 = 9.95
    expect(positionEpisodes([fill('sell', 1, 50, 0.05, 1)], { markPrice: 40 })[0]?.pnl).toBeCloseTo(9.95, 12);
    expect(() => positionEpisodes(fills)).toThrow(ConfigError);
    expect(() => positionEpisodes(fills, { markPrice: -1 })).toThrow(/markPrice/);
    expect(positionEpisodes([fill('buy', 1, 100, 0, 1), fill('sell', 1, 100, 0, 2)])).toHaveLength(1); // flat: no mark needed
    expect(positionEpisodes([])).toEqual([]);
  });

  it('treats floating-point dust as flat', () => {
    const fills = [fill('buy', 0.1, 100, 0, 1), fill('buy', 0.2, 100, 0, 2), fill('sell', 0.30000000000000004, 101, 0, 3), fill('buy', 1, 100, 0, 4), fill('sell', 1, 99, 0, 5)];
    const episodes = positionEpisodes(fills);
    expect(episodes).toHaveLength(2);
    expect(episodes[0]?.pnl).toBeCloseTo(0.3, 9);
    expect(episodes[1]?.pnl).toBeCloseTo(-1, 9);
  });

  it('rejects several symbols and invalid fills', () => {
    expect(() => positionEpisodes([fill('buy', 1, 100, 0, 1, 'A'), fill('sell', 1, 100, 0, 2, 'B')])).toThrow(DataError);
    expect(() => positionEpisodes([fill('buy', 1, Number.NaN, 0, 1)])).toThrow(/fills\[0\]/);
  });

  it('adds up to the net cash flow plus the final position at the mark, over any fill log', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 1, max: 200, noNaN: true })), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        (steps, markPrice) => {
          const fills: Fill[] = [];
          let position = 0;
          steps.forEach(([signed, price], i) => {
            if (Math.abs(signed) < 1e-3) return;
            fills.push(fill(signed > 0 ? 'buy' : 'sell', Math.abs(signed), price, Math.abs(signed) * price * 0.001, i));
            position += signed;
          });
          // independent reference: PnL to date = Σ (−signed quantity·price − fee) + position·mark
          let cashFlow = 0;
          for (const f of fills) cashFlow += (f.order.side === 'buy' ? -1 : 1) * f.quantity * f.price - f.fee;
          const episodes = positionEpisodes(fills, { markPrice });
          expect(episodes.reduce((sum, e) => sum + e.pnl, 0)).toBeCloseTo(cashFlow + position * markPrice, 6);
          // episodes alternate flat → position → flat: only the last can be open; fills counted once (+1 per flip)
          expect(episodes.slice(0, -1).every((e) => !e.open)).toBe(true);
          expect(episodes.reduce((sum, e) => sum + e.fills, 0)).toBeGreaterThanOrEqual(fills.length);
        },
      ),
    );
  });

  it('adds up to the kernel equity change: one trade per excursion from flat', () => {
    const bars = randomWalkBars(Rng.fromSeed(5), 400);
    const targets = Rng.fromSeed(6);
    // rebalances every bar, going flat about one bar in eight
    const result = runBacktest({ bars, symbol: 'X', strategy: { onBar: () => (targets.float() < 0.125 ? 0 : 0.2 + 0.8 * targets.float()) } });
    const equity = result.equityCurve.equity;
    const episodes = positionEpisodes(result.fills, { markPrice: bars[bars.length - 1]!.close });
    expect(episodes.reduce((sum, e) => sum + e.pnl, 0)).toBeCloseTo(equity[equity.length - 1]! - equity[0]!, 6);
    // independent count from the fill log (long only, so no flips): an episode starts at each fill that leaves flat
    let starts = 0;
    let quantity = 0;
    for (const f of result.fills) {
      if (quantity === 0) starts++;
      quantity += f.order.side === 'buy' ? f.quantity : -f.quantity;
    }
    expect(episodes).toHaveLength(starts);
    expect(episodes.length).toBeLessThan(result.fills.length / 3);
    expect(episodes.length).toBeGreaterThan(10);
  });
});
