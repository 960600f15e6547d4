import { ConfigError } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { writeCnnWindow } from './cnn-window.js';
import type { WindowSkipReason } from './cnn-window.js';
import { FEATURES_PER_TIMEFRAME } from './feature-matrix.js';
import type { FeatureMatrix } from './feature-matrix.js';

/** CNN inputs at many decision times. */
export interface CnnInputs {
  /** Row-major [N, L, C] windows, C = timeframes·FEATURES_PER_TIMEFRAME. */
  readonly x: Float32Array;
  /** Decision time of each of the N windows, UTC ms. */
  readonly times: readonly number[];
  /** Newest row used per timeframe, per window: rows[n][k]. */
  readonly rows: readonly (readonly number[])[];
  readonly sequenceLength: number;
  readonly channels: number;
  /** Decision times without a window and why (never filled). */
  readonly skipped: readonly { readonly time: number; readonly timeframe: Timeframe; readonly reason: WindowSkipReason }[];
}

/**
 * Builds the CNN input windows at each decision time (see {@link writeCnnWindow}); decision times whose window
 * cannot be built point in time are listed in `skipped` with the timeframe and reason.
 *
 * @param matrices - one feature matrix per timeframe, in channel order.
 * @param decisionTimes - UTC ms, any order (kept in the order given).
 * @param sequenceLength - L, bars per timeframe.
 * @returns x [N, L, C] with N ≤ decisionTimes.length, and the skipped times.
 * @throws ConfigError when there are no matrices or sequenceLength is not a positive integer.
 * @see {@link writeCnnWindow}
 * @example
 * const inputs = buildCnnInputs(matrices, decisionTimes, 32);
 * inputs.x.length === inputs.times.length * 32 * inputs.channels; // true
 */
export function buildCnnInputs(matrices: readonly FeatureMatrix[], decisionTimes: readonly number[], sequenceLength: number): CnnInputs {
  if (matrices.length === 0) throw new ConfigError({ parameter: 'matrices', value: [], expected: 'at least one timeframe' });
  const channels = matrices.length * FEATURES_PER_TIMEFRAME;
  const size = sequenceLength * channels;
  const buffer = new Float32Array(decisionTimes.length * size);
  const times: number[] = [];
  const rows: number[][] = [];
  const skipped: Array<{ time: number; timeframe: Timeframe; reason: WindowSkipReason }> = [];
  for (const time of decisionTimes) {
    const result = writeCnnWindow(matrices, time, sequenceLength, buffer, times.length * size);
    if (result.ok) {
      times.push(time);
      rows.push([...result.rows]);
    } else {
      skipped.push({ time, timeframe: result.timeframe, reason: result.reason });
    }
  }
  return { x: buffer.slice(0, times.length * size), times, rows, sequenceLength, channels, skipped };
}
