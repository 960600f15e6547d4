import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { SeededDropout } from './seeded-dropout.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const masks = (layer: SeededDropout, calls: number) =>
  Array.from({ length: calls }, () => tf.tidy(() => Array.from((layer.apply(tf.ones([64]), { training: true }) as tf.Tensor).dataSync())));

describe('SeededDropout', () => {
  it('draws a new mask on every training call, and the same sequence for the same seed', () => {
    const [first, second] = masks(new SeededDropout({ rate: 0.5, seed: 7 }), 2);
    expect(first).not.toEqual(second); // tf.layers.dropout({ seed }) would repeat its mask here
    expect(masks(new SeededDropout({ rate: 0.5, seed: 7 }), 2)).toEqual([first, second]);
    // kept units are scaled by 1/(1 − rate) = 2
    for (const v of first!) expect([0, 2]).toContain(v);
  });

  it('is the identity at inference', () => {
    const out = tf.tidy(() => Array.from((new SeededDropout({ rate: 0.5, seed: 1 }).apply(tf.ones([8]), { training: false }) as tf.Tensor).dataSync()));
    expect(out).toEqual(new Array(8).fill(1));
  });
});
