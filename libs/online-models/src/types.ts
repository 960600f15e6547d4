import type { Snapshottable } from '@trading-ml/core';

/**
 * An online regressor (river's two verbs): `predict(x)` first, then `update(x, y)` once the label y is
 * realized. Implementations never look at y inside `predict`.
 */
export interface OnlineRegressor<S = unknown> extends Snapshottable<S> {
  /** Number of input features (length of every x). */
  readonly nFeatures: number;
  /** Number of `update` calls so far. */
  readonly nUpdates: number;
  /** Prediction for one feature vector of length `nFeatures`; 0 before the first update. Does not mutate x. */
  predict(x: ArrayLike<number>): number;
  /** Learns from one realized pair; throws ConfigError on a wrong-length x or a non-finite value. */
  update(x: ArrayLike<number>, y: number): void;
}

/** Regime labels of the HMM detector, ordered by the mean of their emission (bear lowest). */
export type Regime = 'bear' | 'neutral' | 'bull';
export const REGIMES: readonly Regime[] = ['bear', 'neutral', 'bull'];
