import { describe, expect, it } from 'vitest';
import { NextBarOpenFillModel, TradingKernel } from '@trading-ml/backtest';
import { trimKernelSnapshot } from './trim-kernel-snapshot.js';
import { HOUR, hourlyBars } from './testing/bars.js';

const bars = hourlyBars(60);
// The strategy reads the bar only, like a LiveStrategy: trimming the history must change nothing for it.
const kernel = () => new TradingKernel({ symbol: 'BTC/USDT', strategy: { onBar: (bar) => ((bar.closeTime / HOUR) % 7 < 3 ? 0.8 : 0.2) }, fillModel: new NextBarOpenFillModel() });

describe('trimKernelSnapshot', () => {
  it('keeps the last bars and what happened since, and a restored kernel continues identically', () => {
    const full = kernel();
    bars.slice(0, 40).forEach((b) => full.step(b));
    const snapshot = full.snapshot();
    const trimmed = trimKernelSnapshot(snapshot, 10);
    expect(trimmed.history).toEqual(snapshot.history.slice(30));
    expect(trimmed.equityTime).toEqual(snapshot.equityTime.slice(30));
    expect(trimmed.equity).toEqual(snapshot.equity.slice(30));
    expect(trimmed.decisions).toEqual(snapshot.decisions.slice(30));
    expect(trimmed.fills.every((f) => f.order.decidedAt >= (bars[30]?.closeTime as number))).toBe(true);
    expect({ ...trimmed, history: [], equityTime: [], equity: [], decisions: [], fills: [] }).toEqual({ ...snapshot, history: [], equityTime: [], equity: [], decisions: [], fills: [] });
    expect(snapshot.history).toHaveLength(40); // input untouched

    const resumed = kernel();
    resumed.restore(trimmed);
    bars.slice(40).forEach((b) => {
      full.step(b);
      resumed.step(b);
    });
    expect(resumed.result().decisions).toEqual(full.result().decisions.slice(30));
    expect(resumed.result().fills).toEqual(full.result().fills.filter((f) => f.order.decidedAt >= (bars[30]?.closeTime as number)));
    expect(resumed.equity).toBe(full.equity);
    expect(resumed.position).toEqual(full.position);
  });

  it('returns a short snapshot as it is', () => {
    const k = kernel();
    bars.slice(0, 5).forEach((b) => k.step(b));
    const snapshot = k.snapshot();
    expect(trimKernelSnapshot(snapshot, 10)).toBe(snapshot);
  });
});
