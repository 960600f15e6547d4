import { z } from 'zod';
import { ConfigError, Rng, parseState, rngStateSchema } from '@trading-ml/core';
import type { RngState } from '@trading-ml/core';
import type { TransferableBandit } from './types.js';
import { topK } from './top-k.js';
import { kindTag, perArm, positive, sameAs, snapshotOf, unitStep } from './snapshot-schemas.js';
import {
  requireArm,
  requireDiscount,
  requireInteger,
  requireK,
  requirePositive,
  requireRate,
  requireRng,
} from './validate.js';

/** How a reward strictly between 0 and 1 updates a Beta posterior. */
export type FractionalRewards = 'fractional' | 'bernoulli-trial';

/** Options of {@link BetaBernoulliThompson}. */
export interface BetaBernoulliThompsonOptions {
  /** Number of arms (integer ≥ 1). */
  readonly nArms: number;
  /** Seeded stream for the posterior draws (and the Bernoulli trials); the bandit owns it from now on. */
  readonly rng: Rng;
  /** Prior α₀ > 0 of every arm (pseudo-successes). Default 1 (uniform prior). */
  readonly priorAlpha?: number;
  /** Prior β₀ > 0 of every arm (pseudo-failures). Default 1. */
  readonly priorBeta?: number;
  /** Discount γ ∈ (0, 1] applied to every arm at each update; 1 = stationary. Default 1. */
  readonly discount?: number;
  /**
   * 'fractional' (default): α += r, β += 1 − r. 'bernoulli-trial': draw r̃ ~ Bernoulli(r), then α += r̃,
   * β += 1 − r̃ (Agrawal & Goyal 2012, Algorithm 2), which keeps the posterior a true Beta-Bernoulli one.
   */
  readonly fractionalRewards?: FractionalRewards;
}

/** Snapshot of a {@link BetaBernoulliThompson}: configuration, posteriors and the rng stream. */
export interface BetaBernoulliThompsonState {
  readonly kind: 'beta-bernoulli-thompson';
  readonly nArms: number;
  readonly priorAlpha: number;
  readonly priorBeta: number;
  readonly discount: number;
  readonly fractionalRewards: FractionalRewards;
  /** Posterior α of every arm, [nArms]. */
  readonly alpha: number[];
  /** Posterior β of every arm, [nArms]. */
  readonly beta: number[];
  readonly rng: RngState;
}

const WHAT = 'BetaBernoulliThompson';

/** The schema of a {@link BetaBernoulliThompsonState} that fits a bandit of `nArms` arms. */
const stateSchema = (nArms: number) =>
  snapshotOf(WHAT, {
    kind: kindTag('beta-bernoulli-thompson'),
    nArms: sameAs(nArms, "this bandit's arm count"),
    priorAlpha: positive,
    priorBeta: positive,
    discount: unitStep,
    fractionalRewards: z.enum(['fractional', 'bernoulli-trial'], "'fractional' or 'bernoulli-trial'"),
    alpha: perArm(nArms, positive),
    beta: perArm(nArms, positive),
    rng: rngStateSchema,
  });

/**
 * Thompson sampling with a Beta posterior per arm, for rewards in [0, 1], optionally discounted for
 * non-stationary rewards.
 *
 * `select(k)` draws θᵢ ~ Beta(αᵢ, βᵢ) once per arm and returns the k arms with the largest draws.
 * `update(arm, r)` first decays every arm toward the prior, α ← γα + (1 − γ)α₀ and β ← γβ + (1 − γ)β₀
 * (Raj & Kalyani 2017; a no-op when γ = 1), then adds the reward to the pulled arm.
 *
 * @see W. R. Thompson (1933), "On the likelihood that one unknown probability exceeds another in view of the
 *   evidence of two samples", Biometrika 25(3/4).
 * @see S. Agrawal, N. Goyal (2012), "Analysis of Thompson Sampling for the multi-armed bandit problem", COLT
 *   (Algorithm 2: rewards in [0, 1] through a Bernoulli trial).
 * @see V. Raj, S. Kalyani (2017), "Taming non-stationary bandits: a Bayesian approach", arXiv:1707.09727
 *   (discounted Thompson sampling).
 * @example
 * const bandit = new BetaBernoulliThompson({ nArms: 3, rng: Rng.fromSeed(1) });
 * const [arm] = bandit.select();     // e.g. 2
 * bandit.update(arm!, 1);            // arm 2 paid off
 * bandit.means();                    // [0.5, 0.5, 0.6667] when arm was 2
 */
export class BetaBernoulliThompson implements TransferableBandit<BetaBernoulliThompsonState> {
  readonly nArms: number;
  private rng: Rng;
  private priorAlpha: number;
  private priorBeta: number;
  private discount: number;
  private fractionalRewards: FractionalRewards;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly scores: Float64Array;
  private readonly taken: Uint8Array;

  /**
   * @param options - see {@link BetaBernoulliThompsonOptions}.
   * @throws ConfigError on a non-integer or < 1 nArms, a missing rng, a non-positive prior, γ ∉ (0, 1] or an
   *   unknown fractionalRewards mode.
   */
  constructor(options: BetaBernoulliThompsonOptions) {
    const { nArms, rng, priorAlpha = 1, priorBeta = 1, discount = 1, fractionalRewards = 'fractional' } = options;
    requireInteger('nArms', nArms, 1);
    requireRng(rng);
    requirePositive('priorAlpha', priorAlpha);
    requirePositive('priorBeta', priorBeta);
    requireDiscount('discount', discount);
    if (fractionalRewards !== 'fractional' && fractionalRewards !== 'bernoulli-trial') {
      throw new ConfigError({ parameter: 'fractionalRewards', value: fractionalRewards, expected: "'fractional' or 'bernoulli-trial'" });
    }
    this.nArms = nArms;
    this.rng = rng;
    this.priorAlpha = priorAlpha;
    this.priorBeta = priorBeta;
    this.discount = discount;
    this.fractionalRewards = fractionalRewards;
    this.alpha = new Float64Array(nArms).fill(priorAlpha);
    this.beta = new Float64Array(nArms).fill(priorBeta);
    this.scores = new Float64Array(nArms);
    this.taken = new Uint8Array(nArms);
  }

  /**
   * Draws one posterior sample per arm and returns the `k` arms with the largest samples.
   * @param k - number of distinct arms, 1 ≤ k ≤ nArms. Default 1.
   * @returns arm indices, best first.
   * @throws ConfigError unless k is an integer in [1, nArms].
   */
  select(k = 1): number[] {
    requireK(k, this.nArms);
    for (let i = 0; i < this.nArms; i++) this.scores[i] = this.rng.beta(this.alpha[i]!, this.beta[i]!);
    return topK(this.scores, k, this.taken);
  }

  /**
   * Discounts every arm toward the prior, then adds a realized reward to the pulled arm.
   * @param arm - index in [0, nArms).
   * @param reward - realized reward in [0, 1] (1 = success).
   * @throws ConfigError on an arm out of range or a reward outside [0, 1].
   */
  update(arm: number, reward: number): void {
    requireArm(arm, this.nArms);
    if (!(reward >= 0 && reward <= 1)) {
      throw new ConfigError({ parameter: 'reward', value: reward, expected: 'a number in [0, 1] (rescale rewards for BetaBernoulliThompson, or use GaussianThompson)' });
    }
    let r = reward;
    if (this.fractionalRewards === 'bernoulli-trial' && r > 0 && r < 1) r = this.rng.bernoulli(r) ? 1 : 0;
    const gamma = this.discount;
    if (gamma < 1) {
      const keep = 1 - gamma;
      const a0 = keep * this.priorAlpha;
      const b0 = keep * this.priorBeta;
      for (let i = 0; i < this.nArms; i++) {
        this.alpha[i] = gamma * this.alpha[i]! + a0;
        this.beta[i] = gamma * this.beta[i]! + b0;
      }
    }
    this.alpha[arm] = this.alpha[arm]! + r;
    this.beta[arm] = this.beta[arm]! + (1 - r);
  }

  /**
   * Posterior mean α/(α + β) of every arm.
   * @returns [nArms] probabilities.
   */
  means(): number[] {
    const out = new Array<number>(this.nArms);
    for (let i = 0; i < this.nArms; i++) out[i] = this.alpha[i]! / (this.alpha[i]! + this.beta[i]!);
    return out;
  }

  /**
   * The Beta posterior of one arm.
   * @param arm - index in [0, nArms).
   * @returns { alpha, beta }.
   * @throws ConfigError on an arm out of range.
   */
  posterior(arm: number): { alpha: number; beta: number } {
    requireArm(arm, this.nArms);
    return { alpha: this.alpha[arm]!, beta: this.beta[arm]! };
  }

  /**
   * Preference transfer: α ← (1 − rate)·α + rate·α_source and the same for β, arm by arm. Blending Beta
   * parameters linearly is a geometric (log-linear) pooling of the two posteriors, so the result is again a
   * Beta posterior whose pseudo-counts interpolate the two. Prior, discount and rng stay this bandit's own.
   * @param source - the bandit to move toward (not modified); same nArms.
   * @param rate - fraction in [0, 1]; 0 changes nothing, 1 copies the source posterior.
   * @throws ConfigError when arm counts differ or rate ∉ [0, 1].
   */
  transferFrom(source: this, rate: number): void {
    if (!(source instanceof BetaBernoulliThompson) || source.nArms !== this.nArms) {
      throw new ConfigError({ parameter: 'source', value: source instanceof BetaBernoulliThompson ? `${source.nArms} arms` : typeof source, expected: `a BetaBernoulliThompson with ${this.nArms} arms` });
    }
    requireRate('rate', rate);
    const keep = 1 - rate;
    for (let i = 0; i < this.nArms; i++) {
      this.alpha[i] = keep * this.alpha[i]! + rate * source.alpha[i]!;
      this.beta[i] = keep * this.beta[i]! + rate * source.beta[i]!;
    }
  }

  /**
   * The complete state as plain data (a copy; JSON-serialisable).
   * @returns configuration and learned parameters (and the rng stream for stochastic bandits).
   */
  snapshot(): BetaBernoulliThompsonState {
    return {
      kind: 'beta-bernoulli-thompson',
      nArms: this.nArms,
      priorAlpha: this.priorAlpha,
      priorBeta: this.priorBeta,
      discount: this.discount,
      fractionalRewards: this.fractionalRewards,
      alpha: Array.from(this.alpha),
      beta: Array.from(this.beta),
      rng: this.rng.snapshot(),
    };
  }

  /**
   * Replaces configuration, posteriors and rng stream with a snapshot's; the bandit then continues exactly
   * as the snapshotted one would.
   * @param state - from {@link BetaBernoulliThompson.snapshot} (possibly through JSON); not modified.
   * @throws StateError when the snapshot is malformed or has a different nArms.
   */
  restore(state: BetaBernoulliThompsonState): void {
    const s = parseState(WHAT, stateSchema(this.nArms), state);
    const rng = Rng.restore(s.rng);
    this.priorAlpha = s.priorAlpha;
    this.priorBeta = s.priorBeta;
    this.discount = s.discount;
    this.fractionalRewards = s.fractionalRewards;
    this.alpha.set(s.alpha);
    this.beta.set(s.beta);
    this.rng = rng;
  }
}
