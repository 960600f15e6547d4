import { DataError } from '@trading-ml/core';

/** Training data of a {@link MultiTimeframeCnn}, row-major, rows in chronological order. */
export interface CnnDataset {
  /** Inputs [N, L, C]: N windows of L bars × C feature channels. */
  readonly x: Float32Array;
  /** Action labels [N, H]: per window, one per head, 0 = BUY, 1 = HOLD, 2 = SELL. */
  readonly actions: Int32Array;
  /** Confidence targets [N], each in [0, 1]. */
  readonly confidence: Float32Array;
}

/**
 * Checks a dataset's sizes and values for a network with L·C inputs per row and H heads.
 *
 * @returns N, the number of rows.
 * @throws DataError naming the array, the bad index or size, and what was expected.
 */
export function validateCnnDataset(dataset: CnnDataset, rowSize: number, heads: number): number {
  const n = dataset.confidence.length;
  if (n === 0) throw new DataError({ location: { column: 'confidence' }, value: 0, expected: 'at least one row' });
  if (dataset.x.length !== n * rowSize) {
    throw new DataError({ location: { column: 'x' }, value: `${dataset.x.length} values`, expected: `N·L·C = ${n}·${rowSize} = ${n * rowSize} values (N from confidence.length)` });
  }
  if (dataset.actions.length !== n * heads) {
    throw new DataError({ location: { column: 'actions' }, value: `${dataset.actions.length} values`, expected: `N·H = ${n}·${heads} = ${n * heads} values` });
  }
  for (let i = 0; i < dataset.x.length; i++) {
    if (!Number.isFinite(dataset.x[i])) throw new DataError({ location: { column: `x[${i}]` }, value: dataset.x[i], expected: 'a finite number' });
  }
  for (let i = 0; i < dataset.actions.length; i++) {
    const a = dataset.actions[i]!;
    if (a !== 0 && a !== 1 && a !== 2) throw new DataError({ location: { column: `actions[${i}]` }, value: a, expected: '0 (BUY), 1 (HOLD) or 2 (SELL)' });
  }
  for (let i = 0; i < n; i++) {
    const c = dataset.confidence[i]!;
    if (!(c >= 0 && c <= 1)) throw new DataError({ location: { column: `confidence[${i}]` }, value: c, expected: 'a number in [0, 1]' });
  }
  return n;
}

/**
 * Splits N chronological rows into a training prefix and a validation suffix (the last ⌊N·fraction⌋ rows), so the
 * model is validated on the future of what it trained on, never on shuffled neighbours of its training rows.
 *
 * @param n - number of rows.
 * @param validationFraction - in [0, 1).
 * @returns the first validation row (= training row count); equals n when there is no validation part.
 * @example
 * chronologicalSplit(10, 0.2); // 8: rows 0–7 train, 8–9 validate
 */
export function chronologicalSplit(n: number, validationFraction: number): number {
  return n - Math.floor(n * validationFraction);
}

/** Copies rows `indices[start..end)` of a row-major array with `rowSize` values per row into a new array. */
export function gatherRows<T extends Float32Array | Int32Array>(source: T, rowSize: number, indices: ArrayLike<number>, start: number, end: number): T {
  const out = new (source.constructor as new (length: number) => T)((end - start) * rowSize);
  for (let k = start; k < end; k++) {
    const row = indices[k]!;
    out.set(source.subarray(row * rowSize, (row + 1) * rowSize), (k - start) * rowSize);
  }
  return out;
}
