import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { combineExposure } from './combineExposure.js';

describe('combineExposure', () => {
  it.each([
    // [p, action, confidence, allowShort, expected, the computation]
    [0.4, 'BUY', 0.5, false, 0.7], // 0.4 + 0.5·(1 − 0.4) = 0.4 + 0.3
    [0.4, 'BUY', 1, false, 1], // 0.4 + 1·0.6: full confidence goes fully long
    [0, 'BUY', 0.25, false, 0.25], // 0 + 0.25·(1 − 0)
    [0.4, 'SELL', 0.25, false, 0.3], // 0.4 + 0.25·(0 − 0.4) = 0.4 − 0.1
    [0.4, 'SELL', 1, false, 0], // a certain SELL vetoes the population: flat
    [0.4, 'SELL', 1, true, -1], // … or fully short when shorting is allowed
    [0.4, 'SELL', 0.5, true, -0.3], // 0.4 + 0.5·(−1 − 0.4) = 0.4 − 0.7
    [-0.6, 'BUY', 0.5, true, 0.2], // −0.6 + 0.5·(1 + 0.6) = −0.6 + 0.8
    [0.4, 'HOLD', 0.9, false, 0.4], // HOLD keeps p whatever the confidence
    [-0.2, 'HOLD', 1, true, -0.2],
    [0.4, 'BUY', 0, false, 0.4], // confidence 0 (the client's fallback) defers to the population
    [0.4, 'SELL', 0, true, 0.4],
  ] as const)('p=%d %s c=%d allowShort=%s → %d', (p, action, confidence, allowShort, expected) => {
    expect(combineExposure(p, { action, confidence }, allowShort)).toBeCloseTo(expected, 12);
  });

  it('stays between p and the action target (inside [0, 1] long-only, [−1, 1] with shorts)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.constantFrom('BUY' as const, 'SELL' as const, 'HOLD' as const),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (p0, action, confidence, allowShort) => {
          const p = allowShort ? p0 : Math.abs(p0);
          const e = combineExposure(p, { action, confidence }, allowShort);
          const target = action === 'BUY' ? 1 : action === 'SELL' ? (allowShort ? -1 : 0) : p;
          expect(e).toBeGreaterThanOrEqual(Math.min(p, target) - 1e-12);
          expect(e).toBeLessThanOrEqual(Math.max(p, target) + 1e-12);
          expect(e).toBeGreaterThanOrEqual(allowShort ? -1 : 0);
        },
      ),
    );
  });

  it('rejects an exposure outside [−1, 1] and a confidence outside [0, 1]', () => {
    expect(() => combineExposure(1.5, { action: 'HOLD', confidence: 0.5 }, false)).toThrow(ConfigError);
    expect(() => combineExposure(Number.NaN, { action: 'HOLD', confidence: 0.5 }, false)).toThrow('populationExposure');
    expect(() => combineExposure(0.2, { action: 'BUY', confidence: 1.2 }, false)).toThrow('Invalid confidence: got 1.2');
  });
});
