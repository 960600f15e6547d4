import { StateError } from '@trading-ml/core';

/** Anything with the two verbs of `Snapshottable`, whatever its state type (restore is called with parsed plain data). */
export interface RestorablePart {
  snapshot(): unknown;
  restore(state: never): void;
}

const FIELD_PROBLEM = /^Cannot restore \S+: field "([^"]*)"([\s\S]*)$/;
const WHOLE_PROBLEM = /^Cannot restore \S+: the snapshot([\s\S]*)$/;

/**
 * Re-states a nested part's StateError as the owner's, with the part's path in front of the field, so that a
 * corrupted engine snapshot names the full field ("population.agents.3.bandit.mean.2") however deep it is.
 * @param owner - the restoring object, e.g. 'PopAgentEngine'.
 * @param path - the part's field path inside the owner's snapshot, e.g. 'models.rls'.
 * @param error - the part's StateError.
 * @returns a StateError of the owner (the part's error as its cause).
 */
export function nestedStateError(owner: string, path: string, error: StateError): StateError {
  const field = FIELD_PROBLEM.exec(error.message);
  if (field !== null) return new StateError({ what: owner, problem: `field "${path}.${field[1]}"${field[2]}`, cause: error });
  const whole = WHOLE_PROBLEM.exec(error.message);
  if (whole !== null) return new StateError({ what: owner, problem: `field "${path}"${whole[1]}`, cause: error });
  return new StateError({ what: owner, problem: `field "${path}": ${error.message}`, cause: error });
}

/**
 * Restores several parts together: each from its state, in order; when one rejects its state, the parts already
 * restored get their previous state back, so the owner is left untouched (core's restore convention).
 * @param owner - name of the owner for error messages.
 * @param parts - [path in the owner's snapshot, part, the part's (unvalidated) state].
 * @throws StateError of the owner naming the full field path.
 */
export function restoreParts(owner: string, parts: ReadonlyArray<readonly [string, RestorablePart, unknown]>): void {
  const backups = parts.map(([, part]) => part.snapshot());
  let done = 0;
  try {
    for (const [path, part, state] of parts) {
      try {
        part.restore(state as never);
      } catch (error) {
        throw error instanceof StateError ? nestedStateError(owner, path, error) : error;
      }
      done++;
    }
  } catch (error) {
    for (let i = 0; i < done; i++) parts[i]![1].restore(backups[i] as never);
    throw error;
  }
}

/**
 * Replaces every −0 in a freshly built snapshot by 0, in place: JSON has no −0, and a snapshot must survive
 * JSON unchanged. Nothing PopAgent computes depends on the sign of a zero (it is only added and multiplied).
 * @param value - plain data (objects, arrays, numbers, …) owned by the caller.
 * @returns the same value.
 */
export function withoutNegativeZero<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'number') {
        if (Object.is(item, -0)) value[i] = 0;
      } else if (item !== null && typeof item === 'object') withoutNegativeZero(item);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'number') {
        if (Object.is(item, -0)) record[key] = 0;
      } else if (item !== null && typeof item === 'object') withoutNegativeZero(item);
    }
  }
  return value;
}
