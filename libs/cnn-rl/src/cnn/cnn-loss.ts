import * as tf from '@tensorflow/tfjs';

/** Probabilities are clipped to [ε, 1 − ε] before the logarithm, as Keras does. */
const EPSILON = 1e-7;

/**
 * The multi-timeframe CNN's loss: Σ_h CE(p_h, y_h) + w·BCE(c, t), each term a batch mean.
 *
 * CE(p, y) = −log p[y] is the categorical cross-entropy of head h's softmax p_h against the action label y_h;
 * BCE(c, t) = −t·log c − (1 − t)·log(1 − c) is the binary cross-entropy of the sigmoid confidence c against the
 * target t ∈ [0, 1]. BCE rather than MSE: with a sigmoid output its gradient is c − t (no σ′ factor that vanishes
 * when the unit saturates), and it is minimised exactly at c = t for soft targets too.
 *
 * @param headProbabilities - per head, softmax outputs [B, 3].
 * @param headLabels - per head, one-hot labels [B, 3].
 * @param confidence - sigmoid output [B, 1].
 * @param confidenceTarget - targets [B, 1] in [0, 1].
 * @param confidenceWeight - w, 0.5 in the multi-timeframe CNN.
 * @returns the scalar loss (a new tensor; call inside tf.tidy).
 * @see C. M. Bishop (2006), "Pattern Recognition and Machine Learning", §4.3.2 and §4.3.4 (cross-entropy).
 * @example
 * // one head predicting [0.5, 0.25, 0.25] for label 0, confidence 0.5 for target 1:
 * // −log 0.5 + 0.5·(−log 0.5) = 1.5·ln 2 ≈ 1.0397
 */
export function multiHeadLoss(
  headProbabilities: readonly tf.Tensor[],
  headLabels: readonly tf.Tensor[],
  confidence: tf.Tensor,
  confidenceTarget: tf.Tensor,
  confidenceWeight: number,
): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    headProbabilities.forEach((p, h) => {
      const y = headLabels[h]!;
      const crossEntropy = tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))), 1)); // [B]
      total = tf.add(total, tf.mean(crossEntropy));
    });
    const c = tf.clipByValue(confidence, EPSILON, 1 - EPSILON); // [B, 1]
    const bce = tf.neg(tf.add(tf.mul(confidenceTarget, tf.log(c)), tf.mul(tf.sub(1, confidenceTarget), tf.log(tf.sub(1, c))))); // [B, 1]
    return tf.add(total, tf.mul(confidenceWeight, tf.mean(bce))) as tf.Scalar;
  });
}
