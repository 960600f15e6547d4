import { ConfigError, parseState } from '@trading-ml/core';
import type { Snapshottable } from '@trading-ml/core';
import { finite, kindTag, perArm, sameAs, snapshotOf, unitStep } from './snapshot-schemas.js';
import { requireFinite, requireInteger } from './validate.js';

/** A regime as a hard index in [0, nRegimes) or as posterior probabilities [nRegimes] summing to 1. */
export type RegimeInput = number | ArrayLike<number>;

/** Options of {@link RegimeBaseline}. */
export interface RegimeBaselineOptions {
  /** Number of regimes (integer ≥ 1), e.g. 3 for an HMM's bear / neutral / bull. */
  readonly nRegimes: number;
  /** Step size η ∈ (0, 1] of the exponential moving average per regime. Default 0.05 (≈ 20-update memory). */
  readonly learningRate?: number;
  /** Starting baseline of every regime (reward units). Default 0. */
  readonly initialBaseline?: number;
}

/** Snapshot of a {@link RegimeBaseline}. */
export interface RegimeBaselineState {
  readonly kind: 'regime-baseline';
  readonly nRegimes: number;
  readonly learningRate: number;
  /** Baseline bᵣ of every regime, [nRegimes] (reward units). */
  readonly baselines: number[];
}

const WHAT = 'RegimeBaseline';
const PROBABILITY_TOLERANCE = 1e-6;

/** The schema of a {@link RegimeBaselineState} that fits a baseline of `nRegimes` regimes. */
const stateSchema = (nRegimes: number) =>
  snapshotOf(WHAT, {
    kind: kindTag('regime-baseline'),
    nRegimes: sameAs(nRegimes, "this baseline's regime count"),
    learningRate: unitStep,
    baselines: perArm(nRegimes, finite, 'regime'),
  });

/**
 * Per-regime reward baselines for advantage = reward − baseline(regime), with hard or soft (posterior) regimes.
 *
 * baseline(p) = Σᵣ pᵣ·bᵣ; update(reward, p) moves each bᵣ ← bᵣ + η·pᵣ·(reward − bᵣ), so a regime learns in
 * proportion to how likely it was. Call {@link RegimeBaseline.advantage} before {@link RegimeBaseline.update}
 * with the same reward, so the advantage is measured against what was known before the reward.
 *
 * @see R. J. Williams (1992), "Simple statistical gradient-following algorithms for connectionist reinforcement
 *   learning", Machine Learning 8 (REINFORCE with a reinforcement baseline).
 * @see R. S. Sutton, A. G. Barto (2018), "Reinforcement Learning: An Introduction", 2nd ed., §13.4
 *   (REINFORCE with baseline).
 * @example
 * const baseline = new RegimeBaseline({ nRegimes: 3, learningRate: 0.5 });
 * baseline.advantage(0.02, 2);          // 0.02 (baseline 0 before any update)
 * baseline.update(0.02, 2);             // b = [0, 0, 0.01]
 * baseline.baseline([0.2, 0.3, 0.5]);   // 0.005
 */
export class RegimeBaseline implements Snapshottable<RegimeBaselineState> {
  readonly nRegimes: number;
  private learningRate: number;
  private readonly values: Float64Array;

  /**
   * @param options - see {@link RegimeBaselineOptions}.
   * @throws ConfigError on a non-integer or < 1 nRegimes, η ∉ (0, 1] or a non-finite initial baseline.
   */
  constructor(options: RegimeBaselineOptions) {
    const { nRegimes, learningRate = 0.05, initialBaseline = 0 } = options;
    requireInteger('nRegimes', nRegimes, 1);
    if (!(learningRate > 0 && learningRate <= 1)) {
      throw new ConfigError({ parameter: 'learningRate', value: learningRate, expected: 'a number in (0, 1]' });
    }
    requireFinite('initialBaseline', initialBaseline);
    this.nRegimes = nRegimes;
    this.learningRate = learningRate;
    this.values = new Float64Array(nRegimes).fill(initialBaseline);
  }

  /**
   * The expected baseline under a regime: bᵣ for a hard index, Σᵣ pᵣ·bᵣ for probabilities.
   * @param regime - index in [0, nRegimes) or probabilities [nRegimes], each ≥ 0, summing to 1 (± 1e-6).
   * @returns baseline in reward units.
   * @throws ConfigError on an index out of range or invalid probabilities.
   */
  baseline(regime: RegimeInput): number {
    if (typeof regime === 'number') {
      this.requireRegimeIndex(regime);
      return this.values[regime]!;
    }
    this.requireProbabilities(regime);
    let sum = 0;
    for (let r = 0; r < this.nRegimes; r++) sum += regime[r]! * this.values[r]!;
    return sum;
  }

  /**
   * reward − baseline(regime), with the baseline as it stands (call before {@link RegimeBaseline.update}).
   * @param reward - realized reward, finite (reward units).
   * @param regime - index or probabilities, as in {@link RegimeBaseline.baseline}.
   * @returns the advantage in reward units.
   * @throws ConfigError on a non-finite reward or an invalid regime.
   */
  advantage(reward: number, regime: RegimeInput): number {
    requireFinite('reward', reward);
    return reward - this.baseline(regime);
  }

  /**
   * Moves every regime's baseline toward the reward in proportion to its probability: bᵣ ← bᵣ + η·pᵣ·(reward − bᵣ).
   * @param reward - realized reward, finite (reward units).
   * @param regime - index (pᵣ = 1 for that regime) or probabilities; not modified.
   * @throws ConfigError on a non-finite reward or an invalid regime.
   */
  update(reward: number, regime: RegimeInput): void {
    requireFinite('reward', reward);
    const eta = this.learningRate;
    if (typeof regime === 'number') {
      this.requireRegimeIndex(regime);
      this.values[regime] = this.values[regime]! + eta * (reward - this.values[regime]!);
      return;
    }
    this.requireProbabilities(regime);
    for (let r = 0; r < this.nRegimes; r++) this.values[r] = this.values[r]! + eta * regime[r]! * (reward - this.values[r]!);
  }

  /**
   * Every regime's baseline bᵣ.
   * @returns [nRegimes] in reward units (a copy).
   */
  baselines(): number[] {
    return Array.from(this.values);
  }

  /**
   * The complete state as plain data (a copy; JSON-serialisable).
   * @returns configuration and learned parameters (and the rng stream for stochastic bandits).
   */
  snapshot(): RegimeBaselineState {
    return { kind: 'regime-baseline', nRegimes: this.nRegimes, learningRate: this.learningRate, baselines: Array.from(this.values) };
  }

  /**
   * Replaces learning rate and baselines with a snapshot's.
   * @param state - from {@link RegimeBaseline.snapshot} (possibly through JSON); not modified.
   * @throws StateError when the snapshot is malformed or has a different nRegimes.
   */
  restore(state: RegimeBaselineState): void {
    const s = parseState(WHAT, stateSchema(this.nRegimes), state);
    this.learningRate = s.learningRate;
    this.values.set(s.baselines);
  }

  private requireRegimeIndex(regime: number): void {
    if (!Number.isSafeInteger(regime) || regime < 0 || regime >= this.nRegimes) {
      throw new ConfigError({ parameter: 'regime', value: regime, expected: `an integer in [0, ${this.nRegimes - 1}] or ${this.nRegimes} probabilities` });
    }
  }

  private requireProbabilities(probabilities: ArrayLike<number>): void {
    if (probabilities === null || typeof probabilities !== 'object' || probabilities.length !== this.nRegimes) {
      throw new ConfigError({ parameter: 'regimeProbabilities', value: probabilities, expected: `${this.nRegimes} probabilities (or a regime index)` });
    }
    let sum = 0;
    for (let r = 0; r < this.nRegimes; r++) {
      const p = probabilities[r]!;
      if (!(p >= 0 && p <= 1)) {
        throw new ConfigError({ parameter: `regimeProbabilities[${r}]`, value: p, expected: 'a probability in [0, 1]' });
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
      throw new ConfigError({ parameter: 'regimeProbabilities', value: Array.from(probabilities), expected: `probabilities summing to 1 (± ${PROBABILITY_TOLERANCE}), got sum ${sum}` });
    }
  }
}
