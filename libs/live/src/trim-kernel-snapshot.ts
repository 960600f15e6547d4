import type { Bar } from '@trading-ml/core';
import type { TradingKernelSnapshot } from '@trading-ml/backtest';

/**
 * Keeps the last `limit` bars of a kernel snapshot, and the equity samples, decisions and fills from the first kept
 * bar on. Cash, position, pending order and last close are untouched, so a kernel restored from it steps, fills and
 * sizes exactly as before; only the strategy context's `history` is shorter (the live loop's strategies never read it).
 * @param snapshot - a kernel snapshot.
 * @param limit - bars to keep, ≥ 1.
 * @returns a new snapshot (the input is not changed); the input itself when it has no more than `limit` bars.
 * @example
 * kernel.restore(trimKernelSnapshot(kernel.snapshot(), 2000));
 */
export function trimKernelSnapshot(snapshot: TradingKernelSnapshot, limit: number): TradingKernelSnapshot {
  if (snapshot.history.length <= limit) return snapshot;
  const from = (snapshot.history[snapshot.history.length - limit] as Bar).closeTime;
  return {
    ...snapshot,
    history: snapshot.history.slice(-limit),
    equityTime: snapshot.equityTime.filter((t) => t >= from),
    equity: snapshot.equity.filter((_, i) => (snapshot.equityTime[i] as number) >= from),
    decisions: snapshot.decisions.filter((d) => d.time >= from),
    fills: snapshot.fills.filter((f) => f.order.decidedAt >= from),
  };
}
