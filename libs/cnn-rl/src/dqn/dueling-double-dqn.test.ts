import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, Rng } from '@trading-ml/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import type { ReplayBatch } from '../replay/prioritized-replay-buffer.js';
import { duelingQ } from './dueling-aggregation.js';
import { huber } from './dqn-math.js';
import { DuelingDoubleDqn } from './dueling-double-dqn.js';

let dir: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'dqn-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A plain-JS forward pass of a dueling network with the weights the tfjs model holds now. */
function plainQ(model: tf.LayersModel, hiddenLayers: number): (state: number[]) => number[] {
  const dense = (name: string) => {
    const [kernel, bias] = model.getLayer(name).getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    return (x: number[], relu: boolean) =>
      bias.map((b, j) => {
        const z = x.reduce((sum, xi, i) => sum + xi * kernel[i]![j]!, b);
        return relu ? Math.max(0, z) : z;
      });
  };
  const layers = Array.from({ length: hiddenLayers }, (_, i) => dense(`dense${i}`));
  const value = dense('value');
  const advantage = dense('advantage');
  return (state) => {
    const h = layers.reduce((x, layer) => layer(x, true), state);
    return duelingQ(value(h, false)[0]!, advantage(h, false));
  };
}

function handBatch(rows: Array<{ s: number[]; a: number; r: number; s2: number[]; done: boolean; w: number }>): ReplayBatch {
  return {
    indices: Int32Array.from(rows.map((_, i) => i)),
    states: Float32Array.from(rows.flatMap((row) => row.s)),
    actions: Int32Array.from(rows.map((row) => row.a)),
    rewards: Float32Array.from(rows.map((row) => row.r)),
    nextStates: Float32Array.from(rows.flatMap((row) => row.s2)),
    dones: Float32Array.from(rows.map((row) => (row.done ? 1 : 0))),
    weights: Float32Array.from(rows.map((row) => row.w)),
    beta: 1,
  };
}

function randomBatch(rng: Rng, size: number, stateSize: number): ReplayBatch {
  return handBatch(
    Array.from({ length: size }, () => ({
      s: Array.from({ length: stateSize }, () => rng.normal()),
      a: rng.int(0, 2),
      r: rng.normal(),
      s2: Array.from({ length: stateSize }, () => rng.normal()),
      done: rng.bernoulli(0.3),
      w: 1,
    })),
  );
}

const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('DuelingDoubleDqn', () => {
  it('trains on the double-DQN target: TD errors and loss match a plain-JS forward pass of the same weights', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 3, hiddenUnits: [4, 5], gamma: 0.9, learningRate: 0.05, targetSyncInterval: 1000, seed: 1 });
    const rng = Rng.fromSeed(5);
    // move the online network away from the target network, so "argmax online, value target" matters
    for (let i = 0; i < 3; i++) agent.trainOnBatch(randomBatch(rng, 8, 3));
    const onlineQ = plainQ(agent.onlineNetwork, 2);
    const targetQ = plainQ(agent.targetNetwork, 2);
    const rows = [
      { s: [0.5, -1, 2], a: 0, r: 1, s2: [1, 0.3, -0.2], done: false, w: 1 },
      { s: [-0.7, 0.1, 0.4], a: 2, r: -0.5, s2: [0.2, 2, 1], done: true, w: 0.5 },
      { s: [1.5, 1.5, -1], a: 1, r: 0.25, s2: [-1, -2, 0.5], done: false, w: 0.25 },
    ];
    const expectedTd = rows.map((row) => {
      const nextOnline = onlineQ(row.s2);
      const best = nextOnline.indexOf(Math.max(...nextOnline));
      const y = row.r + 0.9 * (row.done ? 0 : 1) * targetQ(row.s2)[best]!;
      return y - onlineQ(row.s)[row.a]!;
    });
    const huber = (x: number) => (Math.abs(x) <= 1 ? 0.5 * x * x : Math.abs(x) - 0.5);
    const expectedLoss = rows.reduce((sum, row, i) => sum + row.w * huber(expectedTd[i]!), 0) / rows.length;
    const targetBefore = weightsOf(agent.targetNetwork);
    const onlineBefore = weightsOf(agent.onlineNetwork);

    const result = agent.trainOnBatch(handBatch(rows));

    expectedTd.forEach((td, i) => expect(result.tdErrors[i]).toBeCloseTo(td, 4));
    expect(result.loss).toBeCloseTo(expectedLoss, 4);
    expect(weightsOf(agent.targetNetwork)).toEqual(targetBefore); // only the online network learns
    expect(weightsOf(agent.onlineNetwork)).not.toEqual(onlineBefore);
    agent.dispose();
  });

  it('steps along the gradient of the explicit tensor loss mean(w·Huber(y − Q(s, a)))', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 3, hiddenUnits: [4], gamma: 0.9, learningRate: 1e-3, maxGradNorm: 1e9, targetSyncInterval: 1000, seed: 9 });
    const rng = Rng.fromSeed(10);
    const batch = randomBatch(rng, 6, 3);
    const targetQ = plainQ(agent.targetNetwork, 1);
    const onlineQ = plainQ(agent.onlineNetwork, 1);
    const y = Array.from({ length: 6 }, (_, i) => {
      const next = Array.from(batch.nextStates.subarray(i * 3, i * 3 + 3));
      const q = onlineQ(next);
      return batch.rewards[i]! + 0.9 * (1 - batch.dones[i]!) * targetQ(next)[q.indexOf(Math.max(...q))]!;
    });
    const variables = agent.onlineNetwork.trainableWeights.map((w) => w.read() as tf.Variable);
    const reference = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const q = agent.onlineNetwork.apply(tf.tensor2d(batch.states, [6, 3])) as tf.Tensor2D;
        const qTaken = tf.sum(tf.mul(q, tf.oneHot(tf.tensor1d(batch.actions, 'int32'), 3)), 1);
        return tf.mean(tf.mul(tf.tensor1d(Float32Array.from([0.5, 1, 1, 0.25, 1, 1])), huber(tf.sub(tf.tensor1d(y), qTaken), 1))) as tf.Scalar;
      }, variables);
      return variables.map((v) => Array.from(grads[v.name]!.dataSync()));
    });
    const before = variables.map((v) => Array.from(v.dataSync()));
    agent.trainOnBatch({ ...batch, weights: Float32Array.from([0.5, 1, 1, 0.25, 1, 1]) });
    // a fresh Adam's first step is −α·g/(|g| + ε') ≈ −α·sign(g): compare against the reference gradient
    variables.forEach((v, k) => {
      const after = Array.from(v.dataSync());
      after.forEach((value, i) => {
        const g = reference[k]![i]!;
        if (Math.abs(g) > 1e-4) expect(Math.sign(value - before[k]![i]!)).toBe(-Math.sign(g));
      });
    });
    agent.dispose();
  });

  it('returns null until the replay holds a batch, then trains and syncs the target every targetSyncInterval steps', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 2, hiddenUnits: [4], batchSize: 4, targetSyncInterval: 2, learningRate: 0.01, seed: 2 });
    const rng = Rng.fromSeed(6);
    const remember = () => agent.remember({ state: [rng.normal(), rng.normal()], action: rng.int(0, 2), reward: rng.normal(), nextState: [rng.normal(), rng.normal()], done: false });
    for (let i = 0; i < 3; i++) remember();
    expect(agent.trainStep()).toBeNull();
    remember();
    const first = agent.trainStep();
    expect(first).not.toBeNull();
    expect(first!.loss).toBeGreaterThan(0);
    expect(first!.meanAbsTdError).toBeGreaterThan(0);
    expect(weightsOf(agent.targetNetwork)).not.toEqual(weightsOf(agent.onlineNetwork)); // step 1: not synced
    agent.trainStep();
    expect(weightsOf(agent.targetNetwork)).toEqual(weightsOf(agent.onlineNetwork)); // step 2: synced
    agent.trainStep();
    expect(weightsOf(agent.targetNetwork)).not.toEqual(weightsOf(agent.onlineNetwork));
    expect(agent.trainSteps).toBe(3);
    expect(agent.replayBuffer.sampleCount).toBe(3);
    agent.dispose();
  });

  it('does not grow the tensor count across train steps, act and qValues', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 4, hiddenUnits: [8, 8], batchSize: 8, targetSyncInterval: 3, seed: 3 });
    const rng = Rng.fromSeed(7);
    for (let i = 0; i < 16; i++) agent.remember({ state: [1, 2, 3, i], action: i % 3, reward: 1, nextState: [1, 2, 3, i + 1], done: i % 5 === 0 });
    agent.trainStep(); // creates Adam's moment variables once
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 7; i++) {
      agent.trainStep();
      agent.act([0, 1, 0, 1], 0.5, rng);
      agent.qValues([1, 1, 1, 1]);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    agent.dispose();
  });

  it('computes the same Q values as the saved tfjs-layers network (dense layers + DuelingAggregation)', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 3, hiddenUnits: [5, 4], seed: 8 });
    const state = [0.2, -1.3, 0.8];
    const fromLayers = tf.tidy(() => Array.from((agent.onlineNetwork.predict(tf.tensor2d([state])) as tf.Tensor).dataSync()));
    agent.qValues(state).forEach((q, a) => expect(q).toBeCloseTo(fromLayers[a]!, 5));
    agent.dispose();
  });

  it('acts greedily at ε = 0 and uniformly at ε = 1 (seeded)', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 2, hiddenUnits: [4], seed: 4 });
    const q = agent.qValues([0.3, -0.2]);
    const greedy = q.indexOf(Math.max(...q));
    expect(agent.act([0.3, -0.2], 0, Rng.fromSeed(1))).toBe(greedy);
    const rng = Rng.fromSeed(2);
    const counts = [0, 0, 0];
    for (let i = 0; i < 600; i++) counts[agent.act([0.3, -0.2], 1, rng)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(150); // ≈ 200 each
    expect(() => agent.act([0.3, -0.2], 1.5, rng)).toThrow(ConfigError);
    expect(() => agent.qValues([1])).toThrow(DataError);
    expect(() => agent.remember({ state: [0, 0], action: 3, reward: 0, nextState: [0, 0], done: true })).toThrow(/action/);
    agent.dispose();
  });

  it('learns a one-step problem: the rewarded action for each of three states', () => {
    const agent = new DuelingDoubleDqn({ stateSize: 3, hiddenUnits: [8], batchSize: 8, learningRate: 0.02, targetSyncInterval: 10, seed: 5 });
    const rng = Rng.fromSeed(8);
    const states = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    for (let step = 0; step < 150; step++) {
      const s = rng.int(0, 2);
      const action = agent.act(states[s]!, 1, rng);
      agent.remember({ state: states[s]!, action, reward: action === s ? 1 : 0, nextState: states[s]!, done: true });
      agent.trainStep();
    }
    expect(states.map((s) => agent.act(s, 0, rng))).toEqual([0, 1, 2]);
    agent.dispose();
  });

  it('save → load restores both networks, counters and (optionally) the replay', async () => {
    const agent = new DuelingDoubleDqn({ stateSize: 2, hiddenUnits: [6], batchSize: 4, targetSyncInterval: 100, seed: 6 });
    for (let i = 0; i < 10; i++) agent.remember({ state: [i, 1], action: i % 3, reward: i / 10, nextState: [i + 1, 1], done: false });
    for (let i = 0; i < 5; i++) agent.trainStep();
    await agent.save(dir, { includeReplay: true });
    const loaded = await DuelingDoubleDqn.load(dir);
    expect(loaded.qValues([0.5, 2])).toEqual(agent.qValues([0.5, 2]));
    expect(weightsOf(loaded.targetNetwork)).toEqual(weightsOf(agent.targetNetwork));
    expect(loaded.trainSteps).toBe(5);
    expect(loaded.replayBuffer.snapshot()).toEqual(agent.replayBuffer.snapshot());
    const a = agent.replayBuffer.sample(4, Rng.fromSeed(1));
    const b = loaded.replayBuffer.sample(4, Rng.fromSeed(1));
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    loaded.dispose();
    agent.dispose();
  });

  it('rejects invalid options with ConfigError naming the option', () => {
    expect(() => new DuelingDoubleDqn({ stateSize: 0, seed: 1 })).toThrow(/DuelingDoubleDqn.stateSize/);
    expect(() => new DuelingDoubleDqn({ stateSize: 2, batchSize: 8, learningStarts: 4, seed: 1 })).toThrow(/learningStarts/);
    expect(() => new DuelingDoubleDqn({ stateSize: 2, gamma: 1.5, seed: 1 })).toThrow(ConfigError);
  });
});
