import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { multiHeadLoss } from './cnn-loss.js';
import { chronologicalSplit, gatherRows, validateCnnDataset } from './cnn-dataset.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('multiHeadLoss', () => {
  it('one head, one row: −log 0.5 + 0.5·(−log 0.5) = 1.5·ln 2', () => {
    const loss = tf.tidy(() => multiHeadLoss([tf.tensor2d([[0.5, 0.25, 0.25]])], [tf.tensor2d([[1, 0, 0]])], tf.tensor2d([[0.5]]), tf.tensor2d([[1]]), 0.5).dataSync()[0]);
    expect(loss).toBeCloseTo(1.5 * Math.LN2, 6);
  });

  it('sums the heads’ batch-mean cross-entropies and adds w × the batch-mean binary cross-entropy (soft targets)', () => {
    const loss = tf.tidy(() =>
      multiHeadLoss(
        [tf.tensor2d([[0.5, 0.25, 0.25], [0.2, 0.7, 0.1]]), tf.tensor2d([[0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])],
        [tf.tensor2d([[1, 0, 0], [0, 1, 0]]), tf.tensor2d([[0, 0, 1], [0, 0, 1]])],
        tf.tensor2d([[0.5], [0.8]]),
        tf.tensor2d([[1], [0.3]]),
        0.5,
      ).dataSync()[0],
    );
    const head1 = (-Math.log(0.5) - Math.log(0.7)) / 2;
    const head2 = (-Math.log(0.8) - Math.log(0.1)) / 2;
    const bce = (-Math.log(0.5) - (0.3 * Math.log(0.8) + 0.7 * Math.log(0.2))) / 2;
    expect(loss).toBeCloseTo(head1 + head2 + 0.5 * bce, 5);
  });
});

describe('CNN dataset helpers', () => {
  it('chronologicalSplit keeps the last ⌊N·fraction⌋ rows for validation', () => {
    expect(chronologicalSplit(10, 0.2)).toBe(8);
    expect(chronologicalSplit(10, 0.25)).toBe(8); // ⌊2.5⌋ = 2
    expect(chronologicalSplit(7, 0)).toBe(7);
  });

  it('gatherRows copies the listed rows in order', () => {
    const source = Float32Array.from([0, 1, 10, 11, 20, 21]);
    expect(Array.from(gatherRows(source, 2, [2, 0, 1], 0, 2))).toEqual([20, 21, 0, 1]);
  });

  it('validateCnnDataset names the array and the bad value', () => {
    const good = { x: new Float32Array(2 * 3), actions: Int32Array.from([0, 2]), confidence: Float32Array.from([0, 1]) };
    expect(validateCnnDataset(good, 3, 1)).toBe(2);
    expect(() => validateCnnDataset({ ...good, x: new Float32Array(5) }, 3, 1)).toThrow(/x.*N·L·C/);
    expect(() => validateCnnDataset({ ...good, actions: Int32Array.from([0, 3]) }, 3, 1)).toThrow(/actions\[1\]/);
    expect(() => validateCnnDataset({ ...good, confidence: Float32Array.from([0, 1.5]) }, 3, 1)).toThrow(/confidence\[1\]/);
    expect(() => validateCnnDataset({ ...good, x: Float32Array.from([0, 0, Number.NaN, 0, 0, 0]) }, 3, 1)).toThrow(/x\[2\]/);
  });
});
