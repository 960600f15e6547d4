import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { latestClosedIndex } from './alignment.js';
import { FEATURES_PER_TIMEFRAME } from './feature-matrix.js';
import type { FeatureMatrix } from './feature-matrix.js';

/** Why no window could be built at a decision time. */
export type WindowSkipReason =
  /** No bar of the timeframe has closed yet. */
  | 'no-bar'
  /** The newest closed bar is older than one bar period: the bar that should have just closed is missing (a gap). */
  | 'stale'
  /** Fewer than `sequenceLength` warm rows in the current contiguous segment (warm-up, or a gap inside the window). */
  | 'not-warm';

/** Outcome of {@link writeCnnWindow}. */
export type WindowResult =
  | { readonly ok: true; /** Row index of the newest bar used, per timeframe (same order as the matrices). */ readonly rows: readonly number[] }
  | { readonly ok: false; readonly timeframe: Timeframe; readonly reason: WindowSkipReason };

/**
 * Writes the CNN input window [L, C] at decision time `time`: for each timeframe k (in the order given), the
 * feature rows of its last L bars closed at or before `time`, into channels k·F … k·F + F − 1 (F =
 * FEATURES_PER_TIMEFRAME, C = timeframes·F). Row 0 of the window is the oldest bar, row L − 1 the newest.
 *
 * Nothing is filled: when a timeframe's newest bar is stale (a gap just before `time`) or its last L rows are not
 * all warm and in one contiguous segment, no window is written and the reason is returned.
 *
 * @param matrices - one feature matrix per timeframe, in channel order.
 * @param time - decision time, UTC ms.
 * @param sequenceLength - L, bars per timeframe.
 * @param out - destination buffer; the window is written at `offset` (L·C floats).
 * @param offset - float offset into `out`. Default 0.
 * @returns `{ ok: true, rows }` or `{ ok: false, timeframe, reason }`.
 * @throws ConfigError when sequenceLength is not a positive integer or `out` is too short.
 * @see {@link latestClosedIndex} for the alignment rule.
 * @example
 * const x = new Float32Array(32 * matrices.length * FEATURES_PER_TIMEFRAME);
 * writeCnnWindow(matrices, Date.UTC(2024, 7, 1, 10, 30), 32, x); // { ok: true, rows: [...] }
 */
export function writeCnnWindow(matrices: readonly FeatureMatrix[], time: number, sequenceLength: number, out: Float32Array, offset = 0): WindowResult {
  if (!Number.isInteger(sequenceLength) || sequenceLength < 1) {
    throw new ConfigError({ parameter: 'sequenceLength', value: sequenceLength, expected: 'an integer ≥ 1 (bars)' });
  }
  const F = FEATURES_PER_TIMEFRAME;
  const C = matrices.length * F;
  if (out.length < offset + sequenceLength * C) {
    throw new ConfigError({ parameter: 'out', value: out.length, expected: `a buffer of at least ${offset + sequenceLength * C} floats` });
  }
  const rows: number[] = [];
  for (const matrix of matrices) {
    const last = latestClosedIndex(matrix.closeTimes, time);
    if (last < 0) return { ok: false, timeframe: matrix.timeframe, reason: 'no-bar' };
    if ((matrix.closeTimes[last] as number) <= time - TIMEFRAME_MS[matrix.timeframe]) return { ok: false, timeframe: matrix.timeframe, reason: 'stale' };
    const first = last - sequenceLength + 1;
    if (first < 0 || matrix.valid[first] !== 1 || matrix.valid[last] !== 1 || matrix.segment[first] !== matrix.segment[last]) {
      return { ok: false, timeframe: matrix.timeframe, reason: 'not-warm' };
    }
    rows.push(last);
  }
  // Valid rows are contiguous within a segment (warm-up happens only at its start), so the checks above suffice.
  for (const [k, matrix] of matrices.entries()) {
    const last = rows[k] as number;
    for (let j = 0; j < sequenceLength; j++) {
      const source = (last - sequenceLength + 1 + j) * F;
      const target = offset + j * C + k * F;
      for (let f = 0; f < F; f++) out[target + f] = matrix.values[source + f] as number;
    }
  }
  return { ok: true, rows };
}
