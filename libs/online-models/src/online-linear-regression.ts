import { parseState } from '@trading-ml/core';
import { z } from 'zod';
import type { OnlineRegressor } from './types.js';
import { badFeatures, requireBoolean, requireFiniteObservation, requireInteger, requireNumber } from './validation.js';
import { count, fixed, vector } from './snapshot-schemas.js';

/** Options of {@link OnlineLinearRegression}. */
export interface OnlineLinearRegressionOptions {
  /** Length of every feature vector x (integer ≥ 1). */
  readonly nFeatures: number;
  /** SGD step size η (> 0, dimensionless; scale it to your features). Default 0.01. */
  readonly learningRate?: number;
  /** L2 penalty λ on the feature weights (≥ 0); the intercept is not penalised. Default 0. */
  readonly l2?: number;
  /** Learn an intercept b (true) or keep b = 0 (false). Default true. */
  readonly fitIntercept?: boolean;
}

/** Plain-data state of an {@link OnlineLinearRegression}. */
export interface OnlineLinearRegressionState {
  readonly nFeatures: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly fitIntercept: boolean;
  /** Feature weights w, length nFeatures. */
  readonly weights: number[];
  readonly intercept: number;
  readonly nUpdates: number;
}

/** The schema of an {@link OnlineLinearRegressionState} for an instance with `nFeatures` features. */
function stateSchema(nFeatures: number) {
  return z
    .object({
      nFeatures: fixed(nFeatures),
      learningRate: z.number().positive(),
      l2: z.number().nonnegative(),
      fitIntercept: z.boolean(),
      weights: vector(nFeatures),
      intercept: z.number(),
      nUpdates: count,
    })
    .refine((s) => s.fitIntercept || s.intercept === 0, { path: ['intercept'], message: '0 when fitIntercept is false' });
}

/**
 * Linear regression ŷ = w·x + b learned by plain stochastic gradient descent on the squared loss ½(ŷ − y)²
 * with an L2 penalty ½λ‖w‖²: one step per `update`,
 * w ← w − η((ŷ − y)x + λw), b ← b − η(ŷ − y), with ŷ computed from the weights before the step.
 *
 * @see H. Robbins, S. Monro (1951), "A stochastic approximation method", Ann. Math. Statist. 22(3).
 * @see river `linear_model.LinearRegression` (SGD optimizer, `l2`, unregularised intercept).
 * @example
 * const model = new OnlineLinearRegression({ nFeatures: 1, learningRate: 0.1 });
 * model.predict([2]);   // 0 (nothing learned yet)
 * model.update([2], 1); // ŷ = 0, error −1: w = 0.2, b = 0.1
 * model.predict([2]);   // 0.5
 */
export class OnlineLinearRegression implements OnlineRegressor<OnlineLinearRegressionState> {
  /** Length of every feature vector. */
  readonly nFeatures: number;
  private learningRate: number;
  private l2: number;
  private fitIntercept: boolean;
  private readonly w: Float64Array;
  private b = 0;
  private updates = 0;

  /**
   * @param options - see {@link OnlineLinearRegressionOptions}.
   * @throws ConfigError naming the option when nFeatures is not an integer ≥ 1, learningRate is not > 0,
   *   l2 is negative, or fitIntercept is not a boolean.
   */
  constructor(options: OnlineLinearRegressionOptions) {
    this.nFeatures = requireInteger('OnlineLinearRegression nFeatures', options.nFeatures, 1);
    this.learningRate = requireNumber('OnlineLinearRegression learningRate', options.learningRate ?? 0.01, { min: 0, open: 'left' });
    this.l2 = requireNumber('OnlineLinearRegression l2', options.l2 ?? 0, { min: 0 });
    this.fitIntercept = requireBoolean('OnlineLinearRegression fitIntercept', options.fitIntercept ?? true);
    this.w = new Float64Array(this.nFeatures);
  }

  /** Number of `update` calls so far. */
  get nUpdates(): number {
    return this.updates;
  }

  /** The intercept b (0 when fitIntercept is false). */
  get intercept(): number {
    return this.b;
  }

  /** A copy of the feature weights w, length nFeatures. */
  weights(): number[] {
    return Array.from(this.w);
  }

  /**
   * Prediction ŷ = w·x + b for one feature vector.
   * @param x - nFeatures finite numbers (not mutated).
   * @returns ŷ in the units of y; 0 before the first update.
   * @throws ConfigError when x has the wrong length or a non-finite entry.
   */
  predict(x: ArrayLike<number>): number {
    return this.dot(x, 'OnlineLinearRegression.predict');
  }

  /**
   * One SGD step on a realized pair (x, y).
   * @param x - nFeatures finite numbers (not mutated).
   * @param y - the realized label, finite.
   * @throws ConfigError when x has the wrong length or a non-finite entry, or y is not finite.
   */
  update(x: ArrayLike<number>, y: number): void {
    const yHat = this.dot(x, 'OnlineLinearRegression.update');
    requireFiniteObservation('OnlineLinearRegression.update y', y);
    const error = yHat - y;
    const eta = this.learningRate;
    const w = this.w;
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - eta * (error * x[j]! + this.l2 * w[j]!);
    if (this.fitIntercept) this.b -= eta * error;
    this.updates++;
  }

  /** The complete state as plain data. */
  snapshot(): OnlineLinearRegressionState {
    return {
      nFeatures: this.nFeatures,
      learningRate: this.learningRate,
      l2: this.l2,
      fitIntercept: this.fitIntercept,
      weights: Array.from(this.w),
      intercept: this.b,
      nUpdates: this.updates,
    };
  }

  /**
   * Replaces the state (including learningRate, l2 and fitIntercept) with a snapshot.
   * @throws StateError when a field is missing or malformed, or nFeatures differs from this instance's.
   */
  restore(state: OnlineLinearRegressionState): void {
    const s = parseState('OnlineLinearRegression', stateSchema(this.nFeatures), state);
    this.learningRate = s.learningRate;
    this.l2 = s.l2;
    this.fitIntercept = s.fitIntercept;
    this.w.set(s.weights);
    this.b = s.intercept;
    this.updates = s.nUpdates;
  }

  private dot(x: ArrayLike<number>, owner: string): number {
    if (x === null || typeof x !== 'object' || x.length !== this.nFeatures) throw badFeatures(owner, x, this.nFeatures);
    let sum = this.b;
    for (let j = 0; j < this.nFeatures; j++) {
      const v = x[j]!;
      if (!Number.isFinite(v)) throw badFeatures(owner, x, this.nFeatures);
      sum += this.w[j]! * v;
    }
    return sum;
  }
}
