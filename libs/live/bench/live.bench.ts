/**
 * Cost of the per-step commit: every iteration writes each symbol's kernel snapshot (its whole bar history), the
 * strategy snapshot and the journal rows in one SQLite transaction (WAL, synchronous=FULL, so each commit waits for
 * an fsync). Measured for two symbols at LiveTrader's default history limit (2 000 bars, trimmed at 2 100) and, for
 * comparison, with a whole year of hourly history (8 760 bars) kept; best of 5 runs of 20 commits after a warm-up,
 * on a file in the OS temp folder. An hourly loop only needs this far below a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar } from '@trading-ml/core';
import { NextBarOpenFillModel, TradingKernel } from '@trading-ml/backtest';
import type { TradingKernelSnapshot } from '@trading-ml/backtest';
import { SqliteStateStore } from '@trading-ml/live';
import type { JournalEntry } from '@trading-ml/live';

const HOUR = 3_600_000;

function kernelWith(symbol: string, bars: number): TradingKernelSnapshot {
  const kernel = new TradingKernel({ symbol, strategy: { onBar: (_b, { history }) => (history.length % 24 < 12 ? 1 : 0) }, fillModel: new NextBarOpenFillModel() });
  for (let i = 0; i < bars; i++) {
    const price = 100 + 10 * Math.sin(i / 50);
    const bar: Bar = { openTime: i * HOUR, closeTime: (i + 1) * HOUR, open: price, high: price + 1, low: price - 1, close: price, volume: 1 };
    kernel.step(bar);
  }
  return kernel.snapshot();
}

function commitMs(store: SqliteStateStore, kernels: Map<string, TradingKernelSnapshot>, start: number): number {
  let best = Infinity;
  for (let run = 0; run < 6; run++) {
    const t = performance.now();
    for (let k = 0; k < 20; k++) {
      const decidedAt = start + (run * 20 + k) * HOUR;
      const journal: JournalEntry[] = [...kernels.keys()].map((symbol) => ({
        symbol, decidedAt, strategyTarget: 1, appliedTarget: 1, clientOrderId: `${symbol}-${decidedAt}`, side: 'buy', quantity: 1,
        status: 'paper', reason: null, exchangeOrderId: null, fillPrice: null, fillQuantity: null, fee: null,
      }));
      store.commit({ kernels, strategy: { weights: Array.from({ length: 64 }, (_, i) => i) }, risk: null, journal }, decidedAt);
    }
    if (run > 0) best = Math.min(best, (performance.now() - t) / 20); // run 0 is the warm-up
  }
  return best;
}

export function run(): Array<{ name: string; value: number; unit: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'live-bench-'));
  try {
    const figures: Array<{ name: string; value: number; unit: string }> = [];
    for (const [label, bars] of [['2 100 bars (default limit)', 2_100], ['8 760 bars (1 year)', 8_760]] as const) {
      const kernels = new Map([['BTC/USDT', kernelWith('BTC/USDT', bars)], ['ETH/USDT', kernelWith('ETH/USDT', bars)]]);
      const store = new SqliteStateStore(join(dir, `${bars}.sqlite`));
      figures.push({ name: `commit, 2 symbols × ${label}`, value: commitMs(store, kernels, bars * HOUR), unit: 'ms/step' });
      figures.push({ name: `snapshot size, 2 symbols × ${label}`, value: JSON.stringify([...kernels.values()]).length / 1e6, unit: 'MB' });
      store.close();
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
