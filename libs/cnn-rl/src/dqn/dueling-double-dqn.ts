import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, Rng, parseState, rngStateSchema } from '@trading-ml/core';
import { z } from 'zod';
import { HostAdam } from '../backend/host-adam.js';
import { seedFor, toRng } from '../backend/seeds.js';
import { loadLayersModel, saveLayersModel, writeFileAtomic } from '../io/model-files.js';
import { parseOptions } from '../io/parse-options.js';
import { PrioritizedReplayBuffer } from '../replay/prioritized-replay-buffer.js';
import type { PrioritizedReplayState, ReplayBatch, Transition } from '../replay/prioritized-replay-buffer.js';
import { DuelingAggregation } from './dueling-aggregation.js';
import { duelingForward, duelingWeights } from './dueling-forward.js';
import type { DuelingWeights } from './dueling-forward.js';
import { doubleDqnTargetValues, huberWithSlope } from './dqn-math.js';

/** Options of {@link DuelingDoubleDqn}; every hyperparameter in one place. */
export interface DuelingDoubleDqnOptions {
  /** S: length of a state vector. */
  readonly stateSize: number;
  /** Number of actions (BUY/HOLD/SELL). Default 3. */
  readonly actionCount?: number;
  /** Hidden ReLU layers of the shared torso. Default [256, 256, 128]. */
  readonly hiddenUnits?: readonly number[];
  /** Discount γ ∈ [0, 1]. Default 0.99. */
  readonly gamma?: number;
  /** Adam learning rate. Default 2.5e-4 (CleanRL dqn.py). */
  readonly learningRate?: number;
  /** B, transitions per train step. Default 64. */
  readonly batchSize?: number;
  /** Train steps between copies of the online weights into the target network. Default 500. */
  readonly targetSyncInterval?: number;
  /** Huber δ. Default 1. */
  readonly huberDelta?: number;
  /** Gradients are rescaled to this global L2 norm when larger (CleanRL rainbow: 10). Default 10. */
  readonly maxGradNorm?: number;
  /** Transitions stored before the first train step (≥ batchSize). Default batchSize. */
  readonly learningStarts?: number;
  /** Replay capacity. Default 100 000. */
  readonly replayCapacity?: number;
  /** PER α. Default 0.6. */
  readonly priorityAlpha?: number;
  /** PER β at the first train step. Default 0.4. */
  readonly betaStart?: number;
  /** Train steps over which β reaches 1. Default 100 000. */
  readonly betaSteps?: number;
  /** ε added to |TD error| for priorities. Default 1e-6. */
  readonly priorityEpsilon?: number;
  /** Seed (or stream) for initial weights and replay sampling. */
  readonly seed: number | Rng;
}

const optionsSchema = z.object({
  stateSize: z.int().min(1).max(1 << 16),
  actionCount: z.int().min(2).max(1024).default(3),
  hiddenUnits: z.array(z.int().min(1).max(8192)).min(1).default([256, 256, 128]),
  gamma: z.number().min(0).max(1).default(0.99),
  learningRate: z.number().positive().max(1).default(2.5e-4),
  batchSize: z.int().min(1).max(65_536).default(64),
  targetSyncInterval: z.int().min(1).default(500),
  huberDelta: z.number().positive().default(1),
  maxGradNorm: z.number().positive().default(10),
  learningStarts: z.int().min(1).optional(),
  replayCapacity: z.int().min(1).max(2 ** 24).default(100_000),
  priorityAlpha: z.number().min(0).max(10).default(0.6),
  betaStart: z.number().min(0).max(1).default(0.4),
  betaSteps: z.int().min(1).default(100_000),
  priorityEpsilon: z.number().positive().default(1e-6),
});
type ParsedOptions = z.output<typeof optionsSchema>;

const metadataSchema = z.object({
  kind: z.literal('DuelingDoubleDqn'),
  version: z.literal(1),
  options: optionsSchema,
  trainSteps: z.int().min(0),
  replayRng: rngStateSchema,
});

/** What one {@link DuelingDoubleDqn.trainStep} did. */
export interface DqnTrainResult {
  /** Importance-weighted mean Huber loss of the batch, before the update. */
  readonly loss: number;
  /** Mean |y − Q(s, a)| of the batch, before the update. */
  readonly meanAbsTdError: number;
}

/**
 * A dueling double DQN with prioritized replay, one per symbol.
 *
 * Network: s [B, S] → Dense ReLU 256 → 256 → 128 → value V [B, 1] and advantage A [B, nA] → Q = V + A − mean A.
 * A train step (CleanRL dqn.py's loop, tfjs-examples snake-dqn's tidy discipline):
 * 1. sample B transitions from the prioritized replay (importance weights w);
 * 2. y = r + γ(1 − done)·Q_target(s', argmax_a Q_online(s', a)) (no gradient);
 * 3. loss = mean_i w_i·Huber(y_i − Q_online(s_i, a_i)); clip the gradient's global norm; Adam step;
 * 4. priorities ← |TD error| + ε; every targetSyncInterval steps, targetNetwork ← onlineNetwork.
 * Every forward pass runs inside tf.tidy, so the tensor count is constant across steps.
 *
 * @see V. Mnih et al. (2015), "Human-level control through deep reinforcement learning", Nature 518 (DQN, target network).
 * @see H. van Hasselt et al. (2016), "Deep reinforcement learning with double Q-learning", AAAI.
 * @see Z. Wang et al. (2016), "Dueling network architectures for deep reinforcement learning", ICML.
 * @see T. Schaul et al. (2016), "Prioritized experience replay", ICLR.
 * @see CleanRL `cleanrl/dqn.py`; tfjs-examples `snake-dqn/agent.js`.
 * @example
 * const agent = new DuelingDoubleDqn({ stateSize: 8, seed: 1 });
 * const action = agent.act(state, 0.1, rng);
 * agent.remember({ state, action, reward, nextState, done: false });
 * const result = agent.trainStep(); // null until 64 transitions are stored
 */
export class DuelingDoubleDqn {
  readonly stateSize: number;
  readonly actionCount: number;
  private readonly options: ParsedOptions;
  private online: tf.LayersModel;
  private target: tf.LayersModel;
  private onlineWeights: DuelingWeights;
  private targetWeights: DuelingWeights;
  private optimizer: HostAdam;
  private readonly replay: PrioritizedReplayBuffer;
  private replayRng: Rng;
  private steps = 0;

  /**
   * @param options - see {@link DuelingDoubleDqnOptions}.
   * @throws ConfigError naming the first invalid option (learningStarts must lie in [batchSize, replayCapacity]).
   */
  constructor(options: DuelingDoubleDqnOptions) {
    const { seed, ...rest } = options;
    if (typeof seed !== 'number' && !(seed instanceof Rng)) throw new ConfigError({ parameter: 'DuelingDoubleDqn.seed', value: seed, expected: 'a safe integer or an Rng' });
    this.options = parseOptions('DuelingDoubleDqn', optionsSchema, rest);
    const o = this.options;
    if (o.learningStarts !== undefined && (o.learningStarts < o.batchSize || o.learningStarts > o.replayCapacity)) {
      throw new ConfigError({ parameter: 'DuelingDoubleDqn.learningStarts', value: o.learningStarts, expected: `an integer in [batchSize, replayCapacity] = [${o.batchSize}, ${o.replayCapacity}]` });
    }
    if (o.batchSize > o.replayCapacity) {
      throw new ConfigError({ parameter: 'DuelingDoubleDqn.batchSize', value: o.batchSize, expected: `at most replayCapacity (${o.replayCapacity})` });
    }
    this.stateSize = o.stateSize;
    this.actionCount = o.actionCount;
    const rng = toRng(seed);
    this.online = this.build(rng.derive('init'), 'online');
    this.target = this.build(rng.derive('init'), 'target'); // same seeds: starts equal to the online network
    this.onlineWeights = duelingWeights(this.online, o.hiddenUnits.length);
    this.targetWeights = duelingWeights(this.target, o.hiddenUnits.length);
    this.optimizer = this.makeOptimizer();
    this.replay = new PrioritizedReplayBuffer({
      capacity: o.replayCapacity,
      stateSize: o.stateSize,
      alpha: o.priorityAlpha,
      betaStart: o.betaStart,
      betaSteps: o.betaSteps,
      priorityEpsilon: o.priorityEpsilon,
    });
    this.replayRng = rng.derive('replay');
  }

  /** The network trained every step. */
  get onlineNetwork(): tf.LayersModel {
    return this.online;
  }

  /** The lagged copy that values the next action in the targets. */
  get targetNetwork(): tf.LayersModel {
    return this.target;
  }

  /** The prioritized replay (snapshot it with `replayBuffer.snapshot()`). */
  get replayBuffer(): PrioritizedReplayBuffer {
    return this.replay;
  }

  /** Train steps done so far. */
  get trainSteps(): number {
    return this.steps;
  }

  private build(init: Rng, prefix: string): tf.LayersModel {
    const o = this.options;
    const he = (label: string) => tf.initializers.heUniform({ seed: seedFor(init, label) });
    const glorot = (label: string) => tf.initializers.glorotUniform({ seed: seedFor(init, label) });
    const input = tf.input({ shape: [o.stateSize], name: 'state' }); // [B, S]
    let h = input;
    o.hiddenUnits.forEach((units, i) => {
      h = tf.layers.dense({ units, activation: 'relu', kernelInitializer: he(`dense${i}`), name: `dense${i}` }).apply(h) as tf.SymbolicTensor; // [B, units]
    });
    const value = tf.layers.dense({ units: 1, kernelInitializer: glorot('value'), name: 'value' }).apply(h) as tf.SymbolicTensor; // [B, 1]
    const advantage = tf.layers.dense({ units: o.actionCount, kernelInitializer: glorot('advantage'), name: 'advantage' }).apply(h) as tf.SymbolicTensor; // [B, nA]
    const q = new DuelingAggregation({ name: 'q' }).apply([value, advantage]) as tf.SymbolicTensor; // [B, nA]
    return tf.model({ inputs: input, outputs: q, name: `${prefix}_dueling_dqn` });
  }

  private makeOptimizer(): HostAdam {
    const variables = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    return new HostAdam(variables, { learningRate: this.options.learningRate, maxGradNorm: this.options.maxGradNorm });
  }

  private checkState(state: ArrayLike<number>): void {
    if (state.length !== this.stateSize) throw new DataError({ location: { column: 'state' }, value: `length ${state.length}`, expected: `length ${this.stateSize}` });
    for (let i = 0; i < state.length; i++) {
      if (!Number.isFinite(state[i])) throw new DataError({ location: { column: `state[${i}]` }, value: state[i], expected: 'a finite number' });
    }
  }

  /**
   * Q_online(s, ·).
   * @param state - s, length stateSize.
   * @returns one Q value per action.
   * @throws DataError when the state has the wrong length or a non-finite value.
   */
  qValues(state: ArrayLike<number>): number[] {
    this.checkState(state);
    return tf.tidy(() => Array.from(duelingForward(this.onlineWeights, tf.tensor2d(Float32Array.from(state), [1, this.stateSize])).dataSync()));
  }

  /**
   * ε-greedy action: uniform with probability ε, else argmax Q_online(s, ·) (lowest index on ties).
   * @param state - s, length stateSize.
   * @param epsilon - ε ∈ [0, 1] (the caller's schedule, e.g. {@link epsilonForStability}).
   * @param rng - the stream for the exploration draws (one or two floats per call).
   * @returns an action index in [0, actionCount).
   * @throws ConfigError when ε is outside [0, 1]; DataError for a wrong state length.
   */
  act(state: ArrayLike<number>, epsilon: number, rng: Rng): number {
    if (!(epsilon >= 0 && epsilon <= 1)) throw new ConfigError({ parameter: 'epsilon', value: epsilon, expected: 'a number in [0, 1]' });
    this.checkState(state);
    if (rng.float() < epsilon) return rng.int(0, this.actionCount - 1);
    const q = this.qValues(state);
    let best = 0;
    for (let a = 1; a < q.length; a++) if (q[a]! > q[best]!) best = a;
    return best;
  }

  /**
   * Stores a transition in the replay with the maximal priority.
   * @throws DataError for wrong lengths, non-finite values or an action outside [0, actionCount).
   */
  remember(transition: Transition): void {
    if (!(transition.action < this.actionCount)) throw new DataError({ location: { column: 'action' }, value: transition.action, expected: `an integer in [0, ${this.actionCount - 1}]` });
    this.replay.add(transition);
  }

  /**
   * One gradient step on a prioritized minibatch, then priority updates and (every targetSyncInterval steps) a
   * target sync.
   * @returns the batch's loss and mean |TD error| before the update, or null while the replay holds fewer than
   *   learningStarts (default batchSize) transitions.
   */
  trainStep(): DqnTrainResult | null {
    const { batchSize, learningStarts, targetSyncInterval } = this.options;
    if (this.replay.size < (learningStarts ?? batchSize)) return null;
    // 1. sample: B transitions with importance weights
    const batch = this.replay.sample(batchSize, this.replayRng);
    // 2–3. targets, weighted Huber loss, Adam step
    const { loss, tdErrors } = this.trainOnBatch(batch);
    // 4. priorities from the TD errors; periodic hard target update
    this.replay.updatePriorities(batch.indices, tdErrors);
    this.steps++;
    if (this.steps % targetSyncInterval === 0) this.syncTarget();
    let sum = 0;
    for (const e of tdErrors) sum += Math.abs(e);
    return { loss, meanAbsTdError: sum / tdErrors.length };
  }

  /**
   * The gradient step of {@link trainStep} on a given batch (no sampling, no priority update, no sync).
   * @param batch - a replay batch (weights of 1 give the plain double-DQN loss).
   * @returns the loss and the TD errors y − Q_online(s, a) [B], both before the update.
   */
  trainOnBatch(batch: ReplayBatch): { loss: number; tdErrors: Float32Array } {
    const { gamma, huberDelta } = this.options;
    const B = batch.actions.length;
    const S = this.stateSize;
    const nA = this.actionCount;
    const variables = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    // y [B]: the online network picks a* on s', the target network values it; plain forward passes, no gradient
    const [nextOnline, nextTarget] = tf.tidy(() => {
      const nextStates = tf.tensor2d(batch.nextStates, [B, S]); // [B, S]
      return [duelingForward(this.onlineWeights, nextStates).dataSync(), duelingForward(this.targetWeights, nextStates).dataSync()]; // 2 × [B, nA]
    });
    const y = doubleDqnTargetValues(batch.rewards, batch.dones, nextOnline, nextTarget, nA, gamma);
    // loss = (1/B) Σ_i w_i·Huber(y_i − Q(s_i, a_i)). Its gradient w.r.t. Q is computed on the host,
    // G[i, a_i] = −w_i·Huber′(td_i)/B, and pulled back through the network as the gradient of Σ Q ⊙ G,
    // which keeps a dozen loss kernels (and their saved copies) off the gradient tape.
    const tdErrors = new Float32Array(B);
    let loss = 0;
    tf.tidy(() => {
      const states = tf.tensor2d(batch.states, [B, S]); // [B, S]
      const { grads } = tf.variableGrads(() => {
        const q = duelingForward(this.onlineWeights, states); // [B, nA]
        const qValues = q.dataSync();
        const upstream = new Float32Array(B * nA); // G = ∂loss/∂Q [B, nA]
        for (let i = 0; i < B; i++) {
          const taken = i * nA + batch.actions[i]!;
          const td = y[i]! - qValues[taken]!;
          const [huberLoss, slope] = huberWithSlope(td, huberDelta);
          tdErrors[i] = td;
          loss += (batch.weights[i]! * huberLoss) / B;
          upstream[taken] = (-batch.weights[i]! * slope) / B;
        }
        return tf.sum(tf.mul(q, tf.tensor2d(upstream, [B, nA]))) as tf.Scalar;
      }, variables);
      this.optimizer.applyGradients(grads); // clips to maxGradNorm, then Adam
    });
    return { loss, tdErrors };
  }

  /** Copies the online weights into the target network now. */
  syncTarget(): void {
    this.target.setWeights(this.online.getWeights());
  }

  /**
   * Saves both networks (`online.json`, `target.json` + weights) and `dqn.json` (options, train steps, replay
   * sampler state) to `dir`; with `includeReplay`, also the replay buffer (`replay.json`, large). The Adam state is
   * not saved.
   * @param dir - folder, created when missing.
   */
  async save(dir: string, options: { includeReplay?: boolean } = {}): Promise<void> {
    const metadata = { kind: 'DuelingDoubleDqn', version: 1, options: { ...this.options }, trainSteps: this.steps, replayRng: this.replayRng.snapshot() };
    await saveLayersModel(this.online, { dir, name: 'online', metadata });
    await saveLayersModel(this.target, { dir, name: 'target', metadata });
    if (options.includeReplay === true) await writeFileAtomic(join(dir, 'replay.json'), JSON.stringify(this.replay.snapshot()));
  }

  /**
   * Loads an agent saved by {@link DuelingDoubleDqn.save}; the replay too when `replay.json` is present.
   * @param dir - the folder.
   * @throws DataError for missing or malformed model files; StateError when the stored options, counters or replay
   *   do not fit.
   */
  static async load(dir: string): Promise<DuelingDoubleDqn> {
    const online = await loadLayersModel({ dir, name: 'online' });
    const target = await loadLayersModel({ dir, name: 'target' });
    try {
      const meta = parseState(`DuelingDoubleDqn from ${dir}/online.json`, metadataSchema, online.metadata);
      const agent = new DuelingDoubleDqn({ ...meta.options, seed: 0 });
      agent.online.dispose();
      agent.target.dispose();
      agent.online = online.model;
      agent.target = target.model;
      agent.onlineWeights = duelingWeights(agent.online, meta.options.hiddenUnits.length);
      agent.targetWeights = duelingWeights(agent.target, meta.options.hiddenUnits.length);
      agent.optimizer = agent.makeOptimizer();
      agent.steps = meta.trainSteps;
      agent.replayRng = Rng.restore(meta.replayRng);
      let replayText: string | null = null;
      try {
        replayText = await readFile(join(dir, 'replay.json'), 'utf8');
      } catch {
        replayText = null; // saved without the replay
      }
      if (replayText !== null) agent.replay.restore(parseJson(join(dir, 'replay.json'), replayText) as PrioritizedReplayState);
      return agent;
    } catch (error) {
      online.model.dispose();
      target.model.dispose();
      throw error;
    }
  }

  /** Frees both networks. */
  dispose(): void {
    this.online.dispose();
    this.target.dispose();
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError({ location: { file }, value: error instanceof Error ? error.message : String(error), expected: 'valid JSON', cause: error });
  }
}
