import { z } from 'zod';
import { ConfigError, parseState } from '@trading-ml/core';
import type { OnlineRegressor } from '@trading-ml/online-models';
import { restoreParts } from './state.js';

/** One queued (x, time) pair whose label is not realized yet. */
export interface PendingLabel {
  /** Features at the forecast, [nFeatures]. */
  readonly x: number[];
  /** Bar index of the forecast. */
  readonly index: number;
  /** Close at the forecast (price). */
  readonly close: number;
  /** Label scale known at the forecast (e.g. σ·√h). */
  readonly scale: number;
}

/** Plain-data state of a {@link DelayedLabelLearner}. */
export interface DelayedLabelLearnerState {
  readonly horizon: number;
  /** The learner's own snapshot. */
  readonly learner: unknown;
  /** Queued pairs, oldest first. */
  readonly pending: PendingLabel[];
  /** Bar index of the latest push, null before the first. */
  readonly lastPushed: number | null;
}

function stateSchema(horizon: number, nFeatures: number) {
  return z
    .object({
      horizon: z.literal(horizon, `${horizon} (this learner's horizon)`),
      learner: z.unknown(),
      pending: z
        .array(
          z.object({
            x: z.array(z.number()).length(nFeatures, `an array of ${nFeatures} finite numbers`),
            index: z.number().int(),
            close: z.number().positive(),
            scale: z.number().positive(),
          }),
        )
        .max(horizon + 1, `at most ${horizon + 1} pending labels`),
      lastPushed: z.number().int().nullable(),
    })
    .refine((s) => s.pending.every((p, i) => (i === 0 || p.index > s.pending[i - 1]!.index) && s.lastPushed !== null && p.index <= s.lastPushed), {
      path: ['pending'],
      message: 'pairs in increasing index order, none after lastPushed',
    });
}

/**
 * Predict-then-update with a label delay (river's progressive validation with `delay`): a feature vector x
 * made at bar i is queued with the close cᵢ and a scale sᵢ known then; its label, the h-bar return in units
 * of the scale, y = (c_{i+h}/cᵢ − 1)/sᵢ, is only computable at the close of bar i + h, and only then does the
 * learner see (x, y). Nothing reaches the learner before its label is realized.
 * @see river `evaluate/progressive_validation.py` (delayed labels); PopAgent issue: "a label for horizon h
 *   reaches a learner only h bars later".
 * @example
 * const d = new DelayedLabelLearner({ learner, horizon: 6 });
 * d.realize(i, close);             // learn every label that matured at bar i
 * const f = d.predict(x);          // forecast from features at bar i
 * d.push(x, i, close, sigma * Math.sqrt(6));
 */
export class DelayedLabelLearner {
  readonly learner: OnlineRegressor;
  readonly horizon: number;
  private readonly pendingX: Float64Array[];
  private readonly pendingIndex: Float64Array;
  private readonly pendingClose: Float64Array;
  private readonly pendingScale: Float64Array;
  private head = 0;
  private count = 0;
  private lastPushed = -Infinity;

  /**
   * @param options.learner - the online regressor.
   * @param options.horizon - label horizon h in bars (≥ 1).
   * @throws ConfigError when horizon is not a positive integer.
   */
  constructor(options: { learner: OnlineRegressor; horizon: number }) {
    if (!Number.isInteger(options.horizon) || options.horizon < 1) {
      throw new ConfigError({ parameter: 'horizon', value: options.horizon, expected: 'an integer ≥ 1 (bars)' });
    }
    this.learner = options.learner;
    this.horizon = options.horizon;
    // At most one push per bar and labels mature after h bars: h + 1 slots always suffice.
    const capacity = options.horizon + 1;
    this.pendingX = Array.from({ length: capacity }, () => new Float64Array(options.learner.nFeatures));
    this.pendingIndex = new Float64Array(capacity);
    this.pendingClose = new Float64Array(capacity);
    this.pendingScale = new Float64Array(capacity);
  }

  /** Number of queued (x, time) pairs whose label is not realized yet. */
  get pending(): number {
    return this.count;
  }

  /**
   * Feeds the learner every queued pair whose label has matured at bar `index` (close `close`).
   * @param index - bar index (increasing); close - that bar's close.
   */
  realize(index: number, close: number): void {
    const capacity = this.pendingX.length;
    while (this.count > 0 && this.pendingIndex[this.head]! + this.horizon <= index) {
      const y = (close / this.pendingClose[this.head]! - 1) / this.pendingScale[this.head]!;
      if (Number.isFinite(y)) this.learner.update(this.pendingX[this.head]!, y);
      this.head = (this.head + 1) % capacity;
      this.count--;
    }
  }

  /** The complete state as plain data (the learner's snapshot included). */
  snapshot(): DelayedLabelLearnerState {
    const capacity = this.pendingX.length;
    const pending: PendingLabel[] = [];
    for (let j = 0; j < this.count; j++) {
      const slot = (this.head + j) % capacity;
      pending.push({ x: Array.from(this.pendingX[slot]!), index: this.pendingIndex[slot]!, close: this.pendingClose[slot]!, scale: this.pendingScale[slot]! });
    }
    return { horizon: this.horizon, learner: this.learner.snapshot(), pending, lastPushed: this.lastPushed === -Infinity ? null : this.lastPushed };
  }

  /**
   * Replaces the queue and the learner's state with a snapshot (all or nothing).
   * @param state - from {@link DelayedLabelLearner.snapshot} (possibly through JSON); not modified.
   * @throws StateError naming the field (e.g. "learner.weights.2", "pending.0.close") when it does not fit.
   */
  restore(state: DelayedLabelLearnerState): void {
    const s = parseState('DelayedLabelLearner', stateSchema(this.horizon, this.learner.nFeatures), state);
    restoreParts('DelayedLabelLearner', [['learner', this.learner, s.learner]]);
    this.head = 0;
    this.count = s.pending.length;
    s.pending.forEach((p, j) => {
      this.pendingX[j]!.set(p.x);
      this.pendingIndex[j] = p.index;
      this.pendingClose[j] = p.close;
      this.pendingScale[j] = p.scale;
    });
    this.lastPushed = s.lastPushed ?? -Infinity;
  }

  /** Forecast for x (does not learn). */
  predict(x: ArrayLike<number>): number {
    return this.learner.predict(x);
  }

  /**
   * Queues x (copied) made at bar `index` with its close and label scale.
   * @throws ConfigError when two pushes share a bar index or go backwards.
   */
  push(x: ArrayLike<number>, index: number, close: number, scale: number): void {
    if (index <= this.lastPushed) throw new ConfigError({ parameter: 'index', value: index, expected: `> the previous push ${this.lastPushed}` });
    const capacity = this.pendingX.length;
    if (this.count === capacity) {
      throw new ConfigError({ parameter: 'index', value: index, expected: `realize() called every bar (${this.count} labels pending, horizon ${this.horizon})` });
    }
    const slot = (this.head + this.count) % capacity;
    const row = this.pendingX[slot]!;
    for (let j = 0; j < row.length; j++) row[j] = x[j]!;
    this.pendingIndex[slot] = index;
    this.pendingClose[slot] = close;
    this.pendingScale[slot] = scale;
    this.count++;
    this.lastPushed = index;
  }
}
