import { describe, it, expect } from 'vitest';
import { Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { annualizedVolatility } from './metrics/annualized-volatility.js';
import { bootstrapSharpeInterval } from './metrics/bootstrap-sharpe-interval.js';
import { positionEpisodes } from './metrics/position-episodes.js';
import { sharpeRatio } from './metrics/sharpe-ratio.js';
import { simpleReturns } from './metrics/simple-returns.js';
import { buyAndHold } from './buy-and-hold.js';
import { NextBarOpenFillModel } from './fill-model.js';
import { runBacktest } from './run-backtest.js';
import { summarizePerformance } from './summarize-performance.js';
import type { BacktestResult, Strategy } from './types.js';
import { barsFrom, randomWalkBars } from './testing/bars.js';

const swing: Strategy = {
  onBar: (bar, { history }) => (history.length > 1 && bar.close > (history[history.length - 2] as Bar).close ? 1 : 0),
};

describe('summarizePerformance', () => {
  it('computes the hand-worked figures of a two-trade run', () => {
    // Fee- and slippage-free fills; curve [10 000, 11 000, 9 900, 12 100] sampled at 4 closes, 1 period per year.
    const fill = (side: 'buy' | 'sell', quantity: number, price: number, time: number) => ({
      order: { clientOrderId: `X-${time}`, symbol: 'X', side, quantity, decidedAt: time - 1 },
      time,
      price,
      quantity,
      fee: 0,
    });
    const result: BacktestResult = {
      equityCurve: { time: [1, 2, 3, 4], equity: [10_000, 11_000, 9_900, 12_100] },
      fills: [fill('buy', 100, 100, 2), fill('sell', 100, 110, 3), fill('buy', 10, 100, 4), fill('sell', 10, 95, 5)],
      decisions: [],
    };
    const s = summarizePerformance(result, { periodsPerYear: 1, rng: Rng.fromSeed(1), resamples: 50 });
    expect(s.totalReturn).toBeCloseTo(0.21, 12); // 12 100/10 000 − 1
    expect(s.cagr).toBeCloseTo(Math.cbrt(1.21) - 1, 12); // 3 periods at 1/year
    expect(s.maxDrawdown).toBeCloseTo(0.1, 12); // (11 000 − 9 900)/11 000
    expect(s.calmarRatio).toBeCloseTo((Math.cbrt(1.21) - 1) / 0.1, 12);
    // returns 0.1, −0.1, 12 100/9 900 − 1 = 0.2222…; Sortino DD = √((0 + 0.01 + 0)/3)
    const r = [0.1, -0.1, 12_100 / 9_900 - 1];
    const m = (r[0]! + r[1]! + r[2]!) / 3;
    expect(s.sortinoRatio).toBeCloseTo(m / Math.sqrt(0.01 / 3), 12);
    // trades: +1000 (100·(110 − 100)) and −50 (10·(95 − 100)): profit factor 20, win rate 0.5
    expect(s.trades).toBe(2);
    expect(s.fills).toBe(4);
    expect(s.profitFactor).toBeCloseTo(20, 12);
    expect(s.winRate).toBe(0.5);
    // turnover: notional 10 000 + 11 000 + 1 000 + 950 = 22 950; mean equity 43 000/4 = 10 750; ·1/4
    expect(s.turnover).toBeCloseTo(22_950 / 10_750 / 4, 12);
  });

  it('agrees with the individual metrics on a kernel run and is reproducible', () => {
    const bars = randomWalkBars(Rng.fromSeed(21), 300);
    const result = runBacktest({ bars, symbol: 'X', strategy: swing });
    const summary = summarizePerformance(result, { periodsPerYear: 8760, rng: Rng.fromSeed(8) });
    const returns = simpleReturns(result.equityCurve.equity);
    expect(summary.sharpeRatio).toBe(sharpeRatio(returns, { periodsPerYear: 8760 }));
    expect(summary.annualizedVolatility).toBe(annualizedVolatility(returns, 8760));
    expect(summary.trades).toBe(positionEpisodes(result.fills, { markPrice: bars[bars.length - 1]!.close }).length);
    expect(summary.trades).toBeGreaterThan(10);
    expect(summary.fills).toBe(result.fills.length);
    expect(summary.sharpeInterval).toEqual(bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(8).derive('sharpeInterval'), periodsPerYear: 8760 }));
    expect(summary.sharpeInterval[0]).toBeLessThanOrEqual(summary.sharpeRatio);
    expect(summary.sharpeInterval[1]).toBeGreaterThanOrEqual(summary.sharpeRatio);
    expect(summarizePerformance(result, { periodsPerYear: 8760, rng: Rng.fromSeed(8) })).toEqual(summary);
    expect(Object.keys(summary).sort()).toEqual(
      ['annualizedVolatility', 'cagr', 'calmarRatio', 'fills', 'maxDrawdown', 'profitFactor', 'sharpeInterval', 'sharpeRatio', 'sortinoRatio', 'totalReturn', 'trades', 'turnover', 'winRate'].sort(),
    );
  });

  it('handles a run without trades', () => {
    const flat = runBacktest({ bars: barsFrom([[100, 100], [100, 101]]), symbol: 'X', strategy: { onBar: () => 0 } });
    const s = summarizePerformance(flat, { periodsPerYear: 365, rng: Rng.fromSeed(1) });
    expect([s.totalReturn, s.trades, s.fills, s.profitFactor, s.winRate, s.turnover, s.sharpeRatio]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(s.sharpeInterval).toEqual([0, 0]);
  });

  it('counts buy-and-hold as one trade marked at the last close, net of the entry fee', () => {
    // fee 10 bps, no slippage, 10 000 cash. Decide 1 at close 100; buy 10 000/100 = 100 units at the next open 100,
    // fee 10, cash −10. Last close 120: equity = −10 + 100·120 = 11 990; the trade's PnL = 11 990 − 10 000 = 1 990.
    const fillModel = new NextBarOpenFillModel({ feeRate: 0.001, slippageRate: 0 });
    const up = buyAndHold({ bars: barsFrom([[100, 100], [100, 110], [110, 120]]), symbol: 'X', fillModel });
    const s = summarizePerformance(up, { periodsPerYear: 365, rng: Rng.fromSeed(1), resamples: 20 });
    expect(up.equityCurve.equity[2]).toBeCloseTo(11_990, 9);
    expect([s.trades, s.fills, s.winRate, s.profitFactor]).toEqual([1, 1, 1, Infinity]); // one winning trade, no loss
    // a losing hold: close 90 → equity −10 + 9 000 = 8 990; PnL −1 010: win rate 0, profit factor 0
    const down = buyAndHold({ bars: barsFrom([[100, 100], [100, 95], [95, 90]]), symbol: 'X', fillModel });
    const d = summarizePerformance(down, { periodsPerYear: 365, rng: Rng.fromSeed(1), resamples: 20 });
    expect(down.equityCurve.equity[2]).toBeCloseTo(8_990, 9);
    expect([d.trades, d.fills, d.winRate, d.profitFactor]).toEqual([1, 1, 0, 0]);
  });

  it('counts a strategy that rebalances every bar without going flat as one trade over many fills', () => {
    const bars = randomWalkBars(Rng.fromSeed(33), 200);
    const targets = Rng.fromSeed(34);
    const result = runBacktest({ bars, symbol: 'X', strategy: { onBar: () => 0.3 + 0.6 * targets.float() } });
    const s = summarizePerformance(result, { periodsPerYear: 8760, rng: Rng.fromSeed(1), resamples: 20 });
    expect(s.fills).toBe(199); // one order per decision, filled at the next bar
    expect(s.trades).toBe(1);
    // its PnL is the whole equity change (still open, marked at the last close): win rate 1 iff the run gained
    expect(s.winRate).toBe(s.totalReturn > 0 ? 1 : 0);
  });

  it('recovers the mark from the equity curve and rejects a curve that does not account for the fills', () => {
    const fill = { order: { clientOrderId: 'X-1', symbol: 'X', side: 'buy' as const, quantity: 100, decidedAt: 1 }, time: 2, price: 100, quantity: 100, fee: 0 };
    // 100 units bought for all 10 000 of cash; equity 12 000 at the last close ⇒ close 120, PnL +2 000
    const consistent: BacktestResult = { equityCurve: { time: [1, 2], equity: [10_000, 12_000] }, fills: [fill], decisions: [] };
    const s = summarizePerformance(consistent, { periodsPerYear: 1, rng: Rng.fromSeed(1), resamples: 10 });
    expect([s.trades, s.winRate, s.profitFactor]).toEqual([1, 1, Infinity]);
    // 100 units bought at 50 leave 5 000 cash; equity 4 000 would mark them at (4 000 − 5 000)/100 = −10
    const broken: BacktestResult = { equityCurve: { time: [1, 2], equity: [10_000, 4_000] }, fills: [{ ...fill, price: 50 }], decisions: [] };
    expect(() => summarizePerformance(broken, { periodsPerYear: 1, rng: Rng.fromSeed(1), resamples: 10 })).toThrow(/equityCurve/);
  });
});
