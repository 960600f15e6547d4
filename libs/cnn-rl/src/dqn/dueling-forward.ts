import * as tf from '@tensorflow/tfjs';

/** The variables of a dueling Q network built by DuelingDoubleDqn, in forward order. */
export interface DuelingWeights {
  /** [kernel [in, out], bias [out]] of each hidden ReLU layer. */
  readonly hidden: ReadonlyArray<readonly [tf.Variable, tf.Variable]>;
  readonly value: readonly [tf.Variable, tf.Variable];
  readonly advantage: readonly [tf.Variable, tf.Variable];
}

function pair(model: tf.LayersModel, name: string): [tf.Variable, tf.Variable] {
  const [kernel, bias] = model.getLayer(name).trainableWeights.map((w) => w.read() as tf.Variable);
  if (kernel === undefined || bias === undefined) throw new Error(`layer '${name}' has no kernel and bias`);
  return [kernel, bias];
}

/**
 * The variables of a model with layers dense0…dense{n−1}, value, advantage (the layout DuelingDoubleDqn builds and
 * saves). The references stay valid while the model lives: training assigns new values to the same variables.
 */
export function duelingWeights(model: tf.LayersModel, hiddenLayers: number): DuelingWeights {
  return {
    hidden: Array.from({ length: hiddenLayers }, (_, i) => pair(model, `dense${i}`)),
    value: pair(model, 'value'),
    advantage: pair(model, 'advantage'),
  };
}

/**
 * Q(s, ·) of a dueling network straight from its variables: matmul, bias add and ReLU per layer, then
 * Q = V + A − mean A. Same numbers as `model.apply(states)` with fewer kernels: tfjs-layers' Dense runs the fused
 * matmul op, whose rank-3 reshapes and custom gradient add ≈ 40 small kernels to a train step, and on the wasm
 * backend each kernel launch costs about as much as a 64×256 product (≈ 14 → 10 ms per DQN step).
 *
 * @param weights - from {@link duelingWeights}.
 * @param states - s [B, S].
 * @returns Q [B, nA] (call inside tf.tidy; differentiable w.r.t. the variables).
 * @see Z. Wang et al. (2016), "Dueling network architectures for deep reinforcement learning", eq. (9).
 */
export function duelingForward(weights: DuelingWeights, states: tf.Tensor2D): tf.Tensor2D {
  let h: tf.Tensor2D = states;
  for (const [kernel, bias] of weights.hidden) h = tf.relu(tf.add(tf.matMul(h, kernel as tf.Tensor2D), bias)) as tf.Tensor2D; // [B, units]
  const value = tf.add(tf.matMul(h, weights.value[0] as tf.Tensor2D), weights.value[1]); // [B, 1]
  const advantage = tf.add(tf.matMul(h, weights.advantage[0] as tf.Tensor2D), weights.advantage[1]); // [B, nA]
  return tf.add(value, tf.sub(advantage, tf.mean(advantage, 1, true))) as tf.Tensor2D;
}
