import * as tf from '@tensorflow/tfjs';

/** Constructor arguments of {@link FastBatchNormalization} (also its serialised config); tf.layers.batchNormalization's defaults. */
export interface FastBatchNormalizationArgs {
  /** Moving-average momentum of the inference statistics. Default 0.99. */
  readonly momentum?: number;
  /** ε added to the variance. Default 1e-3. */
  readonly epsilon?: number;
  readonly name?: string;
}

/**
 * Batch normalisation over every axis but the last (channels-last), numerically the same as
 * tf.layers.batchNormalization (biased batch variance, the same moving-average update), with a closed-form
 * gradient. tfjs-layers differentiates through `moments` and the `FusedBatchNorm` kernel's generic gradient (tiles,
 * broadcasts), ~70 ms per [32, 100, 128] forward + backward on the wasm backend — most of a CNN train step; this
 * layer's gradient is a handful of elementwise kernels:
 *
 * x̂ = (x − μ)/√(σ² + ε), y = γx̂ + β; with m rows per channel,
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(m√(σ² + ε))·(m·dy − Σ dy − x̂·Σ dy·x̂).
 *
 * @see S. Ioffe, C. Szegedy (2015), "Batch normalization: accelerating deep network training by reducing internal
 *   covariate shift", ICML, Algorithm 1 and §3 (the backward pass).
 * @example
 * const h = new FastBatchNormalization({ name: 'bn0' }).apply(convOutput); // [B, L, F] → [B, L, F]
 */
export class FastBatchNormalization extends tf.layers.Layer {
  static readonly className = 'FastBatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private movingMean: tf.LayerVariable | null = null;
  private movingVariance: tf.LayerVariable | null = null;

  constructor(args: FastBatchNormalizationArgs = {}) {
    super(args.name === undefined ? {} : { name: args.name });
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number') throw new Error(`FastBatchNormalization needs a known channel count, got input shape ${JSON.stringify(shape)}`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const gamma = this.gamma!.read();
    const beta = this.beta!.read();
    if (kwargs['training'] !== true) {
      return tf.tidy(() => tf.batchNorm(x, this.movingMean!.read(), this.movingVariance!.read(), beta, gamma, this.epsilon));
    }
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const count = x.size / x.shape[x.rank - 1]!; // m
    const epsilon = this.epsilon;
    const statistics: { mean?: tf.Tensor; variance?: tf.Tensor } = {};
    const normalise = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, scale, shift, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const { mean, variance } = tf.moments(input, axes); // [C] each, biased variance
      statistics.mean = tf.keep(mean.clone());
      statistics.variance = tf.keep(variance.clone());
      const inverseStd = tf.rsqrt(tf.add(variance, epsilon)); // [C]
      const normalised = tf.mul(tf.sub(input, mean), inverseStd); // x̂
      save([normalised, inverseStd, scale]);
      return {
        value: tf.add(tf.mul(normalised, scale), shift),
        gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
          const [xHat, invStd, s] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const sumDy = tf.sum(g, axes); // [C] = dβ
          const sumDyXHat = tf.sum(tf.mul(g, xHat), axes); // [C] = dγ
          const dx = tf.mul(tf.div(tf.mul(s, invStd), count), tf.sub(tf.sub(tf.mul(g, count), sumDy), tf.mul(xHat, sumDyXHat)));
          return [dx, sumDyXHat, sumDy];
        },
      };
    });
    const y = normalise(x, gamma, beta);
    tf.tidy(() => {
      const decay = 1 - this.momentum;
      const mean = this.movingMean!.read();
      const variance = this.movingVariance!.read();
      this.movingMean!.write(tf.sub(mean, tf.mul(tf.sub(mean, statistics.mean!), decay)));
      this.movingVariance!.write(tf.sub(variance, tf.mul(tf.sub(variance, statistics.variance!), decay)));
    });
    tf.dispose([statistics.mean!, statistics.variance!]);
    return y;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(FastBatchNormalization);
