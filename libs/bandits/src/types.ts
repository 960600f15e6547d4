import type { Snapshottable } from '@trading-ml/core';

/**
 * A multi-armed bandit over `nArms` arms. Stochastic policies draw from the seeded `Rng` they were built with.
 */
export interface Bandit<S = unknown> extends Snapshottable<S> {
  readonly nArms: number;
  /**
   * Picks `k` distinct arms (default 1), best first by the policy's score (a posterior draw for Thompson
   * sampling, an upper confidence bound for UCB1). Throws ConfigError unless 1 ≤ k ≤ nArms.
   */
  select(k?: number): number[];
  /** Records the realized reward of a pulled arm. */
  update(arm: number, reward: number): void;
  /** Posterior (or empirical) mean reward of every arm. */
  means(): number[];
}

/** A bandit whose posterior can be pulled toward another's (PopAgent preference transfer). */
export interface TransferableBandit<S = unknown> extends Bandit<S> {
  /**
   * Moves this bandit's posterior parameters a fraction `rate` ∈ [0, 1] of the way toward `source`'s:
   * p ← (1 − rate)·p + rate·p_source. Throws ConfigError when arm counts differ or rate is out of range.
   */
  transferFrom(source: this, rate: number): void;
}
