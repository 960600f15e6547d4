/**
 * Kernel throughput: steps per second over 30 000 synthetic hourly bars (best of 5 runs after a warm-up) with a
 * moving-average strategy that rebalances every bar (the worst case: one order and one fill per step); the Sharpe
 * bootstrap at the size of a PopAgent ablation run (6 400 hourly returns, 1000 resamples).
 */
import { Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { bootstrapSharpeInterval, runBacktest, simpleReturns, summarizePerformance } from '@trading-ml/backtest';
import type { Strategy } from '@trading-ml/backtest';

const BAR_COUNT = 30_000;
const HOUR = 3_600_000;

function syntheticBars(count: number): Bar[] {
  const rng = Rng.fromSeed(42);
  const bars: Bar[] = [];
  let price = 30_000;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = open * Math.exp(rng.normal(0, 0.01));
    bars.push({ openTime: i * HOUR, closeTime: (i + 1) * HOUR, open, high: Math.max(open, close) * 1.002, low: Math.min(open, close) * 0.998, close, volume: 1 });
    price = close;
  }
  return bars;
}

/** Fraction of equity long: how far the close sits above its 20-bar mean, clamped by the kernel. */
function movingAverageStrategy(): Strategy {
  return {
    onBar(bar, { history }) {
      const n = Math.min(20, history.length);
      let sum = 0;
      for (let k = history.length - n; k < history.length; k++) sum += (history[k] as Bar).close;
      return 0.5 + (bar.close / (sum / n) - 1) * 10;
    },
  };
}

export function run(): Array<{ name: string; value: number; unit: string }> {
  const bars = syntheticBars(BAR_COUNT);
  // best of 5 full runs: the first ones mostly measure JIT compilation
  let kernelSeconds = Infinity;
  let result = runBacktest({ bars, symbol: 'BTC/USDT', strategy: movingAverageStrategy() });
  for (let repeat = 0; repeat < 5; repeat++) {
    const start = performance.now();
    result = runBacktest({ bars, symbol: 'BTC/USDT', strategy: movingAverageStrategy() });
    kernelSeconds = Math.min(kernelSeconds, (performance.now() - start) / 1000);
  }
  const summaryStart = performance.now();
  const summary = summarizePerformance(result, { periodsPerYear: 8760, rng: Rng.fromSeed(1) });
  const summarySeconds = (performance.now() - summaryStart) / 1000;
  const returns = simpleReturns(result.equityCurve.equity).slice(0, 6_400);
  let bootstrapSeconds = Infinity;
  for (let repeat = 0; repeat < 5; repeat++) {
    const start = performance.now();
    bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(repeat), periodsPerYear: 8760, resamples: 1000 });
    bootstrapSeconds = Math.min(bootstrapSeconds, (performance.now() - start) / 1000);
  }
  return [
    { name: `kernel steps (${BAR_COUNT} bars, rebalancing every bar)`, value: BAR_COUNT / kernelSeconds, unit: 'steps/s' },
    { name: `fills recorded`, value: summary.fills, unit: 'fills' },
    { name: `trades (position episodes)`, value: summary.trades, unit: 'trades' },
    { name: `summarizePerformance (${BAR_COUNT} bars, 1000 bootstrap resamples)`, value: summarySeconds * 1000, unit: 'ms' },
    { name: `bootstrapSharpeInterval (6 400 returns, 1000 resamples)`, value: bootstrapSeconds * 1000, unit: 'ms' },
  ];
}
