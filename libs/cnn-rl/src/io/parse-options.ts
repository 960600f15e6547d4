import { ConfigError } from '@trading-ml/core';
import type { z } from 'zod';

/**
 * Validates constructor options against a zod schema, applying its defaults.
 *
 * @param what - the owner, e.g. 'MultiTimeframeCnn'; the parameter in the error is `<what>.<field path>`.
 * @param schema - the options schema.
 * @param options - the untrusted options.
 * @returns the parsed options with defaults filled in.
 * @throws ConfigError naming the first bad option, its value and what was expected.
 * @example
 * parseOptions('DuelingDoubleDqn', schema, { stateSize: 0 }); // ConfigError: Invalid DuelingDoubleDqn.stateSize: got 0, ...
 */
export function parseOptions<T extends z.ZodType>(what: string, schema: T, options: unknown): z.output<T> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  let value: unknown = options;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  throw new ConfigError({ parameter: [what, ...path.map(String)].join('.'), value, expected: issue?.message ?? 'a valid value' });
}
