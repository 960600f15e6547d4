import { ConfigError, DataError, parseState } from '@trading-ml/core';
import type { Rng, Snapshottable } from '@trading-ml/core';
import { z } from 'zod';
import { parseOptions } from '../io/parse-options.js';
import { SumTree } from './sum-tree.js';

/** One step of experience (s, a, r, s', done). */
export interface Transition {
  /** s, length stateSize. */
  readonly state: ArrayLike<number>;
  /** a, an integer action index. */
  readonly action: number;
  /** r. */
  readonly reward: number;
  /** s', length stateSize (any finite values when done). */
  readonly nextState: ArrayLike<number>;
  /** True when s' is terminal (no bootstrap from it). */
  readonly done: boolean;
}

/** A sampled minibatch, row-major. */
export interface ReplayBatch {
  /** Buffer slots sampled [B] (pass back to updatePriorities). */
  readonly indices: Int32Array;
  readonly states: Float32Array; // [B, S]
  readonly actions: Int32Array; // [B]
  readonly rewards: Float32Array; // [B]
  readonly nextStates: Float32Array; // [B, S]
  /** 1 when done, else 0 [B]. */
  readonly dones: Float32Array;
  /** Importance-sampling weights w_i ∈ (0, 1] [B]. */
  readonly weights: Float32Array;
  /** β used for this batch's weights. */
  readonly beta: number;
}

/** Options of {@link PrioritizedReplayBuffer}. */
export interface PrioritizedReplayOptions {
  /** Transitions kept; the oldest is overwritten when full. */
  readonly capacity: number;
  /** S, length of every state vector. */
  readonly stateSize: number;
  /** α ≥ 0: P(i) ∝ p_i^α (0 = uniform). Default 0.6. */
  readonly alpha?: number;
  /** β at the first sample, in [0, 1]. Default 0.4. */
  readonly betaStart?: number;
  /** Samples over which β rises linearly to 1. Default 100 000. */
  readonly betaSteps?: number;
  /** ε in p = |δ| + ε, so no transition becomes unsampleable. Default 1e-6. */
  readonly priorityEpsilon?: number;
}

const optionsSchema = z.object({
  capacity: z.int().min(1).max(2 ** 24),
  stateSize: z.int().min(1).max(1 << 16),
  alpha: z.number().min(0).max(10).default(0.6),
  betaStart: z.number().min(0).max(1).default(0.4),
  betaSteps: z.int().min(1).default(100_000),
  priorityEpsilon: z.number().positive().default(1e-6),
});

/** Plain-data state of a {@link PrioritizedReplayBuffer} (rows beyond `size` are not stored). */
export interface PrioritizedReplayState {
  readonly options: Required<PrioritizedReplayOptions>;
  readonly size: number;
  readonly cursor: number;
  readonly sampleCount: number;
  readonly maxPriority: number;
  /** p_i (before the α power) of slots 0..size−1. */
  readonly priorities: number[];
  readonly states: number[];
  readonly actions: number[];
  readonly rewards: number[];
  readonly nextStates: number[];
  readonly dones: number[];
}

const finite = z.number().refine(Number.isFinite, 'a finite number');

/**
 * Proportional prioritized experience replay: transition i is sampled with probability P(i) = p_i^α / Σ_k p_k^α,
 * p_i = |δ_i| + ε from its last TD error, new transitions get the largest priority seen so far (so each is replayed
 * at least once soon), and updates are corrected by importance weights w_i = (N·P(i))^−β / max_j w_j, with β
 * annealed linearly from betaStart to 1 over betaSteps samples. max_j w_j is over the whole buffer (from the
 * smallest priority), as in OpenAI baselines, so weights only ever scale updates down.
 *
 * Sampling is stratified: [0, Σp^α) is cut into B equal segments and one mass drawn uniformly in each.
 *
 * @see T. Schaul, J. Quan, I. Antonoglou, D. Silver (2016), "Prioritized experience replay", ICLR, Algorithm 1 and §3.4.
 * @see CleanRL `rainbow_atari.py` (PrioritizedReplayBuffer with beta annealing).
 * @example
 * const replay = new PrioritizedReplayBuffer({ capacity: 10_000, stateSize: 4 });
 * replay.add({ state: [0, 0, 0, 0], action: 1, reward: 0.5, nextState: [0, 0, 0, 1], done: false });
 * const batch = replay.sample(1, Rng.fromSeed(1)); // batch.weights[0] === 1
 * replay.updatePriorities(batch.indices, [0.3]);
 */
export class PrioritizedReplayBuffer implements Snapshottable<PrioritizedReplayState> {
  private readonly options: Required<PrioritizedReplayOptions>;
  private readonly tree: SumTree;
  private readonly states: Float32Array;
  private readonly nextStates: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;
  private count = 0;
  private cursor = 0;
  private samples = 0;
  private maxPriority = 1;

  /**
   * @param options - see {@link PrioritizedReplayOptions}.
   * @throws ConfigError naming the first invalid option.
   */
  constructor(options: PrioritizedReplayOptions) {
    this.options = parseOptions('PrioritizedReplayBuffer', optionsSchema, options);
    const { capacity, stateSize } = this.options;
    this.tree = new SumTree(capacity);
    this.states = new Float32Array(capacity * stateSize);
    this.nextStates = new Float32Array(capacity * stateSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
  }

  /** Transitions held. */
  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  /** Samples drawn so far (drives β). */
  get sampleCount(): number {
    return this.samples;
  }

  /** β for the next sample: betaStart + (1 − betaStart)·min(1, sampleCount / betaSteps). */
  get beta(): number {
    const { betaStart, betaSteps } = this.options;
    return betaStart + (1 - betaStart) * Math.min(1, this.samples / betaSteps);
  }

  /**
   * Stores a transition with the largest priority seen so far, overwriting the oldest when full.
   * @returns the slot written.
   * @throws DataError when a state has the wrong length or a value is not finite.
   */
  add(transition: Transition): number {
    const { stateSize } = this.options;
    for (const [field, vector] of [['state', transition.state], ['nextState', transition.nextState]] as const) {
      if (vector.length !== stateSize) throw new DataError({ location: { column: field }, value: `length ${vector.length}`, expected: `length ${stateSize}` });
      for (let i = 0; i < stateSize; i++) {
        if (!Number.isFinite(vector[i])) throw new DataError({ location: { column: `${field}[${i}]` }, value: vector[i], expected: 'a finite number' });
      }
    }
    if (!Number.isInteger(transition.action) || transition.action < 0) throw new DataError({ location: { column: 'action' }, value: transition.action, expected: 'an integer action index ≥ 0' });
    if (!Number.isFinite(transition.reward)) throw new DataError({ location: { column: 'reward' }, value: transition.reward, expected: 'a finite number' });
    const slot = this.cursor;
    this.states.set(transition.state, slot * stateSize);
    this.nextStates.set(transition.nextState, slot * stateSize);
    this.actions[slot] = transition.action;
    this.rewards[slot] = transition.reward;
    this.dones[slot] = transition.done ? 1 : 0;
    this.tree.set(slot, this.maxPriority ** this.options.alpha);
    this.cursor = (slot + 1) % this.options.capacity;
    this.count = Math.min(this.count + 1, this.options.capacity);
    return slot;
  }

  /**
   * Draws a stratified minibatch (with replacement across strata) and advances β's schedule by one sample.
   *
   * @param batchSize - B ≥ 1.
   * @param rng - the stream the masses are drawn from.
   * @returns the batch with importance weights.
   * @throws ConfigError when the buffer is empty or batchSize is not a positive integer.
   */
  sample(batchSize: number, rng: Rng): ReplayBatch {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError({ parameter: 'batchSize', value: batchSize, expected: 'an integer ≥ 1' });
    if (this.count === 0) throw new ConfigError({ parameter: 'PrioritizedReplayBuffer.sample', value: 'empty buffer', expected: 'at least one stored transition' });
    const { stateSize } = this.options;
    const beta = this.beta;
    this.samples++;
    const total = this.tree.total;
    const segment = total / batchSize;
    // max_j w_j = (N·P_min)^−β, so w_i = (P(i)/P_min)^−β = (p_i^α / min p^α)^−β
    const minPriority = this.tree.min;
    const batch: ReplayBatch = {
      indices: new Int32Array(batchSize),
      states: new Float32Array(batchSize * stateSize),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextStates: new Float32Array(batchSize * stateSize),
      dones: new Float32Array(batchSize),
      weights: new Float32Array(batchSize),
      beta,
    };
    for (let k = 0; k < batchSize; k++) {
      const slot = this.tree.find(Math.min((k + rng.float()) * segment, total));
      batch.indices[k] = slot;
      batch.states.set(this.states.subarray(slot * stateSize, (slot + 1) * stateSize), k * stateSize);
      batch.nextStates.set(this.nextStates.subarray(slot * stateSize, (slot + 1) * stateSize), k * stateSize);
      batch.actions[k] = this.actions[slot]!;
      batch.rewards[k] = this.rewards[slot]!;
      batch.dones[k] = this.dones[slot]!;
      batch.weights[k] = (this.tree.get(slot) / minPriority) ** -beta;
    }
    return batch;
  }

  /**
   * Sets p_i = |δ_i| + ε for sampled slots (after a train step).
   * @param indices - slots from {@link ReplayBatch.indices}.
   * @param tdErrors - δ_i, same length.
   * @throws DataError when the lengths differ or a TD error is not finite.
   */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    if (indices.length !== tdErrors.length) throw new DataError({ location: { column: 'tdErrors' }, value: `length ${tdErrors.length}`, expected: `length ${indices.length} (one per index)` });
    for (let k = 0; k < indices.length; k++) {
      const error = tdErrors[k]!;
      if (!Number.isFinite(error)) throw new DataError({ location: { column: `tdErrors[${k}]` }, value: error, expected: 'a finite TD error' });
      const priority = Math.abs(error) + this.options.priorityEpsilon;
      this.tree.set(indices[k]!, priority ** this.options.alpha);
      this.maxPriority = Math.max(this.maxPriority, priority);
    }
  }

  /** The whole buffer as plain data (rows 0..size−1 only). */
  snapshot(): PrioritizedReplayState {
    const { stateSize, alpha } = this.options;
    const n = this.count;
    const priorities: number[] = [];
    for (let i = 0; i < n; i++) priorities.push(this.tree.get(i) ** (1 / alpha));
    return {
      options: { ...this.options },
      size: n,
      cursor: this.cursor,
      sampleCount: this.samples,
      maxPriority: this.maxPriority,
      priorities: alpha === 0 ? new Array<number>(n).fill(1) : priorities,
      states: Array.from(this.states.subarray(0, n * stateSize)),
      actions: Array.from(this.actions.subarray(0, n)),
      rewards: Array.from(this.rewards.subarray(0, n)),
      nextStates: Array.from(this.nextStates.subarray(0, n * stateSize)),
      dones: Array.from(this.dones.subarray(0, n)),
    };
  }

  /**
   * Replaces the contents with a snapshot of a buffer with the same capacity and stateSize.
   * @throws StateError naming the first field that does not fit; nothing changes then.
   */
  restore(state: PrioritizedReplayState): void {
    const { capacity, stateSize } = this.options;
    const schema = z
      .object({
        options: z.object({ capacity: z.literal(capacity), stateSize: z.literal(stateSize) }).loose(),
        size: z.int().min(0).max(capacity),
        cursor: z.int().min(0).max(capacity - 1),
        sampleCount: z.int().min(0),
        maxPriority: finite.positive(),
        priorities: z.array(finite.positive()),
        states: z.array(finite),
        actions: z.array(z.int().min(0)),
        rewards: z.array(finite),
        nextStates: z.array(finite),
        dones: z.array(z.union([z.literal(0), z.literal(1)])),
      })
      .refine(
        (s) =>
          s.priorities.length === s.size && s.actions.length === s.size && s.rewards.length === s.size && s.dones.length === s.size &&
          s.states.length === s.size * stateSize && s.nextStates.length === s.size * stateSize,
        'arrays of length size (states: size·stateSize)',
      );
    const s = parseState('PrioritizedReplayBuffer', schema, state);
    this.count = s.size;
    this.cursor = s.cursor;
    this.samples = s.sampleCount;
    this.maxPriority = s.maxPriority;
    this.states.fill(0).set(s.states);
    this.nextStates.fill(0).set(s.nextStates);
    this.actions.fill(0).set(s.actions);
    this.rewards.fill(0).set(s.rewards);
    this.dones.fill(0).set(s.dones);
    for (let i = 0; i < capacity; i++) {
      if (i < s.size) this.tree.set(i, s.priorities[i]! ** this.options.alpha);
      else this.tree.clear(i);
    }
  }
}
