import { z } from 'zod';
import { GaussianThompson, RegimeBaseline } from '@trading-ml/bandits';
import { ConfigError, parseState } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';
import { clip } from './math.js';
import { restoreParts } from './state.js';

/** Learning rate of each agent's per-regime reward baseline. */
export const BASELINE_LEARNING_RATE = 0.05;
/** Uniform regime posterior used before the HMM has one. */
const UNIFORM_REGIME: readonly number[] = [1 / 3, 1 / 3, 1 / 3];

/** Plain-data state of a {@link PopAgentMember}. */
export interface PopAgentMemberState {
  readonly methodsPerDecision: number;
  readonly rankingWindow: number;
  /** The Thompson sampler's snapshot (posteriors and its random stream). */
  readonly bandit: unknown;
  /** The regime baseline's snapshot. */
  readonly baseline: unknown;
  /** Arms of the latest decision, and their signals then. */
  readonly selected: number[];
  readonly selectedSignals: number[];
  /** Regime posterior and σ at the latest decision. */
  readonly decisionRegime: number[];
  readonly decisionSigma: number;
  /** Whether the latest decision still waits for its outcome. */
  readonly pending: boolean;
  readonly position: number;
  /** Ring buffer of realized rewards, [rankingWindow], with its head and fill count. */
  readonly rewards: number[];
  readonly rewardHead: number;
  readonly rewardCount: number;
}

function stateSchema(nMethods: number) {
  const arm = z.number().int().min(0).max(nMethods - 1);
  return z
    .object({
      methodsPerDecision: z.number().int().min(1).max(nMethods),
      rankingWindow: z.number().int().min(1),
      bandit: z.unknown(),
      baseline: z.unknown(),
      selected: z.array(arm).max(nMethods),
      selectedSignals: z.array(z.number()).max(nMethods),
      decisionRegime: z.array(z.number().nonnegative()).length(3, 'an array of 3 probabilities'),
      decisionSigma: z.number().nonnegative(),
      pending: z.boolean(),
      position: z.number().min(-1).max(1),
      rewards: z.array(z.number()),
      rewardHead: z.number().int().nonnegative(),
      rewardCount: z.number().int().nonnegative(),
    })
    .refine((s) => s.selectedSignals.length === s.selected.length, { path: ['selectedSignals'], message: 'one signal per selected arm' })
    .refine((s) => new Set(s.selected).size === s.selected.length, { path: ['selected'], message: 'distinct arms' })
    .refine((s) => s.rewards.length === s.rankingWindow, { path: ['rewards'], message: 'rankingWindow rewards' })
    .refine((s) => s.rewardHead < s.rankingWindow && s.rewardCount <= s.rankingWindow, { path: ['rewardCount'], message: 'head < rankingWindow and count ≤ rankingWindow' })
    .refine((s) => !s.pending || (s.decisionSigma > 0 && s.selected.length > 0), { path: ['pending'], message: 'false unless σ > 0 and arms were selected' });
}

function requireMethodsPerDecision(k: number, nMethods: number): number {
  if (!Number.isInteger(k) || k < 1 || k > nMethods) {
    throw new ConfigError({ parameter: 'methodsPerDecision', value: k, expected: `an integer in [1, ${nMethods}] (the inventory size)` });
  }
  return k;
}

function requireRankingWindow(window: number): number {
  if (!Number.isInteger(window) || window < 1) throw new ConfigError({ parameter: 'rankingWindow', value: window, expected: 'an integer ≥ 1 (decisions)' });
  return window;
}

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
  /** Inventory size (bandit arms). */
  readonly nMethods: number;
  private k: number;
  private readonly allowShort: boolean;
  /** Arms selected at the latest decision in [0, selectedCount), capacity nMethods (k may change between decisions). */
  private readonly selectedArms: Int32Array;
  private readonly selectedSignals: Float64Array;
  private selectedCount = 0;
  private readonly decisionRegime = new Float64Array(3);
  private decisionSigma = 0;
  private pending = false;
  private currentPosition = 0;
  private rewards: Float64Array;
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
    this.nMethods = options.nMethods;
    this.k = requireMethodsPerDecision(options.methodsPerDecision, options.nMethods);
    this.allowShort = options.allowShort;
    this.selectedArms = new Int32Array(options.nMethods);
    this.selectedSignals = new Float64Array(options.nMethods);
    this.rewards = new Float64Array(requireRankingWindow(options.rankingWindow));
  }

  /** Methods selected per decision, k. */
  get methodsPerDecision(): number {
    return this.k;
  }

  /** Decisions over which the trailing realized reward is averaged. */
  get rankingWindow(): number {
    return this.rewards.length;
  }

  /** Arms selected at the latest decision, best draw first, [k] (a view: copy it to keep it). */
  get selected(): Int32Array {
    return this.selectedArms.subarray(0, this.selectedCount);
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
    const arms = this.bandit.select(this.k);
    let sum = 0;
    for (let j = 0; j < arms.length; j++) {
      const arm = arms[j]!;
      const s = signals[arm]!;
      this.selectedArms[j] = arm;
      this.selectedSignals[j] = s;
      sum += s;
    }
    this.selectedCount = arms.length;
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
    const count = this.selectedCount;
    for (let j = 0; j < count; j++) {
      const reward = this.selectedSignals[j]! * scaled;
      rewardSum += reward;
      this.bandit.update(this.selectedArms[j]!, reward - baseline);
    }
    this.baseline.update(rewardSum / count, this.decisionRegime);
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

  /**
   * Changes k from the next decision on (the pending decision is still rewarded on its own arms).
   * @param k - integer in [1, nMethods].
   * @throws ConfigError naming methodsPerDecision otherwise.
   */
  setMethodsPerDecision(k: number): void {
    this.k = requireMethodsPerDecision(k, this.nMethods);
  }

  /**
   * Changes the ranking window, keeping the latest min(count, window) realized rewards.
   * @param window - decisions, integer ≥ 1.
   * @throws ConfigError naming rankingWindow otherwise.
   */
  setRankingWindow(window: number): void {
    requireRankingWindow(window);
    if (window === this.rewards.length) return;
    const kept = Math.min(this.rewardCount, window);
    const next = new Float64Array(window);
    const length = this.rewards.length;
    // Oldest kept first: slot (head − kept + j) of the old ring, j = 0 … kept − 1.
    for (let j = 0; j < kept; j++) next[j] = this.rewards[(this.rewardHead - kept + j + length) % length]!;
    this.rewards = next;
    this.rewardHead = kept % window;
    this.rewardCount = kept;
  }

  /**
   * Changes the Thompson-sampling discount γ from the next update on.
   * @param discount - γ ∈ (0, 1].
   * @throws ConfigError naming discount otherwise.
   */
  setDiscount(discount: number): void {
    if (!(discount > 0 && discount <= 1)) throw new ConfigError({ parameter: 'discount', value: discount, expected: 'a number in (0, 1]' });
    // GaussianThompson has no setter; its own snapshot/restore carries the discount (and keeps its stream).
    this.bandit.restore({ ...this.bandit.snapshot(), discount });
  }

  /** The complete state as plain data (bandit, baseline, pending decision and reward window). */
  snapshot(): PopAgentMemberState {
    return {
      methodsPerDecision: this.k,
      rankingWindow: this.rewards.length,
      bandit: this.bandit.snapshot(),
      baseline: this.baseline.snapshot(),
      selected: Array.from(this.selected),
      selectedSignals: Array.from(this.selectedSignals.subarray(0, this.selectedCount)),
      decisionRegime: Array.from(this.decisionRegime),
      decisionSigma: this.decisionSigma,
      pending: this.pending,
      position: this.currentPosition,
      rewards: Array.from(this.rewards),
      rewardHead: this.rewardHead,
      rewardCount: this.rewardCount,
    };
  }

  /**
   * Replaces the whole state with a snapshot's, k and the ranking window included (all or nothing).
   * @param state - from {@link PopAgentMember.snapshot} (possibly through JSON); not modified.
   * @throws StateError naming the field (e.g. "bandit.mean.2", "rewards") when it does not fit this agent.
   */
  restore(state: PopAgentMemberState): void {
    const s = parseState('PopAgentMember', stateSchema(this.nMethods), state);
    restoreParts('PopAgentMember', [
      ['bandit', this.bandit, s.bandit],
      ['baseline', this.baseline, s.baseline],
    ]);
    this.k = s.methodsPerDecision;
    this.selectedArms.set(s.selected);
    this.selectedSignals.set(s.selectedSignals);
    this.selectedCount = s.selected.length;
    this.decisionRegime.set(s.decisionRegime);
    this.decisionSigma = s.decisionSigma;
    this.pending = s.pending;
    this.currentPosition = s.position;
    this.rewards = Float64Array.from(s.rewards);
    this.rewardHead = s.rewardHead;
    this.rewardCount = s.rewardCount;
  }
}
