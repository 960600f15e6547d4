import type { z } from 'zod';
import { StateError, describeValue } from './errors.js';

/**
 * Validates a snapshot (or checkpoint) against a zod schema before anything is restored from it.
 *
 * Restores call this first and assign only afterwards, so a rejected snapshot leaves the object untouched.
 *
 * @param what - the name of the restoring object for the message, e.g. 'GaussianThompson'.
 * @param schema - the zod schema of the snapshot's plain-data shape.
 * @param state - the untrusted value (often straight from JSON.parse).
 * @returns the parsed value, typed by the schema.
 * @throws StateError naming the first offending field path, its value and what the schema expected.
 * @example
 * const schema = z.object({ nArms: z.number().int().positive(), means: z.array(z.number()) });
 * parseState('MyBandit', schema, { nArms: 0, means: [] });
 * // StateError: Cannot restore MyBandit: field "nArms" is 0, expected Too small: expected number to be >0
 */
export function parseState<T extends z.ZodType>(what: string, schema: T, state: unknown): z.output<T> {
  const result = schema.safeParse(state);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  let value: unknown = state;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const field = path.length === 0 ? 'the snapshot' : `field "${path.map(String).join('.')}"`;
  throw new StateError({ what, problem: `${field} is ${describeValue(value)}, expected ${issue?.message ?? 'a valid snapshot'}` });
}
