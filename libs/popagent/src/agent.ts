import { GaussianThompson, RegimeBaseline } from '@trading-ml/bandits';
import type { Rng } from '@trading-ml/core';
import { clip } from './math.js';

/** Learning rate of each agent's per-regime reward baseline. */
export const BASELINE_LEARNING_RATE = 0.05;
/** Uniform regime posterior used before the HMM has one. */
const UNIFORM_REGIME: readonly number[] = [1 / 3, 1 / 3, 1 / 3];

/** Options of {@link PopAgentMember}. */
export interface PopAgentMemberOptions {
  /** Inventory size (bandit arms). */
  readonly nMethods: number;
  /** Methods selected per decision, 1 ≤ k ≤ nMethods. */
  readonly methodsPerDecision: number;
  /** Thompson-sampling discount γ ∈ (0, 1]. */
  readonly discount: number;
  /** Decisions over which the trailing realized reward is averaged. */
  readonly rankingWindow: number;
  /** Position bounds: [−1, 1] when true, [0, 1] when false. */
  readonly allowShort: boolean;
  /** The agent's own seeded stream (derived per agent). */
  readonly rng: Rng;
}

/**
 * One PopAgent agent: a discounted Gaussian Thompson sampler over the method inventory plus a per-regime
 * reward baseline. At each decision it samples k methods and holds the mean of their signals (clipped to
 * [0, 1] long-only or [−1, 1]). When the next bar's return r is realized, each selected method m earns the
 * risk-adjusted reward ρₘ = signalₘ·r/σ (σ the volatility forecast at decision time); the bandit learns the
 * advantage ρₘ − b(π) against the baseline of the regime posterior π at decision time, then the baseline learns
 * the mean selected reward.
 * @see W. R. Thompson (1933), Biometrika 25(3/4); D. Russo et al. (2018), "A tutorial on Thompson sampling", FnT ML
 *   11(1); V. Raj, S. Kalyani (2017), "Taming non-stationary bandits" (discounting); R. J. Williams (1992),
 *   "Simple statistical gradient-following algorithms" (reward baselines).
 * @example
 * const agent = new PopAgentMember({ nMethods: 14, methodsPerDecision: 3, discount: 0.99, rankingWindow: 42, allowShort: false, rng });
 * const position = agent.decide(signals, sigma, posterior); // at close t
 * agent.realize(returnNextBar);                              // at close t + 1
 */
export class PopAgentMember {
  readonly bandit: GaussianThompson;
  readonly baseline: RegimeBaseline;
  readonly methodsPerDecision: number;
  private readonly allowShort: boolean;
  /** Arms selected at the pending decision, [k]. */
  readonly selected: Int32Array;
  private readonly selectedSignals: Float64Array;
  private readonly decisionRegime = new Float64Array(3);
  private decisionSigma = 0;
  private pending = false;
  private currentPosition = 0;
  private readonly rewards: Float64Array;
  private rewardHead = 0;
  private rewardCount = 0;

  /** @param options - see {@link PopAgentMemberOptions}. @throws ConfigError from the bandit on invalid sizes or discount. */
  constructor(options: PopAgentMemberOptions) {
    this.bandit = new GaussianThompson({
      nArms: options.nMethods,
      rng: options.rng,
      priorMean: 0,
      priorKappa: 1,
      priorShape: 1,
      priorRate: 1,
      discount: options.discount,
    });
    this.baseline = new RegimeBaseline({ nRegimes: 3, learningRate: BASELINE_LEARNING_RATE });
    this.methodsPerDecision = options.methodsPerDecision;
    this.allowShort = options.allowShort;
    this.selected = new Int32Array(options.methodsPerDecision);
    this.selectedSignals = new Float64Array(options.methodsPerDecision);
    this.rewards = new Float64Array(options.rankingWindow);
  }

  /** The position of the latest decision, in [−1, 1]. */
  get position(): number {
    return this.currentPosition;
  }

  /**
   * Decides at a close: samples k methods and returns the mean of their signals, clipped.
   * @param signals - every method's signal at this close, [nMethods], each in [−1, 1].
   * @param sigma - volatility forecast of the next bar's return known now, or null (no reward will be learned).
   * @param regime - HMM posterior [bear, neutral, bull] now, or null (uniform).
   * @returns the agent's position in [0, 1] (or [−1, 1] with shorting).
   */
  decide(signals: ArrayLike<number>, sigma: number | null, regime: readonly number[] | null): number {
    const arms = this.bandit.select(this.methodsPerDecision);
    let sum = 0;
    for (let j = 0; j < arms.length; j++) {
      const arm = arms[j]!;
      const s = signals[arm]!;
      this.selected[j] = arm;
      this.selectedSignals[j] = s;
      sum += s;
    }
    const probs = regime ?? UNIFORM_REGIME;
    for (let r = 0; r < 3; r++) this.decisionRegime[r] = probs[r] ?? 0;
    this.decisionSigma = sigma ?? 0;
    this.pending = sigma !== null && sigma > 0;
    this.currentPosition = clip(sum / arms.length, this.allowShort ? -1 : 0, 1);
    return this.currentPosition;
  }

  /**
   * Learns from the realized return of the bar after the pending decision (called at the next close).
   * @param realizedReturn - simple return close_{t+1}/close_t − 1 of the decision's next bar.
   * @returns the agent's own risk-adjusted reward position·r/σ, or null when nothing was pending.
   */
  realize(realizedReturn: number): number | null {
    if (!this.pending) return null;
    this.pending = false;
    const scaled = realizedReturn / this.decisionSigma;
    const baseline = this.baseline.baseline(this.decisionRegime);
    let rewardSum = 0;
    for (let j = 0; j < this.methodsPerDecision; j++) {
      const reward = this.selectedSignals[j]! * scaled;
      rewardSum += reward;
      this.bandit.update(this.selected[j]!, reward - baseline);
    }
    this.baseline.update(rewardSum / this.methodsPerDecision, this.decisionRegime);
    const own = this.currentPosition * scaled;
    this.rewards[this.rewardHead] = own;
    this.rewardHead = (this.rewardHead + 1) % this.rewards.length;
    if (this.rewardCount < this.rewards.length) this.rewardCount++;
    return own;
  }

  /** Mean realized reward over the last `rankingWindow` realized decisions (0 before the first). */
  trailingReward(): number {
    if (this.rewardCount === 0) return 0;
    let sum = 0;
    for (let j = 0; j < this.rewardCount; j++) sum += this.rewards[j]!;
    return sum / this.rewardCount;
  }
}
