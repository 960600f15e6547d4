// Internal readers for snapshots: each one checks a single field and throws StateError naming it.
// Restores read every field first and assign only afterwards, so a rejected snapshot leaves the object untouched.
import { StateError } from '@trading-ml/core';

/** A snapshot under inspection: the estimator name (for messages) and the object itself. */
export interface StateReader {
  readonly what: string;
  readonly record: Record<string, unknown>;
}

/** Checks that `state` is a plain object and returns a reader for its fields. */
export function readState(what: string, state: unknown): StateReader {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new StateError({ what, problem: `expected a plain object, got ${JSON.stringify(state) ?? String(state)}` });
  }
  return { what, record: state as Record<string, unknown> };
}

/** Throws a StateError naming the field, its value and what was expected. */
export function fail(reader: StateReader, key: string, expected: string): never {
  const value = JSON.stringify(reader.record[key]) ?? String(reader.record[key]);
  throw new StateError({ what: reader.what, problem: `field "${key}" is ${value.length > 80 ? `${value.slice(0, 77)}...` : value}, expected ${expected}` });
}

/** A finite number field, optionally bounded (ends inclusive unless named in `open`). */
export function readNumber(
  reader: StateReader,
  key: string,
  bounds: { min?: number; max?: number; open?: 'left' | 'right' | 'both' | 'none' } = {},
): number {
  const value = reader.record[key];
  const { min = -Infinity, max = Infinity, open = 'none' } = bounds;
  const leftOpen = open === 'left' || open === 'both';
  const rightOpen = open === 'right' || open === 'both';
  const inRange =
    typeof value === 'number' && (leftOpen ? value > min : value >= min) && (rightOpen ? value < max : value <= max);
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange) {
    fail(reader, key, `a finite number in ${leftOpen ? '(' : '['}${min}, ${max}${rightOpen ? ')' : ']'}`);
  }
  return value;
}

/** A non-negative safe integer field (counts), optionally bounded. */
export function readInteger(reader: StateReader, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = reader.record[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(reader, key, `an integer in [${min}, ${max}]`);
  }
  return value;
}

/** A boolean field. */
export function readBoolean(reader: StateReader, key: string): boolean {
  const value = reader.record[key];
  if (typeof value !== 'boolean') fail(reader, key, 'true or false');
  return value;
}

/** An array of exactly `length` finite numbers, each passing `check` (default: any finite number). */
export function readNumbers(
  reader: StateReader,
  key: string,
  length: number,
  check: { test: (v: number) => boolean; expected: string } = { test: () => true, expected: 'finite numbers' },
): number[] {
  const value = reader.record[key];
  if (
    !Array.isArray(value) ||
    value.length !== length ||
    !value.every((v: unknown) => typeof v === 'number' && Number.isFinite(v) && check.test(v))
  ) {
    fail(reader, key, `an array of ${length} ${check.expected}`);
  }
  return value as number[];
}

/** A row-major matrix stored as nested arrays: `rows` arrays of `columns` numbers each, flattened on return. */
export function readMatrix(
  reader: StateReader,
  key: string,
  rows: number,
  columns: number,
  check: { test: (v: number) => boolean; expected: string } = { test: () => true, expected: 'finite numbers' },
): number[] {
  const value = reader.record[key];
  const ok =
    Array.isArray(value) &&
    value.length === rows &&
    value.every(
      (row: unknown) =>
        Array.isArray(row) &&
        row.length === columns &&
        row.every((v: unknown) => typeof v === 'number' && Number.isFinite(v) && check.test(v)),
    );
  if (!ok) fail(reader, key, `${rows} arrays of ${columns} ${check.expected}`);
  return (value as number[][]).flat();
}

/** Splits a row-major flat array into nested rows (for snapshots and `parameters()`). */
export function toRows(flat: ArrayLike<number>, rows: number, columns: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from({ length: columns }, (_, j) => flat[i * columns + j] as number));
  return out;
}
