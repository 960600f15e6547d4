import * as tf from '@tensorflow/tfjs';

/**
 * The dueling aggregation Q(s, a) = V(s) + A(s, a) − mean_a' A(s, a') as a layer with inputs [V [B, 1], A [B, nA]]
 * and output Q [B, nA]. Subtracting the mean advantage makes V and A identifiable (eq. 9 of the paper).
 *
 * @see Z. Wang et al. (2016), "Dueling network architectures for deep reinforcement learning", ICML, eq. (9).
 * @example
 * const q = new DuelingAggregation({}).apply([valueTensor, advantageTensor]);
 */
export class DuelingAggregation extends tf.layers.Layer {
  static readonly className = 'DuelingAggregation';

  constructor(args: { name?: string } = {}) {
    super(args.name === undefined ? {} : { name: args.name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error('DuelingAggregation expects two inputs [value, advantage]');
    const [value, advantage] = inputs as [tf.Tensor, tf.Tensor];
    return tf.tidy(() => tf.add(value, tf.sub(advantage, tf.mean(advantage, 1, true)))); // [B,1] + [B,nA] − [B,1]
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[1] as tf.Shape;
  }
}

tf.serialization.registerClass(DuelingAggregation);

/**
 * The same aggregation in plain JS, for one state: Q_a = V + A_a − mean(A).
 * @param value - V(s).
 * @param advantages - A(s, ·), one per action.
 * @returns Q(s, ·).
 * @example
 * duelingQ(1, [1, 2, 3]); // [0, 1, 2]
 */
export function duelingQ(value: number, advantages: readonly number[]): number[] {
  const mean = advantages.reduce((s, a) => s + a, 0) / advantages.length;
  return advantages.map((a) => value + a - mean);
}
