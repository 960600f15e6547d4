import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean, variance } from 'simple-statistics';
import { Rng } from '@trading-ml/core';
import { observeNig, poolNig, sampleNigMean } from './normal-inverse-gamma.js';
import type { NigArrays } from './normal-inverse-gamma.js';

const one = (m: number, k: number, a: number, b: number): NigArrays => ({
  mean: Float64Array.of(m),
  kappa: Float64Array.of(k),
  shape: Float64Array.of(a),
  rate: Float64Array.of(b),
});

// Natural parameters of NIG(m, κ, a, b): the density ∝ (σ²)^-(a+3/2)·exp(−[2b + κ(μ − m)²]/(2σ²))
// = (σ²)^-(a+3/2)·exp(−(2b + κm²)/(2σ²) + κm·μ/σ² − κ·μ²/(2σ²)), so η = (κ, κm, a, 2b + κm²).
const natural = (m: number, k: number, a: number, b: number): number[] => [k, k * m, a, 2 * b + k * m * m];
const fromNatural = ([k, km, a, s]: number[]): number[] => [km! / k!, k!, a!, (s! - (km! * km!) / k!) / 2];

const positive = fc.double({ min: 0.1, max: 20, noNaN: true });
const real = fc.double({ min: -3, max: 3, noNaN: true });

describe('Normal-Inverse-Gamma arithmetic', () => {
  it('pools as the linear mixture of natural parameters (log-linear pooling)', () => {
    fc.assert(
      fc.property(real, positive, positive, positive, real, positive, positive, positive, fc.double({ min: 0, max: 1, noNaN: true }), (m1, k1, a1, b1, m2, k2, a2, b2, w) => {
        const arrays = one(m1, k1, a1, b1);
        poolNig(arrays, 0, 1 - w, w, m2, k2, a2, b2);
        const eta1 = natural(m1, k1, a1, b1);
        const eta2 = natural(m2, k2, a2, b2);
        const [m, k, a, b] = fromNatural(eta1.map((x, j) => (1 - w) * x + w * eta2[j]!));
        expect(arrays.mean[0]).toBeCloseTo(m!, 9);
        expect(arrays.kappa[0]).toBeCloseTo(k!, 9);
        expect(arrays.shape[0]).toBeCloseTo(a!, 9);
        expect(arrays.rate[0]).toBeCloseTo(b!, 6);
        expect(arrays.rate[0]).toBeGreaterThanOrEqual(Math.min(b1, b2) - 1e-12);
      }),
    );
  });

  it('leaves the target bit-for-bit unchanged at weight 0 and copies the other at weight 1', () => {
    const arrays = one(0.3, 2.5, 1.7, 0.9);
    poolNig(arrays, 0, 1, 0, -1.2, 7, 3, 4);
    expect([arrays.mean[0], arrays.kappa[0], arrays.shape[0], arrays.rate[0]]).toEqual([0.3, 2.5, 1.7, 0.9]);
    poolNig(arrays, 0, 0, 1, -1.2, 7, 3, 4);
    expect([arrays.mean[0], arrays.kappa[0], arrays.shape[0], arrays.rate[0]]).toEqual([-1.2, 7, 3, 4]);
  });

  it('observes one point as Murphy (2007) §6 writes the posterior with n = 1', () => {
    const arrays = one(0.5, 2, 3, 1.5);
    observeNig(arrays, 0, 2);
    // κ₁ = 2 + 1 = 3; m₁ = (2·0.5 + 2)/3 = 1; a₁ = 3.5; b₁ = 1.5 + κ₀·n·(x̄ − m₀)²/(2κ₁) = 1.5 + 2·1·2.25/6 = 2.25
    expect(arrays.kappa[0]).toBe(3);
    expect(arrays.mean[0]).toBeCloseTo(1, 14);
    expect(arrays.shape[0]).toBe(3.5);
    expect(arrays.rate[0]).toBeCloseTo(2.25, 14);
  });

  it('draws μ with the Student-t marginal: mean m, variance b/((a − 1)κ)', () => {
    // Murphy 2007 §6: μ ~ t_{2a}(m, b/(aκ)); a t_ν with scale² s² has variance s²·ν/(ν − 2) = b/((a − 1)κ).
    const rng = Rng.fromSeed(9);
    const [m, k, a, b] = [0.5, 3, 5, 2];
    const draws = Array.from({ length: 50_000 }, () => sampleNigMean(rng, m, k, a, b));
    const expectedVariance = b / ((a - 1) * k); // 1/6
    // se(mean) = √(1/6 / 50 000) ≈ 0.0018; se(variance) ≈ σ²·√((2 + excess kurtosis 1)/n) ≈ 0.0013.
    expect(Math.abs(mean(draws) - m)).toBeLessThan(0.008);
    expect(Math.abs(variance(draws) - expectedVariance)).toBeLessThan(0.007);
  });
});
