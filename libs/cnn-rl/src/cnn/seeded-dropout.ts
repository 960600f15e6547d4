import * as tf from '@tensorflow/tfjs';

/** Constructor arguments of {@link SeededDropout} (also its serialised config). */
export interface SeededDropoutArgs {
  /** Fraction of units zeroed during training, in [0, 1). */
  readonly rate: number;
  /** Base seed (integer); the k-th training call uses a seed mixed from it and k. */
  readonly seed: number;
  readonly name?: string;
}

/**
 * Dropout whose mask is reproducible and different on every training call.
 *
 * tfjs's own `tf.layers.dropout({ seed })` passes the same seed to `randomUniform` on every call, so a seeded
 * Dropout layer drops the same units at every step (tfjs 4.22 `Dropout.call` → `K.dropout(…, this.seed)`). This
 * layer counts its training calls and uses seed ⊕ hash(k) for the k-th. Identity at inference. The call counter is
 * not saved: a loaded model restarts the mask sequence.
 *
 * @see N. Srivastava et al. (2014), "Dropout: a simple way to prevent neural networks from overfitting", JMLR 15.
 * @example
 * const layer = new SeededDropout({ rate: 0.2, seed: 7 });
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (kwargs['training'] !== true || this.rate === 0) return x;
    const seed = (this.seed ^ Math.imul(++this.calls, 0x9e3779b1)) >>> 0;
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, seed));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
