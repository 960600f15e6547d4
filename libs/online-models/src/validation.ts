// Internal checks shared by the constructors and the hot paths. Not part of the public API.
import { ConfigError } from '@trading-ml/core';

/** Throws ConfigError unless `value` is an integer in [min, max]. */
export function requireInteger(parameter: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new ConfigError({ parameter, value, expected: range });
  }
  return value;
}

/**
 * Throws ConfigError unless `value` is a finite number inside the interval; `open` names which ends are excluded.
 * Bounds default to the whole real line.
 */
export function requireNumber(
  parameter: string,
  value: number,
  bounds: { min?: number; max?: number; open?: 'left' | 'right' | 'both' | 'none' } = {},
): number {
  const { min = -Infinity, max = Infinity, open = 'none' } = bounds;
  const leftOpen = open === 'left' || open === 'both';
  const rightOpen = open === 'right' || open === 'both';
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (leftOpen ? value > min : value >= min) &&
    (rightOpen ? value < max : value <= max);
  if (!ok) {
    const left = min === -Infinity ? '(-∞' : `${leftOpen ? '(' : '['}${min}`;
    const right = max === Infinity ? '∞)' : `${max}${rightOpen ? ')' : ']'}`;
    throw new ConfigError({ parameter, value, expected: `a finite number in ${left}, ${right}` });
  }
  return value;
}

/** Throws ConfigError unless `value` is a boolean. */
export function requireBoolean(parameter: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError({ parameter, value, expected: 'true or false' });
  return value;
}

/** The ConfigError thrown for a feature vector that has the wrong length or a non-finite entry. */
export function badFeatures(owner: string, x: ArrayLike<number>, nFeatures: number): ConfigError {
  if (x === null || typeof x !== 'object' || x.length !== nFeatures) {
    return new ConfigError({
      parameter: `${owner} x`,
      value: x === null || typeof x !== 'object' ? x : `length ${x.length}`,
      expected: `an array of ${nFeatures} finite numbers`,
    });
  }
  let index = 0;
  while (index < x.length && Number.isFinite(x[index])) index++;
  return new ConfigError({ parameter: `${owner} x[${index}]`, value: x[index], expected: 'a finite number' });
}

/** Throws ConfigError unless `y` (a label or an observation) is a finite number. */
export function requireFiniteObservation(parameter: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError({ parameter, value, expected: 'a finite number' });
}
