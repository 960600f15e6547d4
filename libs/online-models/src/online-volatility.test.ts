import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import { OnlineVolatility } from './online-volatility.js';
import { runEstimatorContract } from './contract.test-helper.js';

const returns = (seed: number): number[] => {
  const rng = Rng.fromSeed(seed).derive('returns');
  return Array.from({ length: 60 }, () => rng.normal(0, 0.02));
};

for (const [label, create] of [
  ['OnlineVolatility', () => new OnlineVolatility()],
  ['OnlineVolatility with initialVariance', () => new OnlineVolatility({ decay: 0.97, initialVariance: 1e-4 })],
] as const) {
  runEstimatorContract(label, {
    create,
    inputs: returns,
    alter: (_r, rng) => rng.normal(0, 0.1),
    step: (vol, r) => [vol.predict(), vol.update(r), vol.volatility()],
    peek: (vol) => [vol.predict(), vol.volatility(), vol.nUpdates],
    nullable: ['initialVariance'],
  });
}

describe('OnlineVolatility', () => {
  it('follows the RiskMetrics recursion computed by hand', () => {
    // λ = 0.9, σ²₀ = 0.0004:
    // σ²₁ = 0.9·0.0004 + 0.1·0.03² = 0.00036 + 0.00009 = 0.00045
    // σ²₂ = 0.9·0.00045 + 0.1·0.01² = 0.000405 + 0.00001 = 0.000415
    // σ²₃ = 0.9·0.000415 + 0.1·0.02² = 0.0003735 + 0.00004 = 0.0004135
    const vol = new OnlineVolatility({ decay: 0.9, initialVariance: 0.0004 });
    expect(vol.predict()).toBeNull();
    expect(vol.volatility()).toBeNull();
    expect(vol.update(0.03)).toBeCloseTo(0.00045, 15);
    expect(vol.update(-0.01)).toBeCloseTo(0.000415, 15);
    expect(vol.update(0.02)).toBeCloseTo(0.0004135, 15);
    expect(vol.predict()).toBeCloseTo(0.0004135, 15);
    expect(vol.volatility()).toBeCloseTo(Math.sqrt(0.0004135), 15);
    expect(vol.nUpdates).toBe(3);
  });

  it('seeds the recursion with the first squared return when no initialVariance is given', () => {
    const vol = new OnlineVolatility({ decay: 0.94 });
    expect(vol.update(-0.05)).toBeCloseTo(0.0025, 15); // 0.94·0.0025 + 0.06·0.0025
    expect(vol.update(0)).toBeCloseTo(0.94 * 0.0025, 15);
  });

  it('equals the unrolled weighted sum λⁿσ²₀ + (1 − λ)Σ λⁿ⁻ⁱ rᵢ²', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        (rs, decay, initialVariance) => {
          const vol = new OnlineVolatility({ decay, initialVariance });
          for (const r of rs) vol.update(r);
          const n = rs.length;
          const expected = decay ** n * initialVariance + (1 - decay) * rs.reduce((sum, r, i) => sum + decay ** (n - 1 - i) * r * r, 0);
          expect(vol.predict()!).toBeCloseTo(expected, 12);
        },
      ),
    );
  });

  it('never produces a negative or non-finite variance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e100, max: 1e100, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
        (rs, decay) => {
          const vol = new OnlineVolatility({ decay });
          for (const r of rs) {
            const variance = vol.update(r);
            expect(variance).toBeGreaterThanOrEqual(0);
            expect(Number.isFinite(variance)).toBe(true);
            expect(vol.volatility()).toBe(Math.sqrt(variance));
          }
        },
      ),
    );
  });

  it('rejects a bad decay or initialVariance with ConfigError naming the option', () => {
    for (const decay of [0, 1, 1.5, -0.1, Number.NaN]) {
      expect(() => new OnlineVolatility({ decay })).toThrow(ConfigError);
    }
    expect(() => new OnlineVolatility({ decay: 1 })).toThrow(/decay: got 1, expected a finite number in \(0, 1\)/);
    expect(() => new OnlineVolatility({ initialVariance: -1e-4 })).toThrow(/initialVariance: got -0.0001/);
    expect(() => new OnlineVolatility().update(Number.NaN)).toThrow(ConfigError);
  });

  it('rejects a variance that disagrees with nUpdates on restore, naming the field', () => {
    const vol = new OnlineVolatility();
    expect(() => vol.restore({ ...vol.snapshot(), variance: 0.1 })).toThrow(/field "variance" is 0.1, expected null exactly when nUpdates is 0/);
    vol.update(0.01);
    expect(() => vol.restore({ ...vol.snapshot(), variance: null })).toThrow(/field "variance" is null/);
    expect(() => vol.restore({ ...vol.snapshot(), variance: -1e-6 })).toThrow(StateError);
    expect(vol.predict()).toBeCloseTo(1e-4, 15);
  });
});
