// Internal argument checks shared by the bandits (not part of the public API); snapshots are checked by the
// zod schemas built from snapshot-schemas.ts.
import { ConfigError } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';

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
