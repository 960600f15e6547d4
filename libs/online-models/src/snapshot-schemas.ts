// Zod building blocks of the learners' snapshot schemas, and the matrix layout snapshots use. Not part of the public API.
// zod 4's z.number() already rejects NaN and ±Infinity, and .int() only accepts safe integers.
import { z } from 'zod';

/** A count (nUpdates and the like): a non-negative safe integer. */
export const count = z.number().int().nonnegative();

/** A probability in [0, 1]. */
export const probability = z.number().min(0).max(1);

/** A field that must equal this instance's value (set by its constructor, e.g. nFeatures, which fixes array shapes). */
export function fixed<T extends number | boolean>(value: T): z.ZodLiteral<T> {
  return z.literal(value, `${String(value)} (fixed by this instance's constructor)`);
}

/** An array of exactly `length` numbers, each passing `item` (default: any finite number). */
export function vector(length: number, item: z.ZodNumber = z.number()): z.ZodArray<z.ZodNumber> {
  return z.array(item).length(length, `an array of ${length} numbers`);
}

/** A matrix stored as `rows` nested arrays, each passing `row`; parses to the row-major flat array. */
export function matrix(rows: number, row: z.ZodType<number[]>) {
  return z
    .array(row)
    .length(rows, `${rows} rows`)
    .transform((nested) => nested.flat());
}

/** Splits a row-major flat array into nested rows (for snapshots and `parameters()`). */
export function toRows(flat: ArrayLike<number>, rows: number, columns: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from({ length: columns }, (_, j) => flat[i * columns + j] as number));
  return out;
}
