import { describe, it, expect } from 'vitest';
import { Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { NextBarOpenFillModel } from './fill-model.js';
import { TradingKernel } from './kernel.js';
import { checkPrefixInvariance } from './prefix-invariance.js';
import { runBacktest, runKernel } from './run-backtest.js';
import type { Strategy } from './types.js';
import { randomWalkBars } from './testing/bars.js';

/** Momentum over the visible history: long when the last 3 closes rose, short-ish otherwise. */
function momentum(): Strategy {
  return {
    onBar(bar, { history }) {
      if (history.length < 4) return null;
      const past = history[history.length - 4] as Bar;
      return bar.close > past.close ? 1 : -0.5;
    },
  };
}

const bars = randomWalkBars(Rng.fromSeed(3), 150);

describe('runBacktest', () => {
  it('equals stepping a kernel by hand', () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: momentum(), fillModel: new NextBarOpenFillModel(), allowShort: true });
    for (const bar of bars) kernel.step(bar);
    expect(runBacktest({ bars, symbol: 'X', strategy: momentum(), allowShort: true })).toEqual(kernel.result());
  });

  it('passes the prefix-invariance check: decisions and equity up to bar k ignore later bars', () => {
    const decide = (series: readonly Bar[]) => {
      const result = runBacktest({ bars: series, symbol: 'X', strategy: momentum(), allowShort: true });
      return result.decisions.map((d, i) => [d.targetExposure, result.equityCurve.equity[i]]);
    };
    for (const cutIndex of [0, 3, 70, 149]) {
      expect(checkPrefixInvariance({ bars, decide, cutIndex, rng: Rng.fromSeed(cutIndex) })).toEqual({ ok: true });
    }
  });

  it('is caught by the prefix-invariance check when a strategy reaches outside its history', () => {
    const decide = (series: readonly Bar[]) => {
      const cheat: Strategy = {
        onBar: (bar, { history }) => ((series[history.length]?.close ?? bar.close) > bar.close ? 1 : 0), // peeks at the next bar
      };
      return runBacktest({ bars: series, symbol: 'X', strategy: cheat }).decisions;
    };
    const check = checkPrefixInvariance({ bars, decide, cutIndex: 100, rng: Rng.fromSeed(1) });
    expect(check.ok).toBe(false);
    expect(check.mismatch?.index).toBeLessThanOrEqual(100);
  });
});

describe('runKernel', () => {
  it('drives a kernel from an async bar source to the same result as runBacktest', async () => {
    async function* feed(): AsyncGenerator<Bar> {
      for (const bar of bars) yield await Promise.resolve(bar);
    }
    const kernel = new TradingKernel({ symbol: 'X', strategy: momentum(), fillModel: new NextBarOpenFillModel() });
    const result = await runKernel(kernel, feed());
    expect(result).toEqual(runBacktest({ bars, symbol: 'X', strategy: momentum() }));
  });

  it('accepts a synchronous iterable', async () => {
    const kernel = new TradingKernel({ symbol: 'X', strategy: momentum(), fillModel: new NextBarOpenFillModel() });
    const result = await runKernel(kernel, bars.slice(0, 10));
    expect(result.equityCurve.time).toEqual(bars.slice(0, 10).map((b) => b.closeTime));
  });
});
