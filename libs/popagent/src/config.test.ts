import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '@trading-ml/core';
import { DEFAULT_POPAGENT_CONFIG, validatePopAgentConfig } from './config.js';

describe('validatePopAgentConfig', () => {
  it('fills the documented defaults', () => {
    expect(validatePopAgentConfig()).toEqual({
      population: 10,
      methodsPerDecision: 3,
      discount: 0.99,
      transferEvery: 42,
      transferRate: 0.2,
      rankingWindow: 42,
      sgdLearningRate: 0.01,
      rlsForgettingFactor: 0.995,
      volatilityTarget: 0.5,
      allowShort: false,
      feeRate: 0.001,
      slippageRate: 0.0005,
      rebalanceThreshold: 0.1,
    });
    expect(validatePopAgentConfig({ population: 4, allowShort: true })).toEqual({ ...DEFAULT_POPAGENT_CONFIG, population: 4, allowShort: true });
  });

  it('names the key, the value and the expected range', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ population: 0 }, 'Invalid population: got 0, expected an integer in [1, 10000]'],
      [{ transferRate: 2 }, 'Invalid transferRate: got 2, expected a number in [0, 1]'],
      [{ discount: 0 }, 'Invalid discount: got 0, expected a number in (0, 1]'],
      [{ methodsPerDecision: 1.5 }, 'Invalid methodsPerDecision: got 1.5'],
      [{ allowShort: 'yes' }, 'Invalid allowShort: got "yes", expected a boolean'],
      [{ populaton: 3 }, 'Invalid populaton: got 3, expected one of the keys'],
    ];
    for (const [partial, message] of cases) {
      const attempt = () => validatePopAgentConfig(partial as never);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    }
  });

  it('accepts every in-range transfer rate and rejects every out-of-range one', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 3, noNaN: true }), (rate) => {
        const ok = rate >= 0 && rate <= 1;
        if (ok) expect(validatePopAgentConfig({ transferRate: rate }).transferRate).toBe(rate);
        else expect(() => validatePopAgentConfig({ transferRate: rate })).toThrow(ConfigError);
      }),
    );
  });
});
