import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trading-ml/core';

/**
 * Double-DQN targets y = r + γ·(1 − done)·Q_target(s', argmax_a Q_online(s', a)): the online network picks the next
 * action, the target network values it, which removes most of DQN's max-operator overestimation.
 *
 * @param rewards - r [B].
 * @param dones - 1 for terminal s', else 0 [B].
 * @param nextOnlineQ - Q_online(s', ·) [B, A].
 * @param nextTargetQ - Q_target(s', ·) [B, A].
 * @param gamma - discount γ ∈ [0, 1].
 * @returns y [B] (call inside tf.tidy; no gradient should flow through it).
 * @see H. van Hasselt, A. Guez, D. Silver (2016), "Deep reinforcement learning with double Q-learning", AAAI, eq. (4).
 * @example
 * // r = 1, not done, γ = 0.9, online Q(s') = [1, 3], target Q(s') = [10, 20] → a* = 1, y = 1 + 0.9·20 = 19
 */
export function doubleDqnTargets(rewards: tf.Tensor1D, dones: tf.Tensor1D, nextOnlineQ: tf.Tensor2D, nextTargetQ: tf.Tensor2D, gamma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const actionCount = nextOnlineQ.shape[1];
    const bestNext = tf.argMax(nextOnlineQ, 1) as tf.Tensor1D; // [B]
    const nextValue = tf.sum(tf.mul(nextTargetQ, tf.oneHot(bestNext, actionCount)), 1); // [B]
    return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, dones)), nextValue)) as tf.Tensor1D;
  });
}

/**
 * {@link doubleDqnTargets} on host arrays, for the train step (two reads of [B, nA] Q values replace ten kernels).
 *
 * @param rewards - r [B].
 * @param dones - 1 for terminal s', else 0 [B].
 * @param nextOnlineQ - Q_online(s', ·) row-major [B, nA].
 * @param nextTargetQ - Q_target(s', ·) row-major [B, nA].
 * @param actionCount - nA.
 * @param gamma - discount γ ∈ [0, 1].
 * @returns y [B]; ties in argmax go to the lowest action index, as tf.argMax does.
 * @see H. van Hasselt, A. Guez, D. Silver (2016), "Deep reinforcement learning with double Q-learning", AAAI, eq. (4).
 * @example
 * doubleDqnTargetValues([1], [0], [1, 3], [10, 20], 2, 0.9); // Float64Array [19]
 */
export function doubleDqnTargetValues(
  rewards: ArrayLike<number>,
  dones: ArrayLike<number>,
  nextOnlineQ: ArrayLike<number>,
  nextTargetQ: ArrayLike<number>,
  actionCount: number,
  gamma: number,
): Float64Array {
  const y = new Float64Array(rewards.length);
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let a = 1; a < actionCount; a++) if (nextOnlineQ[i * actionCount + a]! > nextOnlineQ[i * actionCount + best]!) best = a;
    y[i] = rewards[i]! + gamma * (1 - dones[i]!) * nextTargetQ[i * actionCount + best]!;
  }
  return y;
}

/**
 * The Huber loss of residuals x: ½x² for |x| ≤ δ, δ·(|x| − ½δ) beyond (quadratic near 0, linear in the tails, so
 * one large TD error cannot dominate the gradient).
 *
 * @param x - residuals, any shape.
 * @param delta - δ > 0.
 * @returns the elementwise loss, same shape (call inside tf.tidy).
 * @see P. J. Huber (1964), "Robust estimation of a location parameter", Annals of Mathematical Statistics 35(1).
 * @example
 * // δ = 1: x = 0.5 → 0.125, x = −3 → 2.5
 */
export function huber(x: tf.Tensor, delta: number): tf.Tensor {
  return tf.tidy(() => {
    // with q = min(|x|, δ): q·(|x| − q/2) is ½x² when |x| ≤ δ and δ(|x| − δ/2) beyond, in 5 kernels instead of 7
    const absolute = tf.abs(x);
    const clipped = tf.minimum(absolute, delta);
    return tf.mul(clipped, tf.sub(absolute, tf.mul(0.5, clipped)));
  });
}

/**
 * The Huber loss of one residual and its derivative: ½x² and x for |x| ≤ δ; δ(|x| − ½δ) and δ·sign(x) beyond.
 * @param x - the residual.
 * @param delta - δ > 0.
 * @returns [loss, dloss/dx].
 * @example
 * huberWithSlope(-3, 1); // [2.5, -1]
 */
export function huberWithSlope(x: number, delta: number): [number, number] {
  const absolute = Math.abs(x);
  if (absolute <= delta) return [0.5 * x * x, x];
  return [delta * (absolute - 0.5 * delta), x > 0 ? delta : -delta];
}

/**
 * Exploration rate from a regime-stability score: ε = max − (max − min)·stability, so a stable regime explores
 * little and a changing one explores more. The caller owns the schedule; this is one pure mapping.
 *
 * @param stability - in [0, 1], 1 = fully stable (e.g. the probability of staying in the current regime).
 * @param bounds.min - ε at stability 1, in [0, 1].
 * @param bounds.max - ε at stability 0, in [min, 1].
 * @returns ε ∈ [min, max].
 * @throws ConfigError when stability or the bounds are out of range.
 * @example
 * epsilonForStability(0.75, { min: 0.05, max: 0.25 }); // 0.25 − 0.2·0.75 = 0.1
 */
export function epsilonForStability(stability: number, bounds: { min: number; max: number }): number {
  if (!(stability >= 0 && stability <= 1)) throw new ConfigError({ parameter: 'stability', value: stability, expected: 'a number in [0, 1]' });
  const { min, max } = bounds;
  if (!(min >= 0 && max <= 1 && min <= max)) throw new ConfigError({ parameter: 'epsilon bounds { min, max }', value: bounds, expected: '0 ≤ min ≤ max ≤ 1' });
  return max - (max - min) * stability;
}
