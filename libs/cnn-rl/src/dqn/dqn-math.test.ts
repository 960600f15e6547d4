import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trading-ml/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { doubleDqnTargetValues, doubleDqnTargets, epsilonForStability, huber, huberWithSlope } from './dqn-math.js';
import { DuelingAggregation, duelingQ } from './dueling-aggregation.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('doubleDqnTargets', () => {
  it('takes argmax from the online network and the value from the target network (hand-computed batch)', () => {
    const y = tf.tidy(() =>
      doubleDqnTargets(
        tf.tensor1d([1, 0.5, -1]),
        tf.tensor1d([0, 1, 0]),
        tf.tensor2d([[1, 3, 2], [5, 0, 0], [0, 0, 1]]), // a* = [1, 0, 2]
        tf.tensor2d([[10, 20, 30], [7, 8, 9], [4, 5, -6]]),
        0.9,
      ).arraySync(),
    );
    // y0 = 1 + 0.9·Q_target(s', 1) = 1 + 18 = 19 (vanilla DQN's max would give 1 + 0.9·30 = 28)
    // y1 = 0.5 (terminal: no bootstrap); y2 = −1 + 0.9·(−6) = −6.4
    expect(y[0]).toBeCloseTo(19, 5);
    expect(y[1]).toBeCloseTo(0.5, 6);
    expect(y[2]).toBeCloseTo(-6.4, 5);
  });

  it('has a host-array twin with the same hand-computed values (the train step uses it)', () => {
    const y = doubleDqnTargetValues([1, 0.5, -1], [0, 1, 0], [1, 3, 2, 5, 0, 0, 0, 0, 1], [10, 20, 30, 7, 8, 9, 4, 5, -6], 3, 0.9);
    expect(Array.from(y)).toEqual([1 + 0.9 * 20, 0.5, -1 + 0.9 * -6]);
  });
});

describe('huber', () => {
  it('is ½x² inside δ and δ(|x| − ½δ) outside', () => {
    const one = tf.tidy(() => huber(tf.tensor1d([0.5, -3, 1, 0]), 1).arraySync() as number[]);
    // 0.5²/2 = 0.125; 1·(3 − 0.5) = 2.5; 1²/2 = 0.5; 0
    [0.125, 2.5, 0.5, 0].forEach((v, i) => expect(one[i]).toBeCloseTo(v, 6));
    const two = tf.tidy(() => huber(tf.tensor1d([3, -1]), 2).arraySync() as number[]);
    // 2·(3 − 1) = 4; 1²/2 = 0.5
    expect(two[0]).toBeCloseTo(4, 6);
    expect(two[1]).toBeCloseTo(0.5, 6);
  });
});

describe('huberWithSlope', () => {
  it('gives the loss and its derivative on both sides of δ, matching the tensor huber', () => {
    expect(huberWithSlope(0.5, 1)).toEqual([0.125, 0.5]);
    expect(huberWithSlope(-3, 1)).toEqual([2.5, -1]);
    expect(huberWithSlope(3, 2)).toEqual([4, 2]);
    const xs = [-4, -1.5, -0.2, 0, 0.7, 2.5];
    const tensorValues = tf.tidy(() => huber(tf.tensor1d(xs), 1.5).arraySync() as number[]);
    xs.forEach((x, i) => expect(huberWithSlope(x, 1.5)[0]).toBeCloseTo(tensorValues[i]!, 5));
    // the slope is the derivative: central differences
    for (const x of [-2, -0.4, 0.9, 3]) {
      const h = 1e-6;
      expect(huberWithSlope(x, 1.5)[1]).toBeCloseTo((huberWithSlope(x + h, 1.5)[0] - huberWithSlope(x - h, 1.5)[0]) / (2 * h), 5);
    }
  });
});

describe('DuelingAggregation', () => {
  it('computes Q = V + A − mean A, the same as the plain-JS duelingQ', () => {
    const q = tf.tidy(() => (new DuelingAggregation().apply([tf.tensor2d([[1], [-2]]), tf.tensor2d([[1, 2, 3], [0, 0, 6]])]) as tf.Tensor).arraySync() as number[][]);
    // row 0: 1 + [1, 2, 3] − 2 = [0, 1, 2]; row 1: −2 + [0, 0, 6] − 2 = [−4, −4, 2]
    expect(q).toEqual([[0, 1, 2], [-4, -4, 2]]);
    expect(duelingQ(1, [1, 2, 3])).toEqual(q[0]);
    expect(duelingQ(-2, [0, 0, 6])).toEqual(q[1]);
  });

  it('leaves the mean advantage out of Q: the mean of Q is V', () => {
    const q = duelingQ(0.7, [3.1, -2.4, 8.8]);
    expect((q[0]! + q[1]! + q[2]!) / 3).toBeCloseTo(0.7, 12);
  });
});

describe('epsilonForStability', () => {
  it('maps stability 0 → max, 1 → min, linearly between', () => {
    expect(epsilonForStability(0, { min: 0.05, max: 0.25 })).toBe(0.25);
    expect(epsilonForStability(1, { min: 0.05, max: 0.25 })).toBeCloseTo(0.05, 15);
    expect(epsilonForStability(0.75, { min: 0.05, max: 0.25 })).toBeCloseTo(0.1, 15); // 0.25 − 0.2·0.75
  });

  it('rejects stability outside [0, 1] and inverted bounds', () => {
    expect(() => epsilonForStability(1.2, { min: 0, max: 1 })).toThrow(ConfigError);
    expect(() => epsilonForStability(Number.NaN, { min: 0, max: 1 })).toThrow(/stability/);
    expect(() => epsilonForStability(0.5, { min: 0.5, max: 0.1 })).toThrow(/min ≤ max/);
  });
});
