import type { Bar } from '@trading-ml/core';
import type { LiveStrategy } from '../types.js';

/**
 * A deterministic strategy for tests: the target of the n-th bar seen for a symbol is `targets[n]` (the last one
 * repeated), and it records every bar it was fed. Snapshot = how many bars it has seen per symbol, plus the log.
 */
export class ScriptedStrategy implements LiveStrategy {
  seen: Record<string, number> = {};
  log: { symbol: string; closeTime: number }[] = [];

  constructor(private readonly targets: readonly number[]) {}

  onBar(symbol: string, bar: Bar): number {
    const n = this.seen[symbol] ?? 0;
    this.seen[symbol] = n + 1;
    this.log.push({ symbol, closeTime: bar.closeTime });
    return this.targets[Math.min(n, this.targets.length - 1)] ?? 0;
  }

  snapshot(): unknown {
    return { seen: { ...this.seen }, log: this.log.map((e) => ({ ...e })) };
  }

  restore(state: unknown): void {
    const s = state as { seen: Record<string, number>; log: { symbol: string; closeTime: number }[] };
    this.seen = { ...s.seen };
    this.log = s.log.map((e) => ({ ...e }));
  }
}
