// Internal numerics of the Gaussian-emission HMM: one normalised forward step and the conjugate posteriors.
// Kept free of state so the detector class reads as "filter, accumulate, learn, relabel".

/** Standardised residuals are capped here so z² stays finite: any larger value is already "impossible". */
const MAX_STANDARD_SCORE = 1e150;
/** Observations are clipped to ±this before entering the sufficient statistics, so squares stay finite. */
export const MAX_LEARNED_MAGNITUDE = 1e100;

/**
 * One forward step of Rabiner's scaled forward algorithm (eq. 19–20 with the scaling of §V.A), computed in the
 * log domain: filtered_k ∝ predicted_k · N(r; μ_k, σ²_k), normalised to sum to 1. Never NaN for a finite r:
 * the largest term is exp(0) = 1 and every predicted_k is positive.
 * @param predicted - P(state_t = k | r_1..t−1), [K], positive, sums to 1.
 * @param means - emission means μ_k, [K].
 * @param variances - emission variances σ²_k > 0, [K].
 * @param ret - the observation r_t.
 * @param filtered - output P(state_t = k | r_1..t), [K].
 */
export function forwardStep(
  predicted: ArrayLike<number>,
  means: ArrayLike<number>,
  variances: ArrayLike<number>,
  ret: number,
  filtered: Float64Array,
): void {
  const k = filtered.length;
  let max = -Infinity;
  for (let s = 0; s < k; s++) {
    const variance = variances[s]!;
    const z = Math.min(Math.abs(ret - means[s]!) / Math.sqrt(variance), MAX_STANDARD_SCORE);
    const logTerm = Math.log(predicted[s]!) - 0.5 * Math.log(2 * Math.PI * variance) - 0.5 * z * z;
    filtered[s] = logTerm;
    if (logTerm > max) max = logTerm;
  }
  let total = 0;
  for (let s = 0; s < k; s++) {
    const weight = Math.exp(filtered[s]! - max);
    filtered[s] = weight;
    total += weight;
  }
  for (let s = 0; s < k; s++) filtered[s] = filtered[s]! / total;
}

/** predicted_j = Σ_i filtered_i · A_ij (row-major A, [K, K]). */
export function propagate(filtered: ArrayLike<number>, transition: ArrayLike<number>, out: Float64Array): void {
  const k = out.length;
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += filtered[i]! * transition[i * k + j]!;
    out[j] = sum;
  }
}

/** Normal-Gamma prior on one state's emission mean μ and precision τ: μ | τ ~ N(mean, 1/(κτ)), τ ~ Gamma(shape, rate). */
export interface NormalGammaPrior {
  readonly mean: number;
  readonly kappa: number;
  readonly shape: number;
  readonly rate: number;
}

/** Weighted sufficient statistics: total weight W, weighted mean x̄, weighted sum of squared deviations S. */
export interface WeightedMoments {
  readonly weight: number;
  readonly mean: number;
  readonly squares: number;
}

/**
 * Posterior point estimates of a Normal-Gamma model after weighted data: the posterior mean of μ and the
 * variance 1/E[τ] = rate_n / shape_n.
 *   κₙ = κ₀ + W, μₙ = (κ₀μ₀ + W x̄)/κₙ, aₙ = a₀ + W/2, bₙ = b₀ + S/2 + κ₀W(x̄ − μ₀)²/(2κₙ).
 * @see K. P. Murphy (2007), "Conjugate Bayesian analysis of the Gaussian distribution", §3 (Normal-Gamma posterior).
 */
export function normalGammaPosterior(prior: NormalGammaPrior, data: WeightedMoments): { mean: number; variance: number } {
  const kappa = prior.kappa + data.weight;
  const mean = (prior.kappa * prior.mean + data.weight * data.mean) / kappa;
  const shape = prior.shape + data.weight / 2;
  const gap = data.mean - prior.mean;
  const rate = prior.rate + data.squares / 2 + (prior.kappa * data.weight * gap * gap) / (2 * kappa);
  return { mean, variance: rate / shape };
}

/**
 * Adds one observation x with weight w to forgotten weighted moments (West's incremental weighted variance).
 * @see D. H. D. West (1979), "Updating mean and variance estimates: an improved method", CACM 22(9).
 */
export function addWeighted(moments: WeightedMoments, x: number, w: number): WeightedMoments {
  const weight = moments.weight + w;
  if (!(weight > 0)) return moments;
  const delta = x - moments.mean;
  const mean = moments.mean + (w / weight) * delta;
  return { weight, mean, squares: moments.squares + w * delta * (x - mean) };
}

/** Indices that sort `values` ascending (stable). */
export function ascendingOrder(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
}
