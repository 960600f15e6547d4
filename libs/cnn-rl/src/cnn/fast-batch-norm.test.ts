import * as tf from '@tensorflow/tfjs';
import { Rng } from '@trading-ml/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { FastBatchNormalization } from './fast-batch-norm.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

/** Output, gradients (x, γ, β) of Σ r ⊙ BN(x) in training mode, then moving stats, then an inference output. */
function run(layer: tf.layers.Layer, x: Float32Array, r: Float32Array, gamma: Float32Array, beta: Float32Array) {
  return tf.tidy(() => {
    const input = tf.tensor3d(x, [4, 5, 3]);
    layer.apply(input); // build
    const [g, b, mm, mv] = layer.getWeights();
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), mm!, mv!]);
    void g;
    void b;
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const weightsOut = tf.tensor3d(r, [4, 5, 3]);
    const [dx] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t, { training: true }) as tf.Tensor, weightsOut)))([input]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, weightsOut)) as tf.Scalar, variables);
    const output = Array.from((layer.apply(input, { training: true }) as tf.Tensor).dataSync());
    const moving = layer.getWeights().slice(2).map((w) => Array.from(w.dataSync()));
    const inference = Array.from((layer.apply(input, { training: false }) as tf.Tensor).dataSync());
    return { output, dx: Array.from(dx!.dataSync()), dGamma: Array.from(grads[variables[0]!.name]!.dataSync()), dBeta: Array.from(grads[variables[1]!.name]!.dataSync()), moving, inference };
  });
}

describe('FastBatchNormalization', () => {
  it('matches tf.layers.batchNormalization: outputs, gradients, moving statistics and inference', () => {
    const rng = Rng.fromSeed(21);
    const x = Float32Array.from({ length: 60 }, () => rng.normal(2, 3));
    const r = Float32Array.from({ length: 60 }, () => rng.normal());
    const gamma = Float32Array.from([1.5, -0.5, 2]);
    const beta = Float32Array.from([0.1, 0.2, -0.3]);
    const reference = run(tf.layers.batchNormalization({ momentum: 0.9 }), x, r, gamma, beta);
    const fast = run(new FastBatchNormalization({ momentum: 0.9 }), x, r, gamma, beta);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
    close(fast.output, reference.output);
    close(fast.dx, reference.dx);
    close(fast.dGamma, reference.dGamma);
    close(fast.dBeta, reference.dBeta);
    close(fast.moving.flat(), reference.moving.flat()); // three training calls moved the statistics the same way
    close(fast.inference, reference.inference);
  });

  it('keeps the tensor count constant across training calls under a gradient tape', () => {
    const layer = new FastBatchNormalization();
    const input = tf.ones([2, 3, 4]);
    layer.apply(input);
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () => tf.tidy(() => void tf.variableGrads(() => tf.sum(layer.apply(input, { training: true }) as tf.Tensor) as tf.Scalar, variables));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    input.dispose();
  });
});
