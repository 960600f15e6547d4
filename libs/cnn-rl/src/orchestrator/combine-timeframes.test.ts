import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import { combineTimeframes } from './combine-timeframes.js';
import { adaptConfidence, gateAction } from './signal-gate.js';

describe('combineTimeframes', () => {
  it('weighs each head by weight × confidence over all six timeframes (hand computation)', () => {
    const predictions = [
      { timeframe: '1m' as const, probabilities: [0.6, 0.3, 0.1], confidence: 0.4 },
      { timeframe: '5m' as const, probabilities: [0.5, 0.3, 0.2], confidence: 0.5 },
      { timeframe: '15m' as const, probabilities: [0.2, 0.5, 0.3], confidence: 0.6 },
      { timeframe: '1h' as const, probabilities: [0.7, 0.2, 0.1], confidence: 0.8 },
      { timeframe: '4h' as const, probabilities: [0.1, 0.3, 0.6], confidence: 0.5 },
      { timeframe: '1d' as const, probabilities: [0.3, 0.4, 0.3], confidence: 0.9 },
    ];
    // weight·confidence: 0.02, 0.05, 0.09, 0.20, 0.125, 0.18 → total 0.665
    // P(BUY)  = (0.02·0.6 + 0.05·0.5 + 0.09·0.2 + 0.2·0.7 + 0.125·0.1 + 0.18·0.3)/0.665 = 0.2615/0.665
    // P(HOLD) = (0.006 + 0.015 + 0.045 + 0.04 + 0.0375 + 0.072)/0.665 = 0.2155/0.665
    // P(SELL) = (0.002 + 0.01 + 0.027 + 0.02 + 0.075 + 0.054)/0.665 = 0.188/0.665
    const signal = combineTimeframes(predictions);
    expect(signal.probabilities[BUY]).toBeCloseTo(0.2615 / 0.665, 12);
    expect(signal.probabilities[HOLD]).toBeCloseTo(0.2155 / 0.665, 12);
    expect(signal.probabilities[SELL]).toBeCloseTo(0.188 / 0.665, 12);
    expect(signal.action).toBe(BUY);
    expect(signal.confidence).toBeCloseTo(0.2615 / 0.665, 12);
    expect(signal.score).toBeCloseTo((0.2615 - 0.188) / 0.665, 12);
    expect(signal.headConfidence).toBeCloseTo(0.665, 12); // Σ w·c / Σ w, Σ w = 1
    expect(signal.weights['1h']).toBeCloseTo(0.2 / 0.665, 12);
    // head argmaxes: 1m BUY, 5m BUY, 15m HOLD, 1h BUY, 4h SELL, 1d HOLD → votes by weight·confidence
    expect(signal.votes[BUY]).toBeCloseTo((0.02 + 0.05 + 0.2) / 0.665, 12);
    expect(signal.votes[HOLD]).toBeCloseTo((0.09 + 0.18) / 0.665, 12);
    expect(signal.votes[SELL]).toBeCloseTo(0.125 / 0.665, 12);
  });

  it('renormalises over the available timeframes', () => {
    const signal = combineTimeframes([
      { timeframe: '1h', probabilities: [0.7, 0.2, 0.1], confidence: 0.8 },
      { timeframe: '1d', probabilities: [0.2, 0.3, 0.5], confidence: 0.5 },
    ]);
    // w̃_1h = 0.2/(0.2 + 0.1) = 2/3, w̃_1d = 1/3 → [0.7·2/3 + 0.2/3, 0.2·2/3 + 0.3/3, 0.1·2/3 + 0.5/3]
    expect(signal.probabilities[0]).toBeCloseTo(1.6 / 3, 12);
    expect(signal.probabilities[1]).toBeCloseTo(0.7 / 3, 12);
    expect(signal.probabilities[2]).toBeCloseTo(0.7 / 3, 12);
    expect(signal.headConfidence).toBeCloseTo(0.3 / 0.45, 12);
    expect(signal.votes[0]).toBeCloseTo(2 / 3, 12);
    expect(signal.votes[2]).toBeCloseTo(1 / 3, 12);
  });

  it('says HOLD with confidence 0 when no head has weight, and rejects repeated timeframes', () => {
    const signal = combineTimeframes([{ timeframe: '1h', probabilities: [0.9, 0.05, 0.05], confidence: 0 }]);
    expect(signal.action).toBe(HOLD);
    expect(signal.confidence).toBe(0);
    expect(() => combineTimeframes([])).toThrow(ConfigError);
    const p = { timeframe: '1h' as const, probabilities: [1, 0, 0], confidence: 1 };
    expect(() => combineTimeframes([p, p])).toThrow(/at most once/);
  });
});

describe('regime-adapted confidence and the 0.6 gate', () => {
  it('scales confidence by regime and acts only at or above the threshold', () => {
    expect(adaptConfidence(0.8, 'trending')).toBe(0.8);
    expect(adaptConfidence(0.8, 'ranging')).toBeCloseTo(0.68, 12);
    expect(adaptConfidence(0.8, 'volatile')).toBeCloseTo(0.56, 12);
    expect(gateAction(BUY, 0.6)).toBe(BUY);
    expect(gateAction(SELL, 0.59)).toBe(HOLD);
    expect(gateAction(BUY, adaptConfidence(0.8, 'volatile'))).toBe(HOLD);
    expect(() => gateAction(BUY, 0.7, 1.5)).toThrow(ConfigError);
  });
});
