import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { syntheticBars } from '../features/testing/synthetic-bars.js';
import { BUY, headSpecs, HOLD, labelFromReturn, SELL } from './perfect-move.js';
import { perfectMoveLabels } from './perfect-move-labels.js';
import { assertRealized, realizedSamples } from './realized.js';
import { toTrainingTargets } from './training-targets.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('labelFromReturn', () => {
  it('labels moves beyond 2 % with confidence min(0.95, 10·|r|) and anything smaller HOLD at 0.3', () => {
    expect(labelFromReturn(0.03, 0.02)).toEqual({ action: BUY, confidence: 0.3 }); // 10·0.03
    expect(labelFromReturn(-0.05, 0.02).action).toBe(SELL);
    expect(labelFromReturn(-0.05, 0.02).confidence).toBeCloseTo(0.5, 12); // 10·0.05
    expect(labelFromReturn(-0.12, 0.02)).toEqual({ action: SELL, confidence: 0.95 }); // 1.2 capped
    expect(labelFromReturn(0.02, 0.02)).toEqual({ action: HOLD, confidence: 0.3 }); // not strictly beyond
    expect(labelFromReturn(-0.019, 0.02)).toEqual({ action: HOLD, confidence: 0.3 });
  });

  it('measures a scaled head in units of its own threshold', () => {
    // 1h threshold 0.02·√(1/24) = 0.0040825; a 0.5 % rise: 10·0.005·(0.02/0.0040825) = 0.24495
    const [hour] = headSpecs(['1h']);
    expect(hour!.threshold).toBeCloseTo(0.0040825, 6);
    const label = labelFromReturn(0.005, hour!.threshold, { baseThreshold: 0.02 });
    expect(label.action).toBe(BUY);
    expect(label.confidence).toBeCloseTo(0.24495, 4);
  });
});

describe('headSpecs', () => {
  it('scales thresholds by √(horizon/day) and keeps 2 % for 1d, or 2 % everywhere unscaled', () => {
    const heads = headSpecs(['1m', '5m', '15m', '1h', '4h', '1d']);
    expect(heads.map((h) => h.horizonMs)).toEqual([MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 4 * HOUR, 24 * HOUR]);
    expect(heads[0]!.threshold).toBeCloseTo(0.02 / Math.sqrt(1440), 10);
    expect(heads[5]!.threshold).toBeCloseTo(0.02, 12);
    expect(headSpecs(['1m'], { scaling: 'none' })[0]!.threshold).toBe(0.02);
    expect(headSpecs(['1h'], { horizonBars: 4 })[0]!.horizonMs).toBe(4 * HOUR);
    expect(() => headSpecs(['1h'], { baseThreshold: 0 })).toThrow(ConfigError);
  });
});

describe('perfectMoveLabels', () => {
  const prices: Bar[] = [100, 101, 103, 99, 99.5, 100].map((close, i) => ({ openTime: i * HOUR, closeTime: (i + 1) * HOUR, open: close, high: close, low: close, close, volume: 1 }));
  const heads = [
    { timeframe: '1h' as const, horizonMs: HOUR, threshold: 0.015 },
    { timeframe: '4h' as const, horizonMs: 2 * HOUR, threshold: 0.015 },
  ];

  it('labels each head from the close at t to the close at t + horizon and stamps realizedAt', () => {
    const { samples, missing } = perfectMoveLabels({ prices, times: [HOUR, 2 * HOUR, 3 * HOUR], heads, baseThreshold: 0.015 });
    // t = 1h: 1h head 101/100 − 1 = 1 % → HOLD; 2h head 103/100 − 1 = 3 % → BUY, conf 10·0.03 = 0.3
    expect(samples[0]!.actions).toEqual([HOLD, BUY]);
    expect(samples[0]!.confidences[1]).toBeCloseTo(0.3, 12);
    expect(samples[0]!.headRealizedAt).toEqual([2 * HOUR, 3 * HOUR]);
    expect(samples[0]!.realizedAt).toBe(3 * HOUR);
    // t = 2h: 103/101 − 1 = 1.98 % BUY; 99/101 − 1 = −1.98 % SELL
    expect(samples[1]!.actions).toEqual([BUY, SELL]);
    // t = 3h: 99/103 − 1 = −3.88 % SELL; 99.5/103 − 1 = −3.4 % SELL
    expect(samples[2]!.actions).toEqual([SELL, SELL]);
    expect(missing).toEqual([]);
  });

  it('leaves a decision time unlabelled when its future price is missing (gap or end), never interpolating', () => {
    const gapped = prices.filter((b) => b.closeTime !== 4 * HOUR);
    const { samples, missing } = perfectMoveLabels({ prices: gapped, times: [2 * HOUR, 5 * HOUR, 6 * HOUR], heads });
    expect(samples).toEqual([]);
    expect(missing).toEqual([
      { time: 2 * HOUR, timeframe: '4h', at: 4 * HOUR },
      { time: 5 * HOUR, timeframe: '4h', at: 7 * HOUR }, // the 1h head (6h) exists, the 2h head does not
      { time: 6 * HOUR, timeframe: '1h', at: 7 * HOUR },
    ]);
  });
});

describe('the lookahead rule for training sets', () => {
  const bars = syntheticBars({ count: 600, timeframe: '1m', seed: 5 });
  const times = bars.slice(100, 500).map((b) => b.closeTime);
  const { samples } = perfectMoveLabels({ prices: bars, times, heads: headSpecs(['1m', '5m', '1h']) });

  it('a training set built at T holds exactly the samples realized by T (decided ≥ 1 h before T)', () => {
    const T = bars[300]!.closeTime;
    const set = realizedSamples(samples, T);
    expect(set.length).toBeGreaterThan(0);
    expect(set.every((s) => s.realizedAt <= T && s.time + HOUR <= T)).toBe(true);
    // every sample left out is realized after T, even though many were decided before T
    const left = samples.filter((s) => !set.includes(s));
    expect(left.every((s) => s.realizedAt > T)).toBe(true);
    expect(left.filter((s) => s.time <= T).length).toBe(60); // decisions in the last hour before T: 1h head unknown
    expect(() => assertRealized(set, T)).not.toThrow();
  });

  it('assertRealized rejects a sample whose label is still in the future', () => {
    const T = bars[300]!.closeTime;
    const leaky = samples.filter((s) => s.time <= T);
    expect(() => assertRealized(leaky, T)).toThrow(DataError);
    try {
      assertRealized(leaky, T);
    } catch (error) {
      expect((error as DataError).code).toBe('LOOKAHEAD');
    }
  });
});

describe('toTrainingTargets', () => {
  it('packs actions [N, H] and the timeframe-weighted mean confidence', () => {
    const sample = { time: 0, actions: [BUY, HOLD] as const, confidences: [0.5, 0.3], forwardReturns: [0, 0], headRealizedAt: [1, 2], realizedAt: 2 };
    const { actions, confidence } = toTrainingTargets([sample], ['1h', '1d']);
    expect(Array.from(actions)).toEqual([BUY, HOLD]);
    // (0.25·0.5 + 0.2·0.3)/(0.25 + 0.2) = 0.185/0.45
    expect(confidence[0]).toBeCloseTo(0.185 / 0.45, 6);
    expect(() => toTrainingTargets([sample], ['1h'])).toThrow(/1 heads/);
  });
});
