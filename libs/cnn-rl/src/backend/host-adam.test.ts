import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trading-ml/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HostAdam } from './host-adam.js';
import { initBackend } from './init-backend.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

/** Minimises Σ (w ⊙ x − t)² over two variables for `steps` steps with the given optimizer step. */
function trajectory(step: (grads: tf.NamedTensorMap, variables: tf.Variable[]) => void, steps: number): number[][] {
  const w = tf.variable(tf.tensor2d([[0.5, -1], [2, 0.1]]));
  const b = tf.variable(tf.tensor1d([0.3, -0.7]));
  const x = tf.tensor2d([[1, 2], [3, -1]]);
  const t = tf.tensor2d([[0, 1], [4, -2]]);
  for (let k = 0; k < steps; k++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), t))) as tf.Scalar, [w, b]);
      step(grads, [w, b]);
    });
  }
  const result = [Array.from(w.dataSync()), Array.from(b.dataSync())];
  tf.dispose([w, b, x, t]);
  return result;
}

describe('HostAdam', () => {
  it('follows the same trajectory as tf.train.adam (tfjs-core, the reference) over 25 steps', () => {
    const reference = tf.train.adam(0.05);
    const expected = trajectory((grads) => reference.applyGradients(grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]), 25);
    reference.dispose();
    let adam: HostAdam | null = null;
    const actual = trajectory((grads, variables) => {
      adam ??= new HostAdam(variables, { learningRate: 0.05 });
      adam.applyGradients(grads);
    }, 25);
    expected.flat().forEach((value, i) => expect(actual.flat()[i]).toBeCloseTo(value, 4));
    expect(adam!.iterations).toBe(25);
  });

  it('first step moves each parameter by −α·sign(g) (m̂/√v̂ = g/|g|), scaled only in norm by clipping', () => {
    const v = tf.variable(tf.tensor1d([1, 1, 1]));
    const adam = new HostAdam([v], { learningRate: 0.1, maxGradNorm: 1 });
    const g = tf.tensor1d([3, -4, 0]); // norm 5 → clipped to [0.6, −0.8, 0]; Adam's first step is still ±α
    const norm = adam.applyGradients({ [v.name]: g });
    expect(norm).toBe(5);
    const after = Array.from(v.dataSync());
    expect(after[0]).toBeCloseTo(0.9, 5);
    expect(after[1]).toBeCloseTo(1.1, 5);
    expect(after[2]).toBe(1);
    tf.dispose([v, g]);
  });

  it('keeps the tensor count constant across steps', () => {
    const v = tf.variable(tf.ones([4, 4]));
    const adam = new HostAdam([v], { learningRate: 0.1 });
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) tf.tidy(() => adam.applyGradients({ [v.name]: tf.onesLike(v) }));
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });

  it('rejects a non-positive learning rate', () => {
    expect(() => new HostAdam([], { learningRate: 0 })).toThrow(ConfigError);
  });
});
