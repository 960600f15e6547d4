import { ConfigError, Rng, parseState, rngStateSchema } from '@trading-ml/core';
import type { RngState } from '@trading-ml/core';
import type { TransferableBandit } from './types.js';
import { topK } from './top-k.js';
import { observeNig, poolNig, sampleNigMean } from './normal-inverse-gamma.js';
import type { NigArrays } from './normal-inverse-gamma.js';
import { finite, kindTag, perArm, positive, sameAs, snapshotOf, unitStep } from './snapshot-schemas.js';
import {
  requireArm,
  requireDiscount,
  requireFinite,
  requireInteger,
  requireK,
  requirePositive,
  requireRate,
  requireRng,
} from './validate.js';

/** Options of {@link GaussianThompson}. */
export interface GaussianThompsonOptions {
  /** Number of arms (integer ≥ 1). */
  readonly nArms: number;
  /** Seeded stream for the posterior draws; the bandit owns it from now on. */
  readonly rng: Rng;
  /** Prior mean m₀ of every arm's mean reward (reward units). Default 0. */
  readonly priorMean?: number;
  /** Prior pseudo-count κ₀ > 0 behind m₀ (observations). Default 1. */
  readonly priorKappa?: number;
  /** Prior inverse-gamma shape a₀ > 0 of the reward variance (half the prior's observations). Default 1. */
  readonly priorShape?: number;
  /** Prior inverse-gamma rate b₀ > 0 of the reward variance (reward units²). Default 1. */
  readonly priorRate?: number;
  /** Discount γ ∈ (0, 1] applied to every arm at each update; 1 = stationary. Default 1. */
  readonly discount?: number;
}

/** Snapshot of a {@link GaussianThompson}: configuration, posteriors and the rng stream. */
export interface GaussianThompsonState {
  readonly kind: 'gaussian-thompson';
  readonly nArms: number;
  readonly priorMean: number;
  readonly priorKappa: number;
  readonly priorShape: number;
  readonly priorRate: number;
  readonly discount: number;
  /** Posterior m of every arm, [nArms]. */
  readonly mean: number[];
  /** Posterior κ, [nArms]. */
  readonly kappa: number[];
  /** Posterior a, [nArms]. */
  readonly shape: number[];
  /** Posterior b, [nArms]. */
  readonly rate: number[];
  readonly rng: RngState;
}

/** One arm's Normal-Inverse-Gamma posterior: σ² ~ InvGamma(shape, rate), μ | σ² ~ N(mean, σ²/kappa). */
export interface NormalInverseGamma {
  readonly mean: number;
  readonly kappa: number;
  readonly shape: number;
  readonly rate: number;
}

const WHAT = 'GaussianThompson';

/** The schema of a {@link GaussianThompsonState} that fits a bandit of `nArms` arms. */
const stateSchema = (nArms: number) =>
  snapshotOf(WHAT, {
    kind: kindTag('gaussian-thompson'),
    nArms: sameAs(nArms, "this bandit's arm count"),
    priorMean: finite,
    priorKappa: positive,
    priorShape: positive,
    priorRate: positive,
    discount: unitStep,
    mean: perArm(nArms, finite),
    kappa: perArm(nArms, positive),
    shape: perArm(nArms, positive),
    rate: perArm(nArms, positive),
    rng: rngStateSchema,
  });

/**
 * Thompson sampling for real-valued rewards of unknown mean and scale, with a Normal-Inverse-Gamma posterior
 * per arm, optionally discounted for non-stationary rewards.
 *
 * `select(k)` draws σ² ~ InvGamma(a, b), then μ ~ N(m, σ²/κ) per arm and returns the k largest μ.
 * `update(arm, x)` first decays every arm toward the prior with weight γ, then applies the conjugate update
 * to the pulled arm. The decay, the update and {@link GaussianThompson.transferFrom} all act linearly on the
 * NIG natural parameters (κ, κm, a, 2b + κm²): κ, a and the mean's weight κm decay exactly as α, β do in
 * {@link BetaBernoulliThompson}, and b picks up the spread between the posterior and prior means (zero when
 * they agree). This is the discount of the sufficient statistics (n, Σx, Σx²) by γ per step, the Gaussian
 * counterpart of Raj & Kalyani's discounted Beta counts. (Decaying b alone, as α and β are, would drop the
 * disagreement between the data's mean and the prior's from the variance belief; the two agree when m = m₀.)
 *
 * @see K. P. Murphy (2007), "Conjugate Bayesian analysis of the Gaussian distribution", §6 (NIG prior and
 *   posterior).
 * @see V. Raj, S. Kalyani (2017), "Taming non-stationary bandits: a Bayesian approach", arXiv:1707.09727.
 * @see S. Agrawal, N. Goyal (2013), "Further optimal regret bounds for Thompson sampling", AISTATS (Gaussian TS).
 * @example
 * const bandit = new GaussianThompson({ nArms: 3, rng: Rng.fromSeed(1) });
 * bandit.update(0, 0.02);  // arm 0 returned 2 %
 * bandit.means();          // [0.01, 0, 0]  (m = (κ₀m₀ + x)/(κ₀ + 1))
 * bandit.select(2);        // two distinct arms, best draw first
 */
export class GaussianThompson implements TransferableBandit<GaussianThompsonState> {
  readonly nArms: number;
  private rng: Rng;
  private priorMean: number;
  private priorKappa: number;
  private priorShape: number;
  private priorRate: number;
  private discount: number;
  private readonly posteriors: NigArrays;
  private readonly scores: Float64Array;
  private readonly taken: Uint8Array;

  /**
   * @param options - see {@link GaussianThompsonOptions}.
   * @throws ConfigError on a non-integer or < 1 nArms, a missing rng, a non-finite prior mean, a non-positive
   *   κ₀, a₀ or b₀, or γ ∉ (0, 1].
   */
  constructor(options: GaussianThompsonOptions) {
    const { nArms, rng, priorMean = 0, priorKappa = 1, priorShape = 1, priorRate = 1, discount = 1 } = options;
    requireInteger('nArms', nArms, 1);
    requireRng(rng);
    requireFinite('priorMean', priorMean);
    requirePositive('priorKappa', priorKappa);
    requirePositive('priorShape', priorShape);
    requirePositive('priorRate', priorRate);
    requireDiscount('discount', discount);
    this.nArms = nArms;
    this.rng = rng;
    this.priorMean = priorMean;
    this.priorKappa = priorKappa;
    this.priorShape = priorShape;
    this.priorRate = priorRate;
    this.discount = discount;
    this.posteriors = {
      mean: new Float64Array(nArms).fill(priorMean),
      kappa: new Float64Array(nArms).fill(priorKappa),
      shape: new Float64Array(nArms).fill(priorShape),
      rate: new Float64Array(nArms).fill(priorRate),
    };
    this.scores = new Float64Array(nArms);
    this.taken = new Uint8Array(nArms);
  }

  /**
   * Draws one mean μ per arm from its posterior and returns the `k` arms with the largest draws.
   * @param k - number of distinct arms, 1 ≤ k ≤ nArms. Default 1.
   * @returns arm indices, best first.
   * @throws ConfigError unless k is an integer in [1, nArms].
   */
  select(k = 1): number[] {
    requireK(k, this.nArms);
    const { mean, kappa, shape, rate } = this.posteriors;
    for (let i = 0; i < this.nArms; i++) this.scores[i] = sampleNigMean(this.rng, mean[i]!, kappa[i]!, shape[i]!, rate[i]!);
    return topK(this.scores, k, this.taken);
  }

  /**
   * Discounts every arm toward the prior, then applies the conjugate update for one observed reward.
   * @param arm - index in [0, nArms).
   * @param reward - realized reward, any finite number (reward units, e.g. a log return).
   * @throws ConfigError on an arm out of range or a non-finite reward.
   */
  update(arm: number, reward: number): void {
    requireArm(arm, this.nArms);
    requireFinite('reward', reward);
    const gamma = this.discount;
    if (gamma < 1) {
      for (let i = 0; i < this.nArms; i++) {
        poolNig(this.posteriors, i, gamma, 1 - gamma, this.priorMean, this.priorKappa, this.priorShape, this.priorRate);
      }
    }
    observeNig(this.posteriors, arm, reward);
  }

  /**
   * Posterior mean m of every arm's mean reward.
   * @returns [nArms] in reward units.
   */
  means(): number[] {
    return Array.from(this.posteriors.mean);
  }

  /**
   * The Normal-Inverse-Gamma posterior of one arm.
   * @param arm - index in [0, nArms).
   * @returns { mean, kappa, shape, rate }.
   * @throws ConfigError on an arm out of range.
   */
  posterior(arm: number): NormalInverseGamma {
    requireArm(arm, this.nArms);
    const { mean, kappa, shape, rate } = this.posteriors;
    return { mean: mean[arm]!, kappa: kappa[arm]!, shape: shape[arm]!, rate: rate[arm]! };
  }

  /**
   * Preference transfer: moves every arm's natural parameters (κ, κm, a, 2b + κm²) a fraction `rate` toward
   * the source's. So κ and a blend plainly, m blends κ-weighted (a confident source moves the mean more than
   * a vague one, and the result is the posterior that pools the two as weighted evidence), and b blends plainly
   * plus the spread between the two means. The result is the log-linear pool p^(1−rate)·p_source^rate of the
   * two posteriors, still a NIG. Rate 0 changes nothing and rate 1 copies the source exactly. Prior, discount
   * and rng stay this bandit's own.
   * @param source - the bandit to move toward (not modified); same nArms.
   * @param rate - fraction in [0, 1].
   * @throws ConfigError when arm counts differ or rate ∉ [0, 1].
   */
  transferFrom(source: this, rate: number): void {
    if (!(source instanceof GaussianThompson) || source.nArms !== this.nArms) {
      throw new ConfigError({ parameter: 'source', value: source instanceof GaussianThompson ? `${source.nArms} arms` : typeof source, expected: `a GaussianThompson with ${this.nArms} arms` });
    }
    requireRate('rate', rate);
    if (source === this) return;
    const { mean, kappa, shape, rate: b } = source.posteriors;
    for (let i = 0; i < this.nArms; i++) poolNig(this.posteriors, i, 1 - rate, rate, mean[i]!, kappa[i]!, shape[i]!, b[i]!);
  }

  /**
   * The complete state as plain data (a copy; JSON-serialisable).
   * @returns configuration and learned parameters (and the rng stream for stochastic bandits).
   */
  snapshot(): GaussianThompsonState {
    return {
      kind: 'gaussian-thompson',
      nArms: this.nArms,
      priorMean: this.priorMean,
      priorKappa: this.priorKappa,
      priorShape: this.priorShape,
      priorRate: this.priorRate,
      discount: this.discount,
      mean: Array.from(this.posteriors.mean),
      kappa: Array.from(this.posteriors.kappa),
      shape: Array.from(this.posteriors.shape),
      rate: Array.from(this.posteriors.rate),
      rng: this.rng.snapshot(),
    };
  }

  /**
   * Replaces configuration, posteriors and rng stream with a snapshot's; the bandit then continues exactly
   * as the snapshotted one would.
   * @param state - from {@link GaussianThompson.snapshot} (possibly through JSON); not modified.
   * @throws StateError when the snapshot is malformed or has a different nArms.
   */
  restore(state: GaussianThompsonState): void {
    const s = parseState(WHAT, stateSchema(this.nArms), state);
    const rng = Rng.restore(s.rng);
    this.priorMean = s.priorMean;
    this.priorKappa = s.priorKappa;
    this.priorShape = s.priorShape;
    this.priorRate = s.priorRate;
    this.discount = s.discount;
    this.posteriors.mean.set(s.mean);
    this.posteriors.kappa.set(s.kappa);
    this.posteriors.shape.set(s.shape);
    this.posteriors.rate.set(s.rate);
    this.rng = rng;
  }
}
