import type { Snapshottable } from '@trading-ml/core';
import { ConfigError, parseState } from '@trading-ml/core';
import { z } from 'zod';
import { requireFiniteObservation, requireInteger, requireNumber } from './validation.js';
import { count } from './snapshot-schemas.js';

/** Which change the detector looks for: a rise of the mean, a fall, or both. */
export type PageHinkleyMode = 'up' | 'down' | 'both';

/** Options of {@link PageHinkley}. */
export interface PageHinkleyOptions {
  /** Tolerated drift δ per observation (≥ 0, units of x): changes of the mean smaller than δ are ignored. Default 0.005. */
  readonly delta?: number;
  /** Alarm threshold λ (> 0, units of x): drift when the cumulative statistic exceeds it. Default 50. */
  readonly threshold?: number;
  /** Fading factor α in (0, 1] applied to the cumulative sums (1 = classic test). Default 0.9999. */
  readonly alpha?: number;
  /** No alarm before this many observations since the last reset (integer ≥ 1). Default 30. */
  readonly minObservations?: number;
  /** Direction of change to detect. Default 'both'. */
  readonly mode?: PageHinkleyMode;
}

/** Plain-data state of a {@link PageHinkley} detector. */
export interface PageHinkleyState {
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly minObservations: number;
  readonly mode: PageHinkleyMode;
  /** Observations since the last reset. */
  readonly count: number;
  readonly mean: number;
  readonly sumIncrease: number;
  readonly minIncrease: number;
  readonly sumDecrease: number;
  readonly maxDecrease: number;
  readonly driftDetected: boolean;
  readonly nUpdates: number;
}

const MODES = ['up', 'down', 'both'] as const satisfies readonly PageHinkleyMode[];

/** The schema of a {@link PageHinkleyState}, with the invariants the cumulative sums keep (m⁺ ≥ min m⁺, m⁻ ≤ max m⁻, both extremes start at 0). */
const stateSchema = z
  .object({
    delta: z.number().nonnegative(),
    threshold: z.number().positive(),
    alpha: z.number().positive().max(1),
    minObservations: z.number().int().min(1),
    mode: z.enum(MODES, "'up', 'down' or 'both'"),
    count,
    mean: z.number(),
    sumIncrease: z.number(),
    minIncrease: z.number(),
    sumDecrease: z.number(),
    maxDecrease: z.number(),
    driftDetected: z.boolean(),
    nUpdates: count,
  })
  .superRefine((s, context) => {
    const issue = (path: string, message: string): void => context.addIssue({ code: 'custom', path: [path], message });
    if (s.count > s.nUpdates) issue('count', `an integer in [0, nUpdates = ${s.nUpdates}]`);
    if (s.minIncrease > Math.min(0, s.sumIncrease)) issue('minIncrease', `a number ≤ min(0, sumIncrease = ${s.sumIncrease})`);
    if (s.maxDecrease < Math.max(0, s.sumDecrease)) issue('maxDecrease', `a number ≥ max(0, sumDecrease = ${s.sumDecrease})`);
  });

/**
 * Page-Hinkley test for a change in the mean of a stream (concept-drift detector).
 *
 * With x̄ₜ the running mean since the last reset, the faded cumulative deviations are
 * m⁺ₜ = α·m⁺ₜ₋₁ + (xₜ − x̄ₜ − δ) and m⁻ₜ = α·m⁻ₜ₋₁ + (xₜ − x̄ₜ + δ), with m₀ = 0.
 * A rise is flagged when m⁺ₜ − min₀≤ₛ≤ₜ m⁺ₛ > λ, a fall when max₀≤ₛ≤ₜ m⁻ₛ − m⁻ₜ > λ, once at least
 * `minObservations` values were seen. On an alarm the statistics reset immediately (the next value starts a
 * new segment) and `driftDetected` stays true until the next update.
 *
 * @see E. S. Page (1954), "Continuous inspection schemes", Biometrika 41(1/2), 100–115.
 * @see river `drift.PageHinkley` (same parameters and defaults; `mode` as in its two-sided version).
 * @example
 * const detector = new PageHinkley({ delta: 0.1, threshold: 1, alpha: 1, minObservations: 1 });
 * [0, 0, 1, 1, 1].map((x) => detector.update(x)); // [false, false, false, false, true]
 */
export class PageHinkley implements Snapshottable<PageHinkleyState> {
  private delta: number;
  private threshold: number;
  private alpha: number;
  private minObservations: number;
  private mode: PageHinkleyMode;
  private count = 0;
  private mean = 0;
  private sumIncrease = 0;
  private minIncrease = 0;
  private sumDecrease = 0;
  private maxDecrease = 0;
  private detected = false;
  private updates = 0;

  /**
   * @param options - see {@link PageHinkleyOptions}.
   * @throws ConfigError naming the option when delta < 0, threshold ≤ 0, alpha outside (0, 1],
   *   minObservations is not an integer ≥ 1, or mode is not 'up' | 'down' | 'both'.
   */
  constructor(options: PageHinkleyOptions = {}) {
    this.delta = requireNumber('PageHinkley delta', options.delta ?? 0.005, { min: 0 });
    this.threshold = requireNumber('PageHinkley threshold', options.threshold ?? 50, { min: 0, open: 'left' });
    this.alpha = requireNumber('PageHinkley alpha', options.alpha ?? 0.9999, { min: 0, max: 1, open: 'left' });
    this.minObservations = requireInteger('PageHinkley minObservations', options.minObservations ?? 30, 1);
    const mode = options.mode ?? 'both';
    if (!MODES.includes(mode)) throw new ConfigError({ parameter: 'PageHinkley mode', value: mode, expected: "'up', 'down' or 'both'" });
    this.mode = mode;
  }

  /** True when the latest `update` flagged a drift. */
  get driftDetected(): boolean {
    return this.detected;
  }

  /** Number of values seen since construction. */
  get nUpdates(): number {
    return this.updates;
  }

  /** The current test statistic (units of x): the larger of the enabled PH⁺ and PH⁻ values; 0 right after a reset. */
  get statistic(): number {
    const up = this.sumIncrease - this.minIncrease;
    const down = this.maxDecrease - this.sumDecrease;
    return this.mode === 'up' ? up : this.mode === 'down' ? down : Math.max(up, down);
  }

  /**
   * Feeds one value of the monitored stream (e.g. a model's absolute error, or a return).
   * @param x - the new value, finite.
   * @returns true when a drift is detected at this value (the detector has then reset).
   * @throws ConfigError when x is not finite.
   */
  update(x: number): boolean {
    requireFiniteObservation('PageHinkley.update x', x);
    this.updates++;
    this.count++;
    this.mean += (x - this.mean) / this.count;
    const deviation = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + deviation - this.delta;
    this.minIncrease = Math.min(this.minIncrease, this.sumIncrease);
    this.sumDecrease = this.alpha * this.sumDecrease + deviation + this.delta;
    this.maxDecrease = Math.max(this.maxDecrease, this.sumDecrease);
    this.detected = this.count >= this.minObservations && this.statistic > this.threshold;
    if (this.detected) this.reset();
    return this.detected;
  }

  /** The complete state as plain data. */
  snapshot(): PageHinkleyState {
    return {
      delta: this.delta,
      threshold: this.threshold,
      alpha: this.alpha,
      minObservations: this.minObservations,
      mode: this.mode,
      count: this.count,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      minIncrease: this.minIncrease,
      sumDecrease: this.sumDecrease,
      maxDecrease: this.maxDecrease,
      driftDetected: this.detected,
      nUpdates: this.updates,
    };
  }

  /**
   * Replaces the state (including the options) with a snapshot.
   * @throws StateError when a field is missing or malformed (e.g. minIncrease above sumIncrease, count above nUpdates).
   */
  restore(state: PageHinkleyState): void {
    const s = parseState('PageHinkley', stateSchema, state);
    this.delta = s.delta;
    this.threshold = s.threshold;
    this.alpha = s.alpha;
    this.minObservations = s.minObservations;
    this.mode = s.mode;
    this.count = s.count;
    this.mean = s.mean;
    this.sumIncrease = s.sumIncrease;
    this.minIncrease = s.minIncrease;
    this.sumDecrease = s.sumDecrease;
    this.maxDecrease = s.maxDecrease;
    this.detected = s.driftDetected;
    this.updates = s.nUpdates;
  }

  private reset(): void {
    this.count = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.minIncrease = 0;
    this.sumDecrease = 0;
    this.maxDecrease = 0;
  }
}
