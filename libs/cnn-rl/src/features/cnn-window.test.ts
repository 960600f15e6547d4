import { describe, expect, it } from 'vitest';
import { resampleBars } from '@trading-ml/market-data';
import type { Bar } from '@trading-ml/core';
import { latestClosedIndex } from './alignment.js';
import { buildCnnInputs } from './cnn-inputs.js';
import { writeCnnWindow } from './cnn-window.js';
import { computeFeatureMatrix, FEATURES_PER_TIMEFRAME } from './feature-matrix.js';
import { syntheticBars } from './testing/synthetic-bars.js';

const F = FEATURES_PER_TIMEFRAME;
const HOUR = 3_600_000;
const start = Date.UTC(2024, 0, 1);

describe('latestClosedIndex', () => {
  it('uses at 10:30 the 1h bar that closed at 10:00, and a bar from its own close on', () => {
    const closeTimes = [8, 9, 10, 11].map((h) => start + h * HOUR);
    expect(closeTimes[latestClosedIndex(closeTimes, start + 10.5 * HOUR)]).toBe(start + 10 * HOUR);
    expect(closeTimes[latestClosedIndex(closeTimes, start + 10 * HOUR)]).toBe(start + 10 * HOUR);
    expect(closeTimes[latestClosedIndex(closeTimes, start + 10 * HOUR - 1)]).toBe(start + 9 * HOUR);
    expect(latestClosedIndex(closeTimes, start)).toBe(-1);
  });
});

describe('writeCnnWindow', () => {
  const minutes15 = syntheticBars({ count: 24 * 4 * 40, timeframe: '15m', start, seed: 11 });
  const hourly = resampleBars(minutes15, '15m', '1h');
  const daily = resampleBars(minutes15, '15m', '1d');
  const matrices = [computeFeatureMatrix(minutes15, '15m'), computeFeatureMatrix(hourly, '1h'), computeFeatureMatrix(daily, '1d', { baselineWindow: 2, window: 3, trendPeriod: 3 })];
  const L = 4;
  const C = 3 * F;

  it('lays out [L, C]: timeframe k in channels k·F…, oldest row first, each timeframe aligned on closes ≤ t', () => {
    const t = start + 38 * 24 * HOUR + 10.5 * HOUR; // day 38, 10:30
    const x = new Float32Array(L * C);
    const result = writeCnnWindow(matrices, t, L, x);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [r15, r1h, r1d] = result.rows as [number, number, number];
    expect(matrices[0]!.closeTimes[r15]).toBe(t); // the 15m bar 10:15–10:30 just closed
    expect(matrices[1]!.closeTimes[r1h]).toBe(t - 0.5 * HOUR); // 09:00–10:00
    expect(matrices[2]!.closeTimes[r1d]).toBe(start + 38 * 24 * HOUR); // day 37 ended at midnight
    for (const [k, m] of matrices.entries()) {
      const newest = result.rows[k] as number;
      for (let j = 0; j < L; j++) {
        const expected = Array.from(m.values.subarray((newest - L + 1 + j) * F, (newest - L + 2 + j) * F));
        expect(Array.from(x.subarray(j * C + k * F, j * C + (k + 1) * F))).toEqual(expected);
      }
    }
  });

  it('makes a 1d bar usable only after its close', () => {
    const t = start + 38 * 24 * HOUR - 15 * 60_000; // 23:45 of day 37: that day has not ended
    const result = writeCnnWindow(matrices, t, L, new Float32Array(L * C));
    expect(result.ok && matrices[2]!.closeTimes[result.rows[2] as number]).toBe(start + 37 * 24 * HOUR);
  });

  it('refuses a stale timeframe (a missing bar just before t) and a window reaching into warm-up', () => {
    const gapped: Bar[] = hourly.filter((b) => b.closeTime !== start + 30 * 24 * HOUR + 10 * HOUR);
    const withGap = [matrices[0]!, computeFeatureMatrix(gapped, '1h'), matrices[2]!];
    expect(writeCnnWindow(withGap, start + 30 * 24 * HOUR + 10.5 * HOUR, L, new Float32Array(L * C))).toEqual({ ok: false, timeframe: '1h', reason: 'stale' });
    // right after the gap the 1h indicators restart: not warm
    expect(writeCnnWindow(withGap, start + 30 * 24 * HOUR + 11 * HOUR, L, new Float32Array(L * C))).toEqual({ ok: false, timeframe: '1h', reason: 'not-warm' });
    expect(writeCnnWindow(matrices, start + HOUR, L, new Float32Array(L * C))).toEqual({ ok: false, timeframe: '15m', reason: 'not-warm' });
    expect(writeCnnWindow(matrices, start - 1, L, new Float32Array(L * C))).toEqual({ ok: false, timeframe: '15m', reason: 'no-bar' });
  });

  it('builds many windows and lists the skipped decision times', () => {
    const times = [start + HOUR, start + 38 * 24 * HOUR + 10.5 * HOUR, start + 39 * 24 * HOUR];
    const inputs = buildCnnInputs(matrices, times, L);
    expect(inputs.times).toEqual(times.slice(1));
    expect(inputs.x.length).toBe(2 * L * C);
    expect(inputs.skipped).toEqual([{ time: start + HOUR, timeframe: '15m', reason: 'not-warm' }]);
  });

  it('windows at ≤ t do not change when bars after t are altered', () => {
    const t = start + 35 * 24 * HOUR;
    const cut = latestClosedIndex(minutes15.map((b) => b.closeTime), t);
    const altered = minutes15.map((b, i) => (i <= cut ? b : { ...b, close: b.close * 1.5, high: b.high * 1.5 }));
    const other = [computeFeatureMatrix(altered, '15m'), computeFeatureMatrix(resampleBars(altered, '15m', '1h'), '1h'), computeFeatureMatrix(resampleBars(altered, '15m', '1d'), '1d', { baselineWindow: 2, window: 3, trendPeriod: 3 })];
    const a = buildCnnInputs(matrices, [t - HOUR, t], L);
    const b = buildCnnInputs(other, [t - HOUR, t], L);
    expect(b.times).toEqual(a.times);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
  });
});
