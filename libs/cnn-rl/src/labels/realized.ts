import { DataError } from '@trading-ml/core';

/**
 * The samples whose outcome is known at `asOf` (realizedAt ≤ asOf): the only ones a training set built at `asOf`
 * may contain. A label for horizon h of a decision at t is realized at t + h, never earlier.
 *
 * @param samples - anything with `realizedAt` (UTC ms).
 * @param asOf - the time the training set is built, UTC ms.
 * @returns a new array of the realized samples, order kept.
 * @throws never.
 * @see STYLE.md "Time, randomness, state": a label for horizon h reaches a learner only h later.
 * @example
 * realizedSamples([{ realizedAt: 10 }, { realizedAt: 20 }], 15); // [{ realizedAt: 10 }]
 */
export function realizedSamples<T extends { readonly realizedAt: number }>(samples: readonly T[], asOf: number): T[] {
  return samples.filter((sample) => sample.realizedAt <= asOf);
}

/**
 * Checks that every sample of a training set was realized by `asOf`.
 * @param samples - the training set.
 * @param asOf - the time the set claims to be built at, UTC ms.
 * @returns nothing.
 * @throws DataError code 'LOOKAHEAD' naming the first sample realized after `asOf`.
 * @see {@link realizedSamples}
 * @example
 * assertRealized(trainingSet, Date.UTC(2024, 7, 25)); // throws if any label is still in the future
 */
export function assertRealized(samples: readonly { readonly realizedAt: number; readonly time?: number }[], asOf: number): void {
  const index = samples.findIndex((sample) => sample.realizedAt > asOf);
  if (index < 0) return;
  const sample = samples[index] as { realizedAt: number; time?: number };
  throw new DataError({
    code: 'LOOKAHEAD',
    location: { column: `sample ${index}${sample.time === undefined ? '' : ` (decided at ${new Date(sample.time).toISOString()})`}` },
    value: new Date(sample.realizedAt).toISOString(),
    expected: `a label realized at or before ${new Date(asOf).toISOString()}, the time the training set is built`,
  });
}
