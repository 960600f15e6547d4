import type { Snapshottable } from '@trading-ml/core';
import { parseState } from '@trading-ml/core';
import { z } from 'zod';
import { requireFiniteObservation, requireNumber } from './validation.js';
import { count } from './snapshot-schemas.js';

/** Options of {@link OnlineVolatility}. */
export interface OnlineVolatilityOptions {
  /** Decay λ in (0, 1): weight of yesterday's variance. RiskMetrics uses 0.94 for daily and 0.97 for monthly data. Default 0.94. */
  readonly decay?: number;
  /**
   * σ²₀, the variance the recursion starts from (return units squared, ≥ 0). When omitted the first squared
   * return seeds it, so the first forecast is r₁².
   */
  readonly initialVariance?: number;
}

/** Plain-data state of an {@link OnlineVolatility}. */
export interface OnlineVolatilityState {
  readonly decay: number;
  /** σ²₀ if one was given, else null. */
  readonly initialVariance: number | null;
  /** The current forecast σ²ₜ₊₁ (null before the first update). */
  readonly variance: number | null;
  readonly nUpdates: number;
}

/** The schema of an {@link OnlineVolatilityState}. */
const stateSchema = z
  .object({
    decay: z.number().gt(0).lt(1),
    initialVariance: z.number().nonnegative().nullable(),
    variance: z.number().nonnegative().nullable(),
    nUpdates: count,
  })
  .refine((s) => (s.variance === null) === (s.nUpdates === 0), { path: ['variance'], message: 'null exactly when nUpdates is 0' });

/**
 * RiskMetrics exponentially weighted (EWMA) variance of zero-mean returns:
 * σ²ₜ = λσ²ₜ₋₁ + (1 − λ)r²ₜ. After the update with rₜ, σ²ₜ is the forecast for period t + 1.
 *
 * @see J.P. Morgan/Reuters (1996), "RiskMetrics — Technical Document", 4th ed., ch. 5 (exponentially weighted
 *   variance estimator; decay factor 0.94 for daily data).
 * @see river `stats.EWVar` for the streaming form.
 * @example
 * const vol = new OnlineVolatility({ decay: 0.9, initialVariance: 0.0004 });
 * vol.predict();      // null (no return seen yet)
 * vol.update(0.03);   // 0.9·0.0004 + 0.1·0.0009 = 0.00045
 * vol.predict();      // 0.00045
 * vol.volatility();   // √0.00045 ≈ 0.02121
 */
export class OnlineVolatility implements Snapshottable<OnlineVolatilityState> {
  private decay: number;
  private initialVariance: number | null;
  private variance: number | null = null;
  private updates = 0;

  /**
   * @param options - see {@link OnlineVolatilityOptions}.
   * @throws ConfigError naming the option when decay is outside (0, 1) or initialVariance is negative or not finite.
   */
  constructor(options: OnlineVolatilityOptions = {}) {
    this.decay = requireNumber('OnlineVolatility decay', options.decay ?? 0.94, { min: 0, max: 1, open: 'both' });
    this.initialVariance =
      options.initialVariance === undefined ? null : requireNumber('OnlineVolatility initialVariance', options.initialVariance, { min: 0 });
  }

  /** Number of returns seen. */
  get nUpdates(): number {
    return this.updates;
  }

  /**
   * Folds one realized return into the variance.
   * @param ret - the period's return (simple or log, as a fraction: 0.01 = 1 %), finite.
   * @returns the new variance forecast σ²ₜ (return units squared).
   * @throws ConfigError when ret is not finite.
   */
  update(ret: number): number {
    requireFiniteObservation('OnlineVolatility.update ret', ret);
    const squared = ret * ret;
    const previous = this.variance ?? this.initialVariance ?? squared;
    const next = this.decay * previous + (1 - this.decay) * squared;
    this.variance = next;
    this.updates++;
    return next;
  }

  /** Variance forecast for the next period (return units squared); null before the first update. */
  predict(): number | null {
    return this.variance;
  }

  /** Volatility forecast √σ² for the next period (return units, per period, not annualised); null before the first update. */
  volatility(): number | null {
    return this.variance === null ? null : Math.sqrt(this.variance);
  }

  /** The complete state as plain data. */
  snapshot(): OnlineVolatilityState {
    return { decay: this.decay, initialVariance: this.initialVariance, variance: this.variance, nUpdates: this.updates };
  }

  /**
   * Replaces the state (including decay) with a snapshot.
   * @throws StateError when a field is missing or malformed, or variance is null while nUpdates > 0 (or the reverse).
   */
  restore(state: OnlineVolatilityState): void {
    const s = parseState('OnlineVolatility', stateSchema, state);
    this.decay = s.decay;
    this.initialVariance = s.initialVariance;
    this.variance = s.variance;
    this.updates = s.nUpdates;
  }
}
