// Internal: Normal-Inverse-Gamma posterior arithmetic for GaussianThompson (not part of the public API).
//
// A NIG(m, κ, a, b) posterior over (μ, σ²) is σ² ~ InvGamma(a, b), μ | σ² ~ N(m, σ²/κ). Its density is, up to a
// constant, (σ²)^-(a + 3/2) · exp(−[2b + κ(μ − m)²] / (2σ²)), an exponential family with natural parameters
// (κ, κm, a, 2b + κm²). Everything below is linear in those natural parameters, which makes the conjugate
// update, the discount toward the prior and the preference transfer one and the same operation.
import type { Rng } from '@trading-ml/core';

/** The four NIG parameters of every arm, [nArms] each. */
export interface NigArrays {
  /** Posterior mean m of μ. */
  readonly mean: Float64Array;
  /** Pseudo-count κ of the mean (μ | σ² has variance σ²/κ). */
  readonly kappa: Float64Array;
  /** Inverse-gamma shape a of σ². */
  readonly shape: Float64Array;
  /** Inverse-gamma rate (scale) b of σ². */
  readonly rate: Float64Array;
}

/**
 * Replaces arm `i`'s posterior by the natural-parameter mixture wSelf·η_i + wOther·η_other.
 *
 * In moment form: κ = wSelf·κ_i + wOther·κ_o; m = (wSelf·κ_i·m_i + wOther·κ_o·m_o)/κ; a = wSelf·a_i + wOther·a_o;
 * b = wSelf·b_i + wOther·b_o + ½·(wSelf·κ_i)(wOther·κ_o)/κ·(m_i − m_o)². The last term is the between-mean
 * spread: pooling two beliefs that disagree on the mean widens the variance belief, just as one conjugate update
 * does (Murphy 2007's §6 one-observation update is this formula with wSelf = wOther = 1 and (m_o, κ_o, a_o, b_o) = (x, 1, ½, 0)).
 * The weights are written so that wOther = 0 leaves arm i bit-for-bit unchanged and wSelf = 0 copies the other.
 *
 * @see K. P. Murphy (2007), "Conjugate Bayesian analysis of the Gaussian distribution", §6 (NIG prior).
 */
export function poolNig(
  arrays: NigArrays,
  i: number,
  wSelf: number,
  wOther: number,
  meanOther: number,
  kappaOther: number,
  shapeOther: number,
  rateOther: number,
): void {
  const kSelf = wSelf * arrays.kappa[i]!;
  const kOther = wOther * kappaOther;
  const kappa = kSelf + kOther;
  const meanSelf = arrays.mean[i]!;
  const gap = meanSelf - meanOther;
  arrays.kappa[i] = kappa;
  arrays.mean[i] = (kSelf / kappa) * meanSelf + (kOther / kappa) * meanOther;
  arrays.shape[i] = wSelf * arrays.shape[i]! + wOther * shapeOther;
  arrays.rate[i] = wSelf * arrays.rate[i]! + wOther * rateOther + (kOther === 0 || kSelf === 0 ? 0 : (0.5 * kSelf * kOther * gap * gap) / kappa);
}

/**
 * Conjugate update of arm `i` with one observation x (Murphy 2007, §6 posterior with n = 1):
 * m ← (κm + x)/(κ + 1), κ ← κ + 1, a ← a + ½, b ← b + κ(x − m)²/(2(κ + 1)).
 */
export function observeNig(arrays: NigArrays, i: number, x: number): void {
  const kappa = arrays.kappa[i]!;
  const mean = arrays.mean[i]!;
  const gap = x - mean;
  arrays.rate[i] = arrays.rate[i]! + (kappa * gap * gap) / (2 * (kappa + 1));
  arrays.mean[i] = mean + gap / (kappa + 1);
  arrays.kappa[i] = kappa + 1;
  arrays.shape[i] = arrays.shape[i]! + 0.5;
}

/**
 * One draw of μ from NIG(m, κ, a, b): precision τ ~ Gamma(shape a, rate b), then μ ~ N(m, 1/(κτ)).
 * Marginally μ is Student-t with 2a degrees of freedom, location m and scale² b/(aκ) (Murphy 2007, §6 posterior marginals).
 */
export function sampleNigMean(rng: Rng, mean: number, kappa: number, shape: number, rate: number): number {
  const precision = rng.gamma(shape, 1 / rate);
  return mean + rng.normal() / Math.sqrt(kappa * precision);
}
