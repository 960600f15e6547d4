import * as tf from '@tensorflow/tfjs';
import { Rng } from '@trading-ml/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';

/** Runs `compute` on a backend with plain-array inputs and returns plain arrays, so both backends see the same numbers. */
async function on<T>(backend: 'cpu' | 'wasm', compute: () => T): Promise<T> {
  await tf.setBackend(backend);
  return compute();
}

function randomArray(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.name).toBe('wasm');
});

describe('wasm training kernels against the cpu backend', () => {
  const conv1dCases = [
    { name: "Conv1D k=3 'same' stride 1 (the CNN's layers)", batch: 3, length: 11, inChannels: 4, outChannels: 5, kernel: 3, stride: 1, pad: 'same' as const },
    { name: "Conv1D k=4 'valid' stride 2", batch: 2, length: 13, inChannels: 3, outChannels: 2, kernel: 4, stride: 2, pad: 'valid' as const },
    { name: "Conv1D k=5 'same' stride 3", batch: 2, length: 10, inChannels: 2, outChannels: 3, kernel: 5, stride: 3, pad: 'same' as const },
  ];
  for (const c of conv1dCases) {
    it(`${c.name}: input and filter gradients match within 1e-4`, async () => {
      const rng = Rng.fromSeed(11);
      const x = randomArray(rng, c.batch * c.length * c.inChannels);
      const w = randomArray(rng, c.kernel * c.inChannels * c.outChannels);
      const outLength = c.pad === 'same' ? Math.ceil(c.length / c.stride) : Math.floor((c.length - c.kernel) / c.stride) + 1;
      const r = randomArray(rng, c.batch * outLength * c.outChannels); // loss = Σ r ⊙ conv(x, w), so dL/dy = r
      const gradients = () =>
        tf.tidy(() => {
          const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
            tf.sum(tf.mul(tf.conv1d(xs as tf.Tensor3D, ws as tf.Tensor3D, c.stride, c.pad), tf.tensor3d(r, [c.batch, outLength, c.outChannels]))),
          )([tf.tensor3d(x, [c.batch, c.length, c.inChannels]), tf.tensor3d(w, [c.kernel, c.inChannels, c.outChannels])]);
          return { dx: dx!.dataSync().slice(), dw: dw!.dataSync().slice() };
        });
      const cpu = await on('cpu', gradients);
      const wasm = await on('wasm', gradients);
      expectClose(wasm.dw, cpu.dw, 1e-4);
      expectClose(wasm.dx, cpu.dx, 1e-4);
    });
  }

  it('a tf.layers.conv1d layer: kernel and bias gradients match the cpu backend within 1e-4', async () => {
    const rng = Rng.fromSeed(12);
    const x = randomArray(rng, 2 * 9 * 3);
    const kernel = randomArray(rng, 3 * 3 * 6);
    const bias = randomArray(rng, 6);
    const layerGradients = () =>
      tf.tidy(() => {
        const layer = tf.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', inputShape: [9, 3] });
        const input = tf.tensor3d(x, [2, 9, 3]);
        layer.apply(input); // builds the weights
        layer.setWeights([tf.tensor3d(kernel, [3, 3, 6]), tf.tensor1d(bias)]);
        const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(input) as tf.Tensor)) as tf.Scalar, variables);
        const result = variables.map((v) => grads[v.name]!.dataSync().slice());
        layer.dispose();
        return result;
      });
    const cpu = await on('cpu', layerGradients);
    const wasm = await on('wasm', layerGradients);
    expect(wasm).toHaveLength(2);
    expectClose(wasm[0]!, cpu[0]!, 1e-4);
    expectClose(wasm[1]!, cpu[1]!, 1e-4);
  });

  it('Conv2D (NHWC, stride [2, 1], kernel [3, 2]): gradients match the cpu backend', async () => {
    const rng = Rng.fromSeed(13);
    const x = randomArray(rng, 2 * 7 * 5 * 3);
    const w = randomArray(rng, 3 * 2 * 3 * 4);
    const gradients = () =>
      tf.tidy(() => {
        const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.sin(tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, [2, 1], 'same'))))([
          tf.tensor4d(x, [2, 7, 5, 3]),
          tf.tensor4d(w, [3, 2, 3, 4]),
        ]);
        return { dx: dx!.dataSync().slice(), dw: dw!.dataSync().slice() };
      });
    const cpu = await on('cpu', gradients);
    const wasm = await on('wasm', gradients);
    expectClose(wasm.dw, cpu.dw, 1e-4);
    expectClose(wasm.dx, cpu.dx, 1e-4);
  });

  it('BatchMatMul with every transpose combination (2-D and batched) matches the cpu backend', async () => {
    const rng = Rng.fromSeed(14);
    const a = randomArray(rng, 2 * 4 * 6);
    const b = randomArray(rng, 2 * 6 * 5);
    const products = () =>
      tf.tidy(() => {
        const out: number[][] = [];
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const a2 = tf.tensor2d(a.subarray(0, 24), transposeA ? [6, 4] : [4, 6]);
            const b2 = tf.tensor2d(b.subarray(0, 30), transposeB ? [5, 6] : [6, 5]);
            out.push(Array.from(tf.matMul(a2, b2, transposeA, transposeB).dataSync()));
            const a3 = tf.tensor3d(a, transposeA ? [2, 6, 4] : [2, 4, 6]);
            const b3 = tf.tensor3d(b, transposeB ? [2, 5, 6] : [2, 6, 5]);
            out.push(Array.from(tf.matMul(a3, b3, transposeA, transposeB).dataSync()));
          }
        }
        return out;
      });
    const cpu = await on('cpu', products);
    const wasm = await on('wasm', products);
    cpu.forEach((expected, i) => expectClose(wasm[i]!, expected, 1e-5));
  });

  it('the kernels free their intermediates: no tensor or wasm buffer is left behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const step = () =>
      tf.tidy(() => {
        const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.conv1d(xs as tf.Tensor3D, ws as tf.Tensor3D, 1, 'same')))([tf.ones([2, 8, 3]), tf.ones([3, 3, 4])]);
        return tf.add(tf.sum(dx!), tf.sum(dw!)).dataSync()[0];
      });
    step();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});
