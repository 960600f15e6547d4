// Zod building blocks of the bandits' snapshot schemas (not part of the public API). Each message is the
// "expected …" half of core's parseState error, so it reads as what a valid field holds.
import { z } from 'zod';

const FINITE = 'a finite number';
const POSITIVE = 'a finite number > 0';
const NON_NEGATIVE = 'a finite number ≥ 0';
const COUNT = 'an integer ≥ 0';
const UNIT_STEP = 'a number in (0, 1]';

// zod 4's z.number() already rejects NaN and ±Infinity, so every number below is finite.
export const finite = z.number({ error: FINITE });
export const positive = z.number({ error: POSITIVE }).positive(POSITIVE);
export const nonNegative = z.number({ error: NON_NEGATIVE }).nonnegative(NON_NEGATIVE);
export const count = z.number({ error: COUNT }).int(COUNT).nonnegative(COUNT);
/** A discount γ or learning rate η in (0, 1]. */
export const unitStep = z.number({ error: UNIT_STEP }).gt(0, UNIT_STEP).lte(1, UNIT_STEP);

/** A snapshot object of `what` (e.g. 'UCB1') with the given fields; unknown fields are dropped. */
export const snapshotOf = <S extends z.ZodRawShape>(what: string, shape: S) => z.object(shape, { error: `a ${what} snapshot object` });

/** The snapshot's `kind` tag. */
export const kindTag = <K extends string>(kind: K) => z.literal(kind, JSON.stringify(kind));

/** Exactly `value`, e.g. this instance's arm count, which a snapshot may not change. */
export const sameAs = (value: number, meaning: string) => z.literal(value, `${value} (${meaning})`);

/** An array of exactly `length` entries of `item`, one per arm (or regime). */
export const perArm = <T extends z.ZodType>(length: number, item: T, unit = 'arm') =>
  z.array(item, { error: `an array of ${length} numbers` }).length(length, `an array of ${length} numbers (one per ${unit})`);

