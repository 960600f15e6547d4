import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, Rng } from '@trading-ml/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import type { CnnDataset } from './cnn-dataset.js';
import { MultiTimeframeCnn } from './multi-timeframe-cnn.js';
import type { MultiTimeframeCnnOptions } from './multi-timeframe-cnn.js';

const L = 8;
const C = 2;
const tiny: MultiTimeframeCnnOptions = { timeframes: ['1h', '4h'], sequenceLength: L, channels: C, filters: [4, 4, 4], headUnits: [6], confidenceUnits: [4], dropout: 0.1, learningRate: 0.02, seed: 3 };

/**
 * N windows whose class k ∈ {0, 1, 2} shifts every value by k − 1 (plus noise): head '1h' labels k, head '4h'
 * labels 2 − k, confidence k/2. Learnable by the pooled conv features. `flipTail` swaps the labels of the last
 * quarter, so validation loss rises as training fits the head.
 */
function dataset(n: number, seed: number, flipTail = false): CnnDataset {
  const rng = Rng.fromSeed(seed);
  const x = new Float32Array(n * L * C);
  const actions = new Int32Array(n * 2);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(0, 2);
    for (let j = 0; j < L * C; j++) x[i * L * C + j] = k - 1 + rng.normal(0, 0.3);
    const flipped = flipTail && i >= n * 0.75;
    actions[i * 2] = flipped ? 2 - k : k;
    actions[i * 2 + 1] = flipped ? k : 2 - k;
    confidence[i] = k / 2;
  }
  return { x, actions, confidence };
}

/** The loss of rows [start, n) from predict(): Σ heads mean −log p[y] + 0.5·mean BCE, computed in JS. */
function lossFromPredictions(cnn: MultiTimeframeCnn, data: CnnDataset, start: number): number {
  const n = data.confidence.length;
  const predictions = cnn.predict(data.x.subarray(start * L * C), n - start);
  let crossEntropy = 0;
  let bce = 0;
  predictions.forEach((p, r) => {
    const row = start + r;
    p.heads.forEach((probabilities, h) => (crossEntropy -= Math.log(probabilities[data.actions[row * 2 + h]!]!)));
    const t = data.confidence[row]!;
    bce -= t * Math.log(p.confidence) + (1 - t) * Math.log(1 - p.confidence);
  });
  return crossEntropy / predictions.length + (0.5 * bce) / predictions.length;
}

let dir: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'cnn-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('MultiTimeframeCnn', () => {
  it('has one [B, 3] softmax head per timeframe and a [B, 1] confidence; predictions are probabilities', () => {
    const cnn = new MultiTimeframeCnn(tiny);
    expect(cnn.network.outputs.map((o) => o.shape)).toEqual([[null, 3], [null, 3], [null, 1]]);
    expect(cnn.network.inputs[0]!.shape).toEqual([null, L, C]);
    const predictions = cnn.predict(dataset(5, 1).x, 5);
    expect(predictions).toHaveLength(5);
    for (const p of predictions) {
      expect(p.heads).toHaveLength(2);
      for (const head of p.heads) {
        expect(head).toHaveLength(3);
        expect(head[0]! + head[1]! + head[2]!).toBeCloseTo(1, 5);
      }
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThan(1);
    }
    cnn.dispose();
  });

  it('learns a small learnable dataset: the loss falls and both heads become accurate on the validation tail', async () => {
    const cnn = new MultiTimeframeCnn(tiny);
    const history = await cnn.fit(dataset(96, 2), { epochs: 12, batchSize: 16, validationFraction: 0.25, patience: 12 });
    const first = history.epochs[0]!;
    const best = history.epochs[history.bestEpoch]!;
    expect(best.valLoss).toBeLessThan(first.valLoss * 0.6);
    expect(history.epochs.at(-1)!.loss).toBeLessThan(first.loss);
    expect(best.accuracy[0]).toBeGreaterThan(0.8);
    expect(best.accuracy[1]).toBeGreaterThan(0.8);
    cnn.dispose();
  });

  it('early stopping restores the best epoch’s weights, and validates on the chronological tail', async () => {
    const cnn = new MultiTimeframeCnn({ ...tiny, learningRate: 0.05 });
    const data = dataset(64, 3, true); // the last quarter has flipped labels: fitting the rest makes valLoss rise
    const seen: number[] = [];
    const history = await cnn.fit(data, { epochs: 15, batchSize: 16, validationFraction: 0.25, patience: 2, onEpoch: (epoch) => void seen.push(epoch) });
    expect(history.monitor).toBe('valLoss');
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toHaveLength(history.bestEpoch + 3); // best, then 2 epochs without improvement
    expect(seen).toEqual(history.epochs.map((_, i) => i));
    const bestValLoss = Math.min(...history.epochs.map((e) => e.valLoss));
    expect(history.epochs[history.bestEpoch]!.valLoss).toBe(bestValLoss);
    expect(history.epochs.at(-1)!.valLoss).toBeGreaterThan(bestValLoss);
    // the model now holds the best weights: its loss on rows 48..63 (the last 25%) is the best epoch's valLoss
    expect(lossFromPredictions(cnn, data, 48)).toBeCloseTo(bestValLoss, 4);
    cnn.dispose();
  });

  it('save → load gives the same predictions', async () => {
    const cnn = new MultiTimeframeCnn(tiny);
    const data = dataset(32, 4);
    await cnn.fit(data, { epochs: 2, batchSize: 8, validationFraction: 0, patience: 2 });
    await cnn.save(dir);
    const loaded = await MultiTimeframeCnn.load(dir);
    expect(loaded.timeframes).toEqual(['1h', '4h']);
    expect(loaded.predict(data.x, 32)).toEqual(cnn.predict(data.x, 32));
    loaded.dispose();
    cnn.dispose();
  });

  it('is reproducible: the same seed gives the same weights and the same training history', async () => {
    const data = dataset(32, 5);
    const run = async () => {
      const cnn = new MultiTimeframeCnn(tiny);
      const history = await cnn.fit(data, { epochs: 2, batchSize: 8, validationFraction: 0.25, patience: 2 });
      const prediction = cnn.predict(data.x.subarray(0, L * C), 1);
      cnn.dispose();
      return { history, prediction };
    };
    expect(await run()).toEqual(await run());
  });

  it('does not grow the tensor count across fits and predictions', async () => {
    const cnn = new MultiTimeframeCnn(tiny);
    const data = dataset(24, 6);
    await cnn.fit(data, { epochs: 1, batchSize: 8, validationFraction: 0.25, patience: 1 });
    const tensors = tf.memory().numTensors;
    await cnn.fit(data, { epochs: 3, batchSize: 8, validationFraction: 0.25, patience: 1 });
    cnn.predict(data.x, 24);
    expect(tf.memory().numTensors).toBe(tensors);
    cnn.dispose();
  });

  it('rejects bad options and data, naming them', async () => {
    expect(() => new MultiTimeframeCnn({ ...tiny, timeframes: ['1h', '1h'] })).toThrow(/timeframes/);
    expect(() => new MultiTimeframeCnn({ ...tiny, dropout: 1 })).toThrow(ConfigError);
    const cnn = new MultiTimeframeCnn(tiny);
    const data = dataset(8, 7);
    await expect(cnn.fit({ ...data, actions: new Int32Array(8) }, { epochs: 1, batchSize: 4, validationFraction: 0, patience: 1 })).rejects.toThrow(DataError);
    await expect(cnn.fit(data, { epochs: 1, batchSize: 4, validationFraction: 1, patience: 1 })).rejects.toThrow(/validationFraction/);
    expect(() => cnn.predict(data.x, 3)).toThrow(ConfigError);
    cnn.dispose();
  });
});
