// Internal argument and snapshot checks shared by the bandits (not part of the public API).
import { ConfigError, StateError, Rng } from '@trading-ml/core';
import type { RngState } from '@trading-ml/core';

/** Throws ConfigError unless `value` is an integer ≥ `min`. */
export function requireInteger(parameter: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError({ parameter, value, expected: `an integer ≥ ${min}` });
  }
}

/** Throws ConfigError unless `value` is finite and strictly positive. */
export function requirePositive(parameter: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError({ parameter, value, expected: 'a finite number > 0' });
  }
}

/** Throws ConfigError unless `value` is finite and ≥ 0. */
export function requireNonNegative(parameter: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ConfigError({ parameter, value, expected: 'a finite number ≥ 0' });
  }
}

/** Throws ConfigError unless `value` is finite. */
export function requireFinite(parameter: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError({ parameter, value, expected: 'a finite number' });
  }
}

/** Throws ConfigError unless `value` lies in (0, 1]. */
export function requireDiscount(parameter: string, value: number): void {
  if (!(value > 0 && value <= 1)) {
    throw new ConfigError({ parameter, value, expected: 'a number in (0, 1] (1 = stationary)' });
  }
}

/** Throws ConfigError unless `rate` lies in [0, 1]. */
export function requireRate(parameter: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new ConfigError({ parameter, value, expected: 'a number in [0, 1]' });
  }
}

/**
 * Throws ConfigError unless `value` looks like a `Rng`. Duck-typed rather than `instanceof`, so a Rng from a
 * second copy of @trading-ml/core (ESM and CJS builds side by side) is still accepted.
 */
export function requireRng(value: unknown): asserts value is Rng {
  const rng = value as Partial<Record<keyof Rng, unknown>> | null | undefined;
  const ok = typeof rng === 'object' && rng !== null && ['float', 'normal', 'gamma', 'beta', 'bernoulli', 'snapshot'].every((name) => typeof rng[name as keyof Rng] === 'function');
  if (!ok) {
    throw new ConfigError({ parameter: 'rng', value: typeof value, expected: 'a seeded Rng from @trading-ml/core (Rng.fromSeed(seed))' });
  }
}

/** Throws ConfigError unless 1 ≤ k ≤ nArms (integer). */
export function requireK(k: number, nArms: number): void {
  if (!Number.isSafeInteger(k) || k < 1 || k > nArms) {
    throw new ConfigError({ parameter: 'k', value: k, expected: `an integer in [1, ${nArms}] (the number of arms)` });
  }
}

/** Throws ConfigError unless `arm` is an integer arm index in [0, nArms). */
export function requireArm(arm: number, nArms: number): void {
  if (!Number.isSafeInteger(arm) || arm < 0 || arm >= nArms) {
    throw new ConfigError({ parameter: 'arm', value: arm, expected: `an integer in [0, ${nArms - 1}]` });
  }
}

/** Returns `state` as a record or throws StateError naming `what`. */
export function readRecord(what: string, state: unknown): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new StateError({ what, problem: `expected a plain object, got ${JSON.stringify(state) ?? String(state)}` });
  }
  return state as Record<string, unknown>;
}

/** Checks that `record.kind` equals `kind`. */
export function readKind(what: string, record: Record<string, unknown>, kind: string): void {
  if (record['kind'] !== kind) {
    throw new StateError({ what, problem: `field kind: expected ${JSON.stringify(kind)}, got ${JSON.stringify(record['kind'])}` });
  }
}

/** Reads a number field satisfying `ok`, or throws StateError naming the field, the value and `expected`. */
export function readNumber(what: string, record: Record<string, unknown>, field: string, ok: (x: number) => boolean, expected: string): number {
  const value = record[field];
  if (typeof value !== 'number' || !ok(value)) {
    throw new StateError({ what, problem: `field ${field}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}` });
  }
  return value;
}

/** Reads an array of `length` numbers each satisfying `ok`, or throws StateError naming the bad entry. */
export function readNumbers(
  what: string,
  record: Record<string, unknown>,
  field: string,
  length: number,
  ok: (x: number) => boolean,
  expected: string,
): Float64Array {
  const value = record[field];
  if (!Array.isArray(value) || value.length !== length) {
    const got = Array.isArray(value) ? `an array of length ${value.length}` : (JSON.stringify(value) ?? String(value));
    throw new StateError({ what, problem: `field ${field}: expected an array of ${length} numbers, got ${got}` });
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = value[i];
    if (typeof x !== 'number' || !ok(x)) {
      throw new StateError({ what, problem: `field ${field}[${i}]: expected ${expected}, got ${JSON.stringify(x) ?? String(x)}` });
    }
    out[i] = x;
  }
  return out;
}

/** Restores the `rng` field of a snapshot, or throws StateError. */
export function readRng(what: string, record: Record<string, unknown>): Rng {
  const value = record['rng'];
  const generator = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['generator'] : undefined;
  if (!Array.isArray(generator) || !generator.every((x) => Number.isSafeInteger(x))) {
    throw new StateError({ what, problem: `field rng: expected an Rng snapshot with 4 integer generator words, got ${JSON.stringify(value) ?? String(value)}` });
  }
  try {
    return Rng.restore(value as RngState);
  } catch (cause) {
    throw new StateError({ what, problem: `field rng: ${(cause as Error).message}`, cause });
  }
}

export const isFiniteNumber = (x: number): boolean => Number.isFinite(x);
export const isPositive = (x: number): boolean => x > 0 && Number.isFinite(x);
export const isNonNegative = (x: number): boolean => x >= 0 && Number.isFinite(x);
export const isDiscount = (x: number): boolean => x > 0 && x <= 1;
