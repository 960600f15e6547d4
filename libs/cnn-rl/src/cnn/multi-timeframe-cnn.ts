import * as tf from '@tensorflow/tfjs';
import { ConfigError, Rng, TIMEFRAMES, parseState } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { z } from 'zod';
import { HostAdam } from '../backend/host-adam.js';
import { seedFor, toRng } from '../backend/seeds.js';
import { loadLayersModel, saveLayersModel } from '../io/model-files.js';
import { parseOptions } from '../io/parse-options.js';
import { chronologicalSplit, gatherRows, validateCnnDataset } from './cnn-dataset.js';
import type { CnnDataset } from './cnn-dataset.js';
import { multiHeadLoss } from './cnn-loss.js';
import { FastBatchNormalization } from './fast-batch-norm.js';
import { SeededDropout } from './seeded-dropout.js';

/** Action indices of every head's softmax: 0 BUY, 1 HOLD, 2 SELL. */
export const ACTIONS = ['BUY', 'HOLD', 'SELL'] as const;

/** The layer sizes of the paper's network; the defaults are smaller so it trains on a CPU. */
export const PAPER_CNN_SIZES = { filters: [64, 128, 256], headUnits: [128, 64], confidenceUnits: [64, 32] } as const;

/** Options of {@link MultiTimeframeCnn}. */
export interface MultiTimeframeCnnOptions {
  /** One action head per timeframe, in this order (outputs and labels follow it). Distinct. */
  readonly timeframes: readonly Timeframe[];
  /** L: bars per input window. */
  readonly sequenceLength: number;
  /** C: feature channels per bar. */
  readonly channels: number;
  /** Conv1D filters per block. Default [32, 64, 128] (paper: [64, 128, 256]). */
  readonly filters?: readonly number[];
  /** Conv1D kernel width in bars. Default 3. */
  readonly kernelSize?: number;
  /** Hidden Dense units of each action head. Default [64, 32] (paper: [128, 64]). */
  readonly headUnits?: readonly number[];
  /** Hidden Dense units of the confidence head. Default [32, 16] (paper: [64, 32]). */
  readonly confidenceUnits?: readonly number[];
  /** Dropout rate after each conv block, in [0, 1). Default 0.2. */
  readonly dropout?: number;
  /** Adam learning rate. Default 1e-3. */
  readonly learningRate?: number;
  /** Weight of the confidence loss. Default 0.5. */
  readonly confidenceLossWeight?: number;
  /** Seed (or stream) for weight initialisation, dropout masks and batch order. */
  readonly seed: number | Rng;
}

const positiveInts = z.array(z.int().min(1).max(4096)).min(1);
const optionsSchema = z.object({
  timeframes: z
    .array(z.enum(TIMEFRAMES as [Timeframe, ...Timeframe[]]))
    .min(1)
    .refine((t) => new Set(t).size === t.length, 'distinct timeframes'),
  sequenceLength: z.int().min(1).max(100_000),
  channels: z.int().min(1).max(10_000),
  filters: positiveInts.default([32, 64, 128]),
  kernelSize: z.int().min(1).max(64).default(3),
  headUnits: positiveInts.default([64, 32]),
  confidenceUnits: positiveInts.default([32, 16]),
  dropout: z.number().min(0).lt(1).default(0.2),
  learningRate: z.number().positive().max(1).default(1e-3),
  confidenceLossWeight: z.number().min(0).default(0.5),
});
type ParsedOptions = z.output<typeof optionsSchema>;

const metadataSchema = z.object({ kind: z.literal('MultiTimeframeCnn'), version: z.literal(1), options: optionsSchema });

/** Options of {@link MultiTimeframeCnn.fit}. */
export interface CnnFitOptions {
  /** Maximum passes over the training rows (≥ 1). */
  readonly epochs: number;
  /** Rows per gradient step (≥ 1). */
  readonly batchSize: number;
  /** Fraction of rows, taken from the END (chronologically last), held out for validation; in [0, 1). */
  readonly validationFraction: number;
  /** Stop after this many epochs without improvement of the monitored loss, then restore the best weights (≥ 1). */
  readonly patience: number;
  /** Called after each epoch. */
  readonly onEpoch?: (epoch: number, metrics: CnnEpochMetrics) => void | Promise<void>;
}

/** One epoch of {@link MultiTimeframeCnn.fit}. */
export interface CnnEpochMetrics {
  /** Mean training loss over the epoch's batches (training mode: dropout on, batch statistics). */
  readonly loss: number;
  /** Validation loss (inference mode); NaN without a validation part. */
  readonly valLoss: number;
  /** Per head, in `timeframes` order: fraction of validation rows whose argmax is the label (training rows without validation). */
  readonly accuracy: number[];
}

/** What {@link MultiTimeframeCnn.fit} did. */
export interface CnnTrainingHistory {
  readonly epochs: CnnEpochMetrics[];
  /** 0-based epoch whose weights the model holds now (lowest monitored loss); −1 when no epoch had a finite loss. */
  readonly bestEpoch: number;
  /** The monitored loss: valLoss with a validation part, else the training loss. */
  readonly monitor: 'valLoss' | 'loss';
  /** True when patience ran out before `epochs`. */
  readonly stoppedEarly: boolean;
}

/** One row's prediction. */
export interface CnnPrediction {
  /** [H][3]: per head (timeframes order), probabilities of BUY, HOLD, SELL. */
  readonly heads: number[][];
  /** Sigmoid confidence in [0, 1]. */
  readonly confidence: number;
}

const INFERENCE_BATCH = 256;

/**
 * A 1-D CNN over a window of bars with one BUY/HOLD/SELL softmax head per timeframe and a confidence head.
 *
 * Input [B, L, C] → 3 × (Conv1D(k = 3, 'same') → BatchNorm → ReLU → Dropout) → global average pooling → per
 * timeframe Dense → Dense → Dense(3, softmax), and Dense → Dense → Dense(1, sigmoid) for confidence.
 * Loss = Σ heads categorical cross-entropy + 0.5 × binary cross-entropy of the confidence ({@link multiHeadLoss}).
 * Training: Adam, seeded batch order, early stopping on a chronological validation suffix with the best weights
 * restored. Weights use He-normal (ReLU layers) and Glorot-uniform (output layers) initialisers seeded from the Rng.
 *
 * Determinism: on one backend the same seed gives the same weights and the same training run (wasm and cpu are
 * single-threaded here). Backends differ in float32 rounding (≈1e-6 relative), and tfjs-node's multi-threaded
 * kernels may sum in a different order from run to run.
 *
 * @see Y. LeCun, Y. Bengio (1995), "Convolutional networks for images, speech, and time series".
 * @see S. Ioffe, C. Szegedy (2015), "Batch normalization", ICML; M. Lin et al. (2014), "Network in network" (global average pooling).
 * @example
 * const cnn = new MultiTimeframeCnn({ timeframes: ['1h', '4h'], sequenceLength: 32, channels: 5, seed: 1 });
 * const history = await cnn.fit(dataset, { epochs: 20, batchSize: 32, validationFraction: 0.2, patience: 3 });
 * const [first] = cnn.predict(dataset.x.subarray(0, 32 * 5), 1); // first.heads[0] = [pBuy, pHold, pSell]
 * cnn.dispose();
 */
export class MultiTimeframeCnn {
  /** Head order of outputs and labels. */
  readonly timeframes: readonly Timeframe[];
  readonly sequenceLength: number;
  readonly channels: number;
  private readonly options: ParsedOptions;
  private readonly rng: Rng;
  /** Batch order; one stream across fit calls, so a second fit does not replay the first one's order. */
  private readonly shuffleRng: Rng;
  private model: tf.LayersModel;
  private optimizer: HostAdam;

  /**
   * @param options - see {@link MultiTimeframeCnnOptions}.
   * @throws ConfigError naming the first invalid option.
   */
  constructor(options: MultiTimeframeCnnOptions) {
    const { seed, ...rest } = options;
    if (typeof seed !== 'number' && !(seed instanceof Rng)) throw new ConfigError({ parameter: 'MultiTimeframeCnn.seed', value: seed, expected: 'a safe integer or an Rng' });
    this.options = parseOptions('MultiTimeframeCnn', optionsSchema, rest);
    this.rng = toRng(seed);
    this.shuffleRng = this.rng.derive('shuffle');
    this.timeframes = this.options.timeframes;
    this.sequenceLength = this.options.sequenceLength;
    this.channels = this.options.channels;
    this.model = this.build();
    this.optimizer = this.makeOptimizer();
  }

  /** The underlying tfjs model (outputs: one [B, 3] per head, then [B, 1] confidence). */
  get network(): tf.LayersModel {
    return this.model;
  }

  private build(): tf.LayersModel {
    const o = this.options;
    const init = this.rng.derive('init');
    const he = (label: string) => tf.initializers.heNormal({ seed: seedFor(init, label) });
    const glorot = (label: string) => tf.initializers.glorotUniform({ seed: seedFor(init, label) });
    const input = tf.input({ shape: [o.sequenceLength, o.channels], name: 'window' }); // [B, L, C]
    let h = input;
    o.filters.forEach((filters, i) => {
      // no conv bias: the batch norm's beta plays that role
      h = tf.layers.conv1d({ filters, kernelSize: o.kernelSize, padding: 'same', useBias: false, kernelInitializer: he(`conv${i}`), name: `conv${i}` }).apply(h) as tf.SymbolicTensor; // [B, L, F_i]
      h = new FastBatchNormalization({ name: `bn${i}` }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.reLU({ name: `relu${i}` }).apply(h) as tf.SymbolicTensor;
      h = new SeededDropout({ rate: o.dropout, seed: seedFor(this.rng, `dropout${i}`), name: `dropout${i}` }).apply(h) as tf.SymbolicTensor;
    });
    const pooled = tf.layers.globalAveragePooling1d({ name: 'pool' }).apply(h) as tf.SymbolicTensor; // [B, F_last]
    const mlp = (prefix: string, units: readonly number[], outUnits: number, activation: 'softmax' | 'sigmoid') => {
      let z = pooled;
      units.forEach((u, i) => {
        z = tf.layers.dense({ units: u, activation: 'relu', kernelInitializer: he(`${prefix}/${i}`), name: `${prefix}_dense${i}` }).apply(z) as tf.SymbolicTensor;
      });
      return tf.layers.dense({ units: outUnits, activation, kernelInitializer: glorot(`${prefix}/out`), name: prefix }).apply(z) as tf.SymbolicTensor;
    };
    const heads = o.timeframes.map((t) => mlp(`head_${t}`, o.headUnits, ACTIONS.length, 'softmax')); // H × [B, 3]
    const confidence = mlp('confidence', o.confidenceUnits, 1, 'sigmoid'); // [B, 1]
    return tf.model({ inputs: input, outputs: [...heads, confidence], name: 'multi_timeframe_cnn' });
  }

  private makeOptimizer(): HostAdam {
    return new HostAdam(this.model.trainableWeights.map((w) => w.read() as tf.Variable), { learningRate: this.options.learningRate });
  }

  /** Forward pass: H head probabilities [B, 3] and confidence [B, 1]. Call inside tf.tidy. */
  private forward(x: tf.Tensor3D, training: boolean): { heads: tf.Tensor[]; confidence: tf.Tensor } {
    const outputs = this.model.apply(x, { training }) as tf.Tensor[];
    return { heads: outputs.slice(0, -1), confidence: outputs[outputs.length - 1]! };
  }

  /** Labels of rows [start, end) of `order` as tensors: per head one-hot [B, 3], confidence [B, 1]. Call inside tf.tidy. */
  private labelTensors(dataset: CnnDataset, order: ArrayLike<number>, start: number, end: number): { heads: tf.Tensor[]; confidence: tf.Tensor } {
    const H = this.timeframes.length;
    const actions = gatherRows(dataset.actions, H, order, start, end); // [B, H]
    const confidence = gatherRows(dataset.confidence, 1, order, start, end); // [B]
    const byHead = tf.unstack(tf.tensor2d(actions, [end - start, H], 'int32'), 1); // H × [B]
    return { heads: byHead.map((a) => tf.oneHot(a, ACTIONS.length)), confidence: tf.tensor2d(confidence, [end - start, 1]) };
  }

  private inputTensor(dataset: CnnDataset, order: ArrayLike<number>, start: number, end: number): tf.Tensor3D {
    const rowSize = this.sequenceLength * this.channels;
    return tf.tensor3d(gatherRows(dataset.x, rowSize, order, start, end), [end - start, this.sequenceLength, this.channels]);
  }

  /** Inference-mode loss and per-head accuracy over rows [start, end). */
  private evaluate(dataset: CnnDataset, start: number, end: number): { loss: number; accuracy: number[] } {
    const H = this.timeframes.length;
    const rows = new Int32Array(end);
    for (let i = start; i < end; i++) rows[i] = i; // chronological, unshuffled
    let lossSum = 0;
    const correct = new Array<number>(H).fill(0);
    for (let b = start; b < end; b += INFERENCE_BATCH) {
      const e = Math.min(end, b + INFERENCE_BATCH);
      const [loss, hits] = tf.tidy(() => {
        const out = this.forward(this.inputTensor(dataset, rows, b, e), false);
        const labels = this.labelTensors(dataset, rows, b, e);
        const batchLoss = multiHeadLoss(out.heads, labels.heads, out.confidence, labels.confidence, this.options.confidenceLossWeight);
        const hitCounts = tf.stack(out.heads.map((p, h) => tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), tf.argMax(labels.heads[h]!, 1)), 'float32')))); // [H]
        return [batchLoss.dataSync()[0]!, hitCounts.dataSync()];
      });
      lossSum += loss * (e - b);
      for (let h = 0; h < H; h++) correct[h]! += hits[h]!;
    }
    const n = end - start;
    return { loss: lossSum / n, accuracy: correct.map((c) => c / n) };
  }

  /**
   * Trains with Adam on the chronologically first (1 − validationFraction) of the rows, in a seeded shuffled order,
   * and early-stops on the loss of the last validationFraction (or on the training loss without validation),
   * restoring the weights of the best epoch.
   *
   * @param dataset - rows in chronological order; see {@link CnnDataset}.
   * @param options - see {@link CnnFitOptions}.
   * @returns the per-epoch metrics and the best epoch.
   * @throws DataError when the dataset's sizes or values are wrong; ConfigError for bad options or a training part
   *   with no rows.
   * @see L. Prechelt (1998), "Early stopping — but when?", Neural Networks: Tricks of the Trade.
   */
  async fit(dataset: CnnDataset, options: CnnFitOptions): Promise<CnnTrainingHistory> {
    const fitOptions = parseOptions('MultiTimeframeCnn.fit', fitSchema, { ...options, onEpoch: undefined });
    const n = validateCnnDataset(dataset, this.sequenceLength * this.channels, this.timeframes.length);
    const trainCount = chronologicalSplit(n, fitOptions.validationFraction);
    const hasValidation = trainCount < n;
    if (trainCount < 1) throw new ConfigError({ parameter: 'validationFraction', value: fitOptions.validationFraction, expected: `a fraction leaving at least 1 of ${n} rows for training` });
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const epochs: CnnEpochMetrics[] = [];
    let best = Infinity;
    let bestEpoch = -1;
    let bestWeights: tf.Tensor[] | null = null;
    let sinceBest = 0;
    let stoppedEarly = false;
    try {
      for (let epoch = 0; epoch < fitOptions.epochs; epoch++) {
        const order = shuffledRange(trainCount, this.shuffleRng);
        let lossSum = 0;
        for (let start = 0; start < trainCount; start += fitOptions.batchSize) {
          const end = Math.min(trainCount, start + fitOptions.batchSize);
          const loss = tf.tidy(() => {
            const x = this.inputTensor(dataset, order, start, end); // [B, L, C]
            const labels = this.labelTensors(dataset, order, start, end);
            const { value, grads } = tf.variableGrads(() => {
              const out = this.forward(x, true);
              return multiHeadLoss(out.heads, labels.heads, out.confidence, labels.confidence, this.options.confidenceLossWeight);
            }, variables);
            this.optimizer.applyGradients(grads);
            return value;
          });
          lossSum += loss.dataSync()[0]! * (end - start);
          loss.dispose();
        }
        const trainLoss = lossSum / trainCount;
        const evaluation = hasValidation ? this.evaluate(dataset, trainCount, n) : this.evaluate(dataset, 0, trainCount);
        const metrics: CnnEpochMetrics = { loss: trainLoss, valLoss: hasValidation ? evaluation.loss : Number.NaN, accuracy: evaluation.accuracy };
        epochs.push(metrics);
        await options.onEpoch?.(epoch, metrics);
        const monitored = hasValidation ? metrics.valLoss : metrics.loss;
        if (monitored < best) {
          best = monitored;
          bestEpoch = epoch;
          sinceBest = 0;
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = this.model.getWeights().map((w) => w.clone()); // includes batch-norm moving statistics
        } else if (++sinceBest >= fitOptions.patience) {
          stoppedEarly = epoch < fitOptions.epochs - 1;
          break;
        }
      }
      if (bestWeights !== null && bestEpoch !== epochs.length - 1) this.model.setWeights(bestWeights);
    } finally {
      bestWeights?.forEach((w) => w.dispose());
    }
    return { epochs, bestEpoch, monitor: hasValidation ? 'valLoss' : 'loss', stoppedEarly };
  }

  /**
   * Predicts n rows in inference mode (no dropout, batch-norm moving statistics).
   *
   * @param x - inputs [n, L, C], row-major.
   * @param n - number of rows.
   * @returns per row, per head the BUY/HOLD/SELL probabilities, and the confidence.
   * @throws ConfigError when x.length ≠ n·L·C.
   */
  predict(x: Float32Array, n: number): CnnPrediction[] {
    const rowSize = this.sequenceLength * this.channels;
    if (!Number.isInteger(n) || n < 0 || x.length !== n * rowSize) {
      throw new ConfigError({ parameter: 'predict(x, n)', value: { xLength: x.length, n }, expected: `x.length = n·L·C with L·C = ${rowSize}` });
    }
    const H = this.timeframes.length;
    const results: CnnPrediction[] = [];
    for (let start = 0; start < n; start += INFERENCE_BATCH) {
      const end = Math.min(n, start + INFERENCE_BATCH);
      const values = tf.tidy(() => {
        const out = this.forward(tf.tensor3d(x.subarray(start * rowSize, end * rowSize), [end - start, this.sequenceLength, this.channels]), false);
        return { heads: out.heads.map((p) => p.dataSync()), confidence: out.confidence.dataSync() };
      });
      for (let r = 0; r < end - start; r++) {
        const heads: number[][] = [];
        for (let h = 0; h < H; h++) heads.push(Array.from(values.heads[h]!.subarray(r * 3, r * 3 + 3)));
        results.push({ heads, confidence: values.confidence[r]! });
      }
    }
    return results;
  }

  /**
   * Saves the network to `<dir>/cnn.json` + `<dir>/cnn.weights.bin` with the options as metadata. The Adam state
   * and the Rng are not saved: a loaded model predicts identically and continues training with a fresh optimizer.
   * @param dir - folder, created when missing.
   */
  async save(dir: string): Promise<void> {
    await saveLayersModel(this.model, { dir, name: 'cnn', metadata: { kind: 'MultiTimeframeCnn', version: 1, options: { ...this.options } } });
  }

  /**
   * Loads a network saved by {@link MultiTimeframeCnn.save}.
   * @param dir - the folder.
   * @param seed - seed for further training (batch order, dropout). Default 0.
   * @throws DataError when the files are missing or malformed; StateError when the stored options do not fit.
   */
  static async load(dir: string, seed: number | Rng = 0): Promise<MultiTimeframeCnn> {
    const { model, metadata } = await loadLayersModel({ dir, name: 'cnn' });
    try {
      const parsed = parseState(`MultiTimeframeCnn from ${dir}/cnn.json`, metadataSchema, metadata);
      const cnn = new MultiTimeframeCnn({ ...parsed.options, seed });
      cnn.model.dispose();
      cnn.model = model;
      cnn.optimizer = cnn.makeOptimizer();
      return cnn;
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Frees the network's tensors. The instance is unusable afterwards. */
  dispose(): void {
    this.model.dispose();
  }
}

const fitSchema = z.object({
  epochs: z.int().min(1),
  batchSize: z.int().min(1),
  validationFraction: z.number().min(0).lt(1),
  patience: z.int().min(1),
});

/** 0..n−1 in a seeded random order (Fisher–Yates). */
function shuffledRange(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
