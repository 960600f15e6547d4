import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ConfigError, DataError, Rng, StateError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { NextBarOpenFillModel } from './fill-model.js';
import { TradingKernel } from './kernel.js';
import type { TradingKernelSnapshot } from './kernel-snapshot.js';
import type { Strategy, StrategyContext } from './types.js';
import { barsFrom, randomWalkBars, HOUR } from './testing/bars.js';

/** A strategy that returns the scripted exposures in order, and records what it saw. */
function scripted(exposures: ReadonlyArray<number | null>): Strategy & { seen: Array<{ bar: Bar; historyLength: number; lastHistory: Bar | undefined; equity: number }> } {
  let i = 0;
  const seen: Array<{ bar: Bar; historyLength: number; lastHistory: Bar | undefined; equity: number }> = [];
  return {
    seen,
    onBar(bar: Bar, context: StrategyContext) {
      seen.push({ bar, historyLength: context.history.length, lastHistory: context.history[context.history.length - 1], equity: context.equity });
      return exposures[i++] ?? null;
    },
  };
}

/** Trend follower over the visible history only: long when the close is above its 5-bar mean. */
const smaStrategy: Strategy = {
  onBar(bar, { history }) {
    if (history.length < 5) return null;
    let sum = 0;
    for (let k = history.length - 5; k < history.length; k++) sum += (history[k] as Bar).close;
    return bar.close > sum / 5 ? 1 : 0.25;
  },
};

const fillModel = new NextBarOpenFillModel({ feeRate: 0.001, slippageRate: 0.0005 });
// bar0 [100 → 100], bar1 [102 → 104], bar2 [105 → 103], bar3 [103 → 106], one hour each from t = 0
const bars = barsFrom([
  [100, 100],
  [102, 104],
  [105, 103],
  [103, 106],
]);

describe('TradingKernel', () => {
  it('never fills on the decision bar: the order decided at close t fills at the open of t+1', () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([1]), fillModel });
    kernel.step(bars[0] as Bar);
    expect(kernel.result().fills).toHaveLength(0);
    expect(kernel.position.quantity).toBe(0);
    expect(kernel.pendingOrder).toEqual({ clientOrderId: `X-${HOUR}`, symbol: 'X', side: 'buy', quantity: 100, decidedAt: HOUR });
    kernel.step(bars[1] as Bar);
    const [fill] = kernel.result().fills;
    expect(fill?.time).toBe((bars[1] as Bar).openTime);
    expect(fill?.order.decidedAt).toBe((bars[0] as Bar).closeTime);
    expect(kernel.pendingOrder).toBeNull();
  });

  it('fills at the next open with the exact fee and slippage, and marks equity at each close', () => {
    const strategy = scripted([1, 0.5, 0, null]);
    const kernel = new TradingKernel({ symbol: 'X', strategy, fillModel, initialCash: 10_000 });
    for (const bar of bars) kernel.step(bar);
    const { fills, equityCurve, decisions } = kernel.result();

    // bar0 close 100: equity 10 000, target 1 → buy 10 000/100 = 100 units.
    // bar1 open 102: price 102·1.0005 = 102.051, fee 100·102.051·0.001 = 10.2051.
    const cash1 = 10_000 - 100 * 102.051 - 100 * 102.051 * 0.001; // −215.3051
    const equity1 = cash1 + 100 * 104; // 10 184.6949
    // bar1 close 104: target 0.5 → hold 0.5·equity1/104 units, sell the rest at 105·0.9995 = 104.9475 on bar2.
    const sold2 = 100 - (0.5 * equity1) / 104;
    const cash2 = cash1 + sold2 * 104.9475 * (1 - 0.001);
    const held2 = 100 - sold2;
    const equity2 = cash2 + held2 * 103;
    // bar2 close 103: target 0 → sell everything at 103·0.9995 = 102.9485 on bar3.
    const cash3 = cash2 + held2 * 102.9485 * (1 - 0.001);

    expect(fills).toHaveLength(3);
    expect(fills[0]?.price).toBeCloseTo(102.051, 10);
    expect(fills[0]?.fee).toBeCloseTo(10.2051, 10);
    expect(fills[1]?.order.side).toBe('sell');
    expect(fills[1]?.quantity).toBeCloseTo(sold2, 10);
    expect(fills[1]?.price).toBeCloseTo(104.9475, 10);
    expect(fills[2]?.quantity).toBeCloseTo(held2, 10);
    expect(equityCurve.time).toEqual([HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR]);
    expect(equityCurve.equity[0]).toBe(10_000);
    expect(equityCurve.equity[1]).toBeCloseTo(equity1, 8);
    expect(equityCurve.equity[2]).toBeCloseTo(equity2, 8);
    expect(equityCurve.equity[3]).toBeCloseTo(cash3, 8);
    expect(kernel.position).toEqual({ symbol: 'X', quantity: 0, averagePrice: 0 });
    expect(kernel.cash).toBeCloseTo(cash3, 8);
    // the strategy saw equity at each close, and the last decision (null, flat) records exposure 0
    expect(strategy.seen.map((s) => s.equity)).toEqual(equityCurve.equity);
    expect(decisions.map((d) => d.targetExposure)).toEqual([1, 0.5, 0, 0]);
  });

  it('shows the strategy exactly the bars closed so far, the last being the current bar', () => {
    const strategy = scripted([]);
    const kernel = new TradingKernel({ symbol: 'X', strategy, fillModel });
    for (const bar of bars) kernel.step(bar);
    strategy.seen.forEach((s, i) => {
      expect(s.historyLength).toBe(i + 1);
      expect(s.lastHistory).toBe(bars[i]);
      expect(s.bar).toBe(bars[i]);
    });
  });

  it('keeps equity = cash + quantity·close, replayed independently from the fills, at every step', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: null }), { minLength: 5, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (exposures, allowShort, seed) => {
          const walk = randomWalkBars(Rng.fromSeed(seed), exposures.length);
          const kernel = new TradingKernel({ symbol: 'X', strategy: scripted(exposures), fillModel, allowShort, maxLeverage: 1.5 });
          walk.forEach((bar, i) => {
            kernel.step(bar);
            expect(kernel.equity).toBe(kernel.cash + kernel.position.quantity * bar.close);
            // independent replay: every fill so far must be at or before this bar's open
            let cash = 10_000;
            let quantity = 0;
            for (const f of kernel.result().fills) {
              expect(f.time).toBeLessThanOrEqual(bar.openTime);
              expect(f.time).toBeGreaterThanOrEqual(f.order.decidedAt);
              const signed = f.order.side === 'buy' ? f.quantity : -f.quantity;
              cash -= signed * f.price + f.fee;
              quantity += signed;
            }
            expect(kernel.position.quantity).toBeCloseTo(quantity, 9);
            expect(kernel.result().equityCurve.equity[i]).toBeCloseTo(cash + quantity * bar.close, 6);
            if (!allowShort) expect(kernel.position.quantity).toBeGreaterThanOrEqual(0);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses shorts without allowShort: −1 is clamped to flat', () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([-1, -1, -1, -1]), fillModel });
    for (const bar of bars) kernel.step(bar);
    expect(kernel.result().fills).toHaveLength(0);
    expect(kernel.result().decisions.map((d) => d.targetExposure)).toEqual([0, 0, 0, 0]);

    const longThenShort = new TradingKernel({ symbol: 'X', strategy: scripted([1, -1, -1]), fillModel });
    for (const bar of bars) longThenShort.step(bar);
    expect(longThenShort.position.quantity).toBe(0); // sold exactly the 100 units held, never below
    expect(longThenShort.result().fills.map((f) => [f.order.side, f.quantity])).toEqual([
      ['buy', 100],
      ['sell', 100],
    ]);
  });

  it('goes short with allowShort and clamps to ±maxLeverage', () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([-3]), fillModel, allowShort: true, maxLeverage: 2 });
    kernel.step(bars[0] as Bar);
    // target −2 of 10 000 at close 100 → sell 200 units
    expect(kernel.result().decisions[0]?.targetExposure).toBe(-2);
    expect(kernel.pendingOrder?.side).toBe('sell');
    expect(kernel.pendingOrder?.quantity).toBe(200);
    kernel.step(bars[1] as Bar);
    expect(kernel.position.quantity).toBe(-200);
    expect(kernel.position.averagePrice).toBeCloseTo(102 * 0.9995, 10);
  });

  it('skips changes below minRebalanceFraction of equity', () => {
    // after the buy: 100 units, equity at close 104 = 10 184.6949 (see the fee test), exposure 10 400/10 184.6949 = 1.0211;
    // asking for 1.01 means selling 100 − 1.01·10 184.6949/104 = 1.0905 units = 113.4 quote = 1.11 % of equity < 2 %
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([1, 1.01, 0.5]), fillModel, minRebalanceFraction: 0.02, maxLeverage: 2 });
    kernel.step(bars[0] as Bar);
    kernel.step(bars[1] as Bar);
    expect(kernel.pendingOrder).toBeNull();
    kernel.step(bars[2] as Bar);
    expect(kernel.pendingOrder?.side).toBe('sell');
  });

  it('tracks the volume-weighted entry price of the open quantity', () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([0.5, 1, 0.5]), fillModel: new NextBarOpenFillModel({ feeRate: 0, slippageRate: 0 }) });
    for (const bar of bars) kernel.step(bar);
    // buy 50 @ 102; at close 104 equity = 10 000 − 5100 + 5200 = 10 100 → target 10 100/104 = 97.115… units,
    // buy 47.115… @ 105; VWAP = (50·102 + 47.115…·105)/97.115…; the sale on bar3 keeps the entry price.
    const q2 = 10_100 / 104 - 50;
    const vwap = (50 * 102 + q2 * 105) / (50 + q2);
    expect(kernel.position.averagePrice).toBeCloseTo(vwap, 10);
  });

  it('drops an order the fill model cannot fill, and the strategy decides again', () => {
    let calls = 0;
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([1, 1]), fillModel: { fill: () => (calls++, null) } });
    kernel.step(bars[0] as Bar);
    kernel.step(bars[1] as Bar);
    expect(calls).toBe(1);
    expect(kernel.result().fills).toHaveLength(0);
    expect(kernel.pendingOrder?.clientOrderId).toBe(`X-${2 * HOUR}`);
  });

  it('rejects a bar opening before the previous close, naming both times', () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([]), fillModel });
    kernel.step(bars[1] as Bar);
    let error: unknown;
    try {
      kernel.step(bars[0] as Bar);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('DATA_ORDER');
    expect((error as Error).message).toContain(String(2 * HOUR)); // previous closeTime
    expect((error as Error).message).toContain('openTime 0');
  });

  it('rejects invalid options and a non-finite strategy output', () => {
    expect(() => new TradingKernel({ symbol: '', strategy: scripted([]), fillModel })).toThrow(ConfigError);
    expect(() => new TradingKernel({ symbol: 'X', strategy: scripted([]), fillModel, initialCash: 0 })).toThrow(/initialCash/);
    expect(() => new TradingKernel({ symbol: 'X', strategy: scripted([]), fillModel, maxLeverage: -1 })).toThrow(/maxLeverage/);
    expect(() => new TradingKernel({ symbol: 'X', strategy: scripted([]), fillModel, minRebalanceFraction: 1 })).toThrow(/minRebalanceFraction/);
    const kernel = new TradingKernel({ symbol: 'X', strategy: scripted([Number.NaN]), fillModel });
    expect(() => kernel.step(bars[0] as Bar)).toThrow(DataError);
  });
});

describe('TradingKernel snapshot', () => {
  const walk = randomWalkBars(Rng.fromSeed(11), 200);
  const options = { symbol: 'ETH/USDT', strategy: smaStrategy, fillModel };

  it('restores a history longer than the engine allows as call arguments (200 000 bars)', () => {
    const long = randomWalkBars(Rng.fromSeed(12), 200_000);
    const kernel = new TradingKernel({ symbol: 'ETH/USDT', strategy: { onBar: () => null }, fillModel });
    for (const bar of long) kernel.step(bar);
    const resumed = new TradingKernel({ symbol: 'ETH/USDT', strategy: { onBar: () => null }, fillModel });
    resumed.restore(kernel.snapshot());
    expect(resumed.barCount).toBe(200_000);
    expect(resumed.result().equityCurve.time.length).toBe(200_000);
  });

  it('snapshot mid-run → JSON → restore into a new kernel continues identically', () => {
    const uninterrupted = new TradingKernel(options);
    for (const bar of walk) uninterrupted.step(bar);

    const first = new TradingKernel(options);
    for (const bar of walk.slice(0, 100)) first.step(bar);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as TradingKernelSnapshot;
    expect(saved.pendingOrder).not.toBeNull(); // the order in flight survives the restart
    const resumed = new TradingKernel(options);
    resumed.restore(saved);
    expect(resumed.equity).toBe(first.equity);
    for (const bar of walk.slice(100)) resumed.step(bar);

    expect(resumed.result()).toEqual(uninterrupted.result());
    expect(resumed.position).toEqual(uninterrupted.position);
    expect(resumed.cash).toBe(uninterrupted.cash);
  });

  it('returns a snapshot that shares nothing with the kernel', () => {
    const kernel = new TradingKernel(options);
    for (const bar of walk.slice(0, 20)) kernel.step(bar);
    const snap = kernel.snapshot();
    (snap.equity as number[]).push(1);
    (snap.history as Bar[]).length = 0;
    expect(kernel.snapshot().equity).toHaveLength(20);
    expect(kernel.snapshot().history).toHaveLength(20);
  });

  it('restore validates the snapshot and throws StateError', () => {
    const kernel = new TradingKernel(options);
    for (const bar of walk.slice(0, 10)) kernel.step(bar);
    const good = kernel.snapshot();
    const bad: unknown[] = [
      null,
      { ...good, version: 2 },
      { ...good, symbol: 'BTC/USDT' },
      { ...good, cash: 'lots' },
      { ...good, equity: good.equity.slice(1) },
      { ...good, pendingOrder: { ...good.pendingOrder, side: 'hold' } },
      { ...good, history: [{ ...good.history[0], close: null }] },
      { ...good, fills: [{ time: 1 }] },
    ];
    for (const state of bad) {
      expect(() => new TradingKernel(options).restore(state as TradingKernelSnapshot)).toThrow(StateError);
    }
  });

  it('names the offending field, its value and what was expected', () => {
    const kernel = new TradingKernel(options);
    for (const bar of walk.slice(0, 10)) kernel.step(bar);
    const good = kernel.snapshot();
    const { cash: _cash, ...missingCash } = good;
    const cases: [unknown, RegExp][] = [
      [missingCash, /field "cash" is undefined, expected a finite number/],
      [{ ...good, positionQuantity: Number.POSITIVE_INFINITY }, /field "positionQuantity"/],
      [{ ...good, equityTime: [...good.equityTime.slice(0, 3), Number.NaN, ...good.equityTime.slice(4)] }, /field "equityTime\.3"/],
      [{ ...good, equity: good.equity.slice(1) }, /field "equity" .*expected as many entries as equityTime/],
      [{ ...good, symbol: 'BTC/USDT' }, /field "symbol" is "BTC\/USDT", expected the kernel's symbol "ETH\/USDT"/],
      [{ ...good, averagePrice: -1 }, /field "averagePrice" is -1/],
      [{ ...good, pendingOrder: { ...good.pendingOrder, quantity: 0 } }, /field "pendingOrder\.quantity" is 0/],
      [{ ...good, history: [{ ...good.history[0], close: null }] }, /field "history\.0\.close" is null/],
      [{ ...good, fills: [{ time: 1 }] }, /field "fills\.0\.order"/],
    ];
    for (const [state, message] of cases) {
      expect(() => new TradingKernel(options).restore(state as TradingKernelSnapshot)).toThrow(message);
    }
  });

  it('a rejected snapshot leaves the kernel untouched', () => {
    const kernel = new TradingKernel(options);
    for (const bar of walk.slice(0, 30)) kernel.step(bar);
    const before = kernel.snapshot();
    const other = new TradingKernel(options);
    for (const bar of walk.slice(0, 60)) other.step(bar);
    // Valid everywhere except the last decision, so a reader that assigned field by field would have changed state.
    const decisions = other.snapshot().decisions.map((d, i, all) => (i === all.length - 1 ? { ...d, targetExposure: 'x' } : d));
    expect(() => kernel.restore({ ...other.snapshot(), decisions } as unknown as TradingKernelSnapshot)).toThrow(StateError);
    expect(kernel.snapshot()).toEqual(before);
    expect(kernel.equity).toBe(before.equity[before.equity.length - 1]);
  });

  it('restore neither mutates its input nor keeps references into it', () => {
    const source = new TradingKernel(options);
    for (const bar of walk.slice(0, 40)) source.step(bar);
    const state = JSON.parse(JSON.stringify(source.snapshot())) as TradingKernelSnapshot;
    const pristine = JSON.parse(JSON.stringify(state)) as TradingKernelSnapshot;
    const kernel = new TradingKernel(options);
    kernel.restore(state);
    expect(state).toEqual(pristine);
    (state.history as Bar[]).length = 0;
    (state.equity as number[])[0] = -1;
    (state.history as unknown as { close: number }[]).push({ close: 1 });
    if (state.pendingOrder !== null) (state.pendingOrder as { quantity: number }).quantity = 123;
    expect(kernel.snapshot()).toEqual(pristine);
  });
});
