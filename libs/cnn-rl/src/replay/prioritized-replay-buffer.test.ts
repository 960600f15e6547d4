import { ConfigError, DataError, Rng, StateError } from '@trading-ml/core';
import { describe, expect, it } from 'vitest';
import { PrioritizedReplayBuffer } from './prioritized-replay-buffer.js';

function transition(value: number, action = 0) {
  return { state: [value], action, reward: value, nextState: [value + 1], done: value % 2 === 1 };
}

describe('PrioritizedReplayBuffer', () => {
  it('importance weights equal (N·P(i))^−β / max_j w_j computed by hand', () => {
    const replay = new PrioritizedReplayBuffer({ capacity: 4, stateSize: 1, alpha: 0.5, betaStart: 0.5, betaSteps: 2, priorityEpsilon: 1 });
    for (let i = 0; i < 3; i++) replay.add(transition(i));
    // |δ| = [3, 0, 8], ε = 1 → p = [4, 1, 9]; p^α = [2, 1, 3]; P = [2/6, 1/6, 3/6]; N = 3, β = 0.5
    replay.updatePriorities([0, 1, 2], [3, 0, -8]);
    const w = (P: number) => (3 * P) ** -0.5;
    const maxW = w(1 / 6); // the smallest P has the largest weight
    const expected = [w(2 / 6) / maxW, w(1 / 6) / maxW, w(3 / 6) / maxW]; // [1/√2, 1, 1/√3]
    expect(expected[0]).toBeCloseTo(Math.SQRT1_2, 12);
    const batch = replay.sample(64, Rng.fromSeed(1));
    expect(batch.beta).toBe(0.5);
    for (let k = 0; k < 64; k++) {
      const slot = batch.indices[k]!;
      expect(batch.weights[k]).toBeCloseTo(expected[slot]!, 6);
      // the stored row comes with its slot
      expect(batch.states[k]).toBe(slot);
      expect(batch.nextStates[k]).toBe(slot + 1);
      expect(batch.rewards[k]).toBe(slot);
      expect(batch.dones[k]).toBe(slot % 2);
    }
  });

  it('anneals β linearly from betaStart to 1 over betaSteps samples, then holds 1', () => {
    const replay = new PrioritizedReplayBuffer({ capacity: 8, stateSize: 1, betaStart: 0.4, betaSteps: 4 });
    replay.add(transition(0));
    const rng = Rng.fromSeed(2);
    const betas = Array.from({ length: 6 }, () => replay.sample(2, rng).beta);
    // β_k = 0.4 + 0.6·min(1, k/4)
    [0.4, 0.55, 0.7, 0.85, 1, 1].forEach((beta, k) => expect(betas[k]).toBeCloseTo(beta, 12));
    expect(replay.sampleCount).toBe(6);
  });

  it('gives a new transition the largest priority seen so far', () => {
    const replay = new PrioritizedReplayBuffer({ capacity: 4, stateSize: 1, alpha: 1, priorityEpsilon: 0.5 });
    replay.add(transition(0));
    replay.add(transition(1));
    expect(replay.snapshot().priorities).toEqual([1, 1]); // initial max priority 1
    replay.updatePriorities([0, 1], [4.5, 0.5]); // p = [5, 1]
    replay.add(transition(2));
    expect(replay.snapshot().priorities).toEqual([5, 1, 5]);
  });

  it('samples in proportion to p^α (chi-square over stratified batches)', () => {
    const replay = new PrioritizedReplayBuffer({ capacity: 4, stateSize: 1, alpha: 0.5, priorityEpsilon: 1e-9 });
    for (let i = 0; i < 4; i++) replay.add(transition(i));
    replay.updatePriorities([0, 1, 2, 3], [1, 4, 9, 16]); // p^α ≈ [1, 2, 3, 4] → P = [0.1, 0.2, 0.3, 0.4]
    const rng = Rng.fromSeed(3);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 5_000; k++) for (const slot of replay.sample(8, rng).indices) counts[slot]!++;
    const draws = 40_000;
    const chiSquare = [0.1, 0.2, 0.3, 0.4].reduce((sum, p, i) => sum + (counts[i]! - draws * p) ** 2 / (draws * p), 0);
    expect(chiSquare).toBeLessThan(16.3); // 99.9% quantile of χ²(3)
  });

  it('overwrites the oldest transition when full', () => {
    const replay = new PrioritizedReplayBuffer({ capacity: 3, stateSize: 1 });
    for (let i = 0; i < 5; i++) replay.add(transition(i));
    expect(replay.size).toBe(3);
    expect(replay.snapshot().states).toEqual([3, 4, 2]);
  });

  it('snapshot → restore continues with identical samples; a mismatched snapshot is rejected and changes nothing', () => {
    const original = new PrioritizedReplayBuffer({ capacity: 5, stateSize: 2 });
    for (let i = 0; i < 4; i++) original.add({ state: [i, 10 - i], action: i % 3, reward: i / 10, nextState: [i + 1, 0], done: false });
    original.updatePriorities([0, 2], [0.7, 2.5]);
    original.sample(2, Rng.fromSeed(9));
    const state = JSON.parse(JSON.stringify(original.snapshot()));
    const copy = new PrioritizedReplayBuffer({ capacity: 5, stateSize: 2 });
    copy.restore(state);
    const a = original.sample(16, Rng.fromSeed(4));
    const b = copy.sample(16, Rng.fromSeed(4));
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    expect(Array.from(b.states)).toEqual(Array.from(a.states));
    expect(b.beta).toBe(a.beta);

    const other = new PrioritizedReplayBuffer({ capacity: 6, stateSize: 2 });
    other.add({ state: [9, 9], action: 0, reward: 0, nextState: [9, 9], done: true });
    expect(() => other.restore(state)).toThrow(StateError);
    expect(other.size).toBe(1);
    expect(() => copy.restore({ ...state, rewards: [0] })).toThrow(/arrays of length size/);
  });

  it('validates what goes in', () => {
    const replay = new PrioritizedReplayBuffer({ capacity: 2, stateSize: 2 });
    expect(() => replay.add({ state: [1], action: 0, reward: 0, nextState: [1, 2], done: false })).toThrow(DataError);
    expect(() => replay.add({ state: [1, Number.NaN], action: 0, reward: 0, nextState: [1, 2], done: false })).toThrow(/state\[1\]/);
    expect(() => replay.sample(1, Rng.fromSeed(1))).toThrow(ConfigError); // empty
    expect(() => new PrioritizedReplayBuffer({ capacity: 0, stateSize: 1 })).toThrow(/PrioritizedReplayBuffer.capacity/);
    replay.add({ state: [1, 2], action: 0, reward: 0, nextState: [1, 2], done: false });
    expect(() => replay.updatePriorities([0], [Number.POSITIVE_INFINITY])).toThrow(DataError);
  });
});
