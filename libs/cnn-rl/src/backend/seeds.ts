import { Rng } from '@trading-ml/core';

/**
 * A 31-bit seed for a tfjs initializer or op, from the stream `label` derived from `rng`. Deriving by label (not by
 * drawing in sequence) keeps every layer's seed fixed when layers are added or removed elsewhere in a network.
 *
 * @param rng - the owner's stream; not advanced.
 * @param label - a name unique within the owner, e.g. 'conv/0/kernel'.
 * @returns an integer in [0, 2³¹ − 1].
 * @example
 * tf.initializers.glorotUniform({ seed: seedFor(rng, 'dense/0/kernel') });
 */
export function seedFor(rng: Rng, label: string): number {
  return rng.derive(label).int(0, 0x7fffffff);
}

/**
 * The stream a model draws from: `seed` as a root seed, or a given stream (e.g. `root.derive('dqn/BTC/USDT')`).
 *
 * @param seed - a safe integer or an {@link Rng}.
 * @returns the Rng (the given one, not copied).
 * @throws ConfigError when a number is not a safe integer.
 */
export function toRng(seed: number | Rng): Rng {
  return seed instanceof Rng ? seed : Rng.fromSeed(seed);
}
