import { parseState } from '@trading-ml/core';
import type { Bandit } from './types.js';
import { topK } from './top-k.js';
import { count, finite, kindTag, nonNegative, perArm, sameAs, snapshotOf } from './snapshot-schemas.js';
import { requireArm, requireFinite, requireInteger, requireK, requireNonNegative } from './validate.js';

/** Options of {@link UCB1}. */
export interface UCB1Options {
  /** Number of arms (integer ≥ 1). */
  readonly nArms: number;
  /** Exploration constant c ≥ 0 in x̄ᵢ + c·√(ln n / nᵢ). Default √2, Auer et al.'s UCB1 for rewards in [0, 1]. */
  readonly exploration?: number;
}

/** Snapshot of a {@link UCB1}: configuration and per-arm pull counts and reward sums. */
export interface UCB1State {
  readonly kind: 'ucb1';
  readonly nArms: number;
  readonly exploration: number;
  /** Pulls nᵢ of every arm, [nArms]. */
  readonly pulls: number[];
  /** Sum of the rewards of every arm, [nArms] (reward units). */
  readonly rewardSums: number[];
}

const WHAT = 'UCB1';

/** The schema of a {@link UCB1State} that fits a bandit of `nArms` arms. */
const stateSchema = (nArms: number) =>
  snapshotOf(WHAT, {
    kind: kindTag('ucb1'),
    nArms: sameAs(nArms, "this bandit's arm count"),
    exploration: nonNegative,
    pulls: perArm(nArms, count),
    rewardSums: perArm(nArms, finite),
  });

/**
 * UCB1: play every arm once (lowest index first), then the arm with the largest upper confidence bound
 * x̄ᵢ + c·√(ln n / nᵢ), where n is the total number of updates. Deterministic: ties go to the lower index.
 *
 * @see P. Auer, N. Cesa-Bianchi, P. Fischer (2002), "Finite-time analysis of the multiarmed bandit problem",
 *   Machine Learning 47, Fig. 1 (UCB1; c = √2 gives its √(2 ln n / nᵢ) bonus).
 * @example
 * const bandit = new UCB1({ nArms: 2 });
 * bandit.select();        // [0]  (unplayed arms first)
 * bandit.update(0, 1);
 * bandit.select();        // [1]
 * bandit.update(1, 0);
 * bandit.upperConfidenceBounds(); // [1 + √(2 ln 2), √(2 ln 2)] ≈ [2.1774, 1.1774]
 */
export class UCB1 implements Bandit<UCB1State> {
  readonly nArms: number;
  private exploration: number;
  private readonly pulls: Float64Array;
  private readonly rewardSums: Float64Array;
  private totalPulls = 0;
  private readonly scores: Float64Array;
  private readonly taken: Uint8Array;

  /**
   * @param options - see {@link UCB1Options}.
   * @throws ConfigError on a non-integer or < 1 nArms or a negative or non-finite exploration constant.
   */
  constructor(options: UCB1Options) {
    const { nArms, exploration = Math.SQRT2 } = options;
    requireInteger('nArms', nArms, 1);
    requireNonNegative('exploration', exploration);
    this.nArms = nArms;
    this.exploration = exploration;
    this.pulls = new Float64Array(nArms);
    this.rewardSums = new Float64Array(nArms);
    this.scores = new Float64Array(nArms);
    this.taken = new Uint8Array(nArms);
  }

  /**
   * The `k` arms with the largest upper confidence bounds (unplayed arms count as +∞).
   * @param k - number of distinct arms, 1 ≤ k ≤ nArms. Default 1.
   * @returns arm indices, best first; ties by lowest index.
   * @throws ConfigError unless k is an integer in [1, nArms].
   */
  select(k = 1): number[] {
    requireK(k, this.nArms);
    this.fillBounds();
    return topK(this.scores, k, this.taken);
  }

  /**
   * Records a realized reward of a pulled arm.
   * @param arm - index in [0, nArms).
   * @param reward - realized reward, finite (UCB1's guarantee assumes [0, 1]; scale c with the reward range).
   * @throws ConfigError on an arm out of range or a non-finite reward.
   */
  update(arm: number, reward: number): void {
    requireArm(arm, this.nArms);
    requireFinite('reward', reward);
    this.pulls[arm] = this.pulls[arm]! + 1;
    this.rewardSums[arm] = this.rewardSums[arm]! + reward;
    this.totalPulls += 1;
  }

  /**
   * Empirical mean reward x̄ᵢ of every arm; 0 for an arm never played.
   * @returns [nArms] in reward units.
   */
  means(): number[] {
    const out = new Array<number>(this.nArms);
    for (let i = 0; i < this.nArms; i++) out[i] = this.pulls[i]! > 0 ? this.rewardSums[i]! / this.pulls[i]! : 0;
    return out;
  }

  /**
   * The UCB1 index x̄ᵢ + c·√(ln n / nᵢ) of every arm; +∞ for an arm never played.
   * @returns [nArms].
   */
  upperConfidenceBounds(): number[] {
    this.fillBounds();
    return Array.from(this.scores);
  }

  /**
   * The complete state as plain data (a copy; JSON-serialisable).
   * @returns configuration and learned parameters (and the rng stream for stochastic bandits).
   */
  snapshot(): UCB1State {
    return {
      kind: 'ucb1',
      nArms: this.nArms,
      exploration: this.exploration,
      pulls: Array.from(this.pulls),
      rewardSums: Array.from(this.rewardSums),
    };
  }

  /**
   * Replaces configuration, counts and sums with a snapshot's.
   * @param state - from {@link UCB1.snapshot} (possibly through JSON); not modified.
   * @throws StateError when the snapshot is malformed or has a different nArms.
   */
  restore(state: UCB1State): void {
    const s = parseState(WHAT, stateSchema(this.nArms), state);
    this.exploration = s.exploration;
    this.pulls.set(s.pulls);
    this.rewardSums.set(s.rewardSums);
    this.totalPulls = s.pulls.reduce((sum, n) => sum + n, 0);
  }

  private fillBounds(): void {
    const logTotal = this.totalPulls > 0 ? Math.log(this.totalPulls) : 0;
    for (let i = 0; i < this.nArms; i++) {
      const n = this.pulls[i]!;
      this.scores[i] = n === 0 ? Infinity : this.rewardSums[i]! / n + this.exploration * Math.sqrt(logTotal / n);
    }
  }
}
