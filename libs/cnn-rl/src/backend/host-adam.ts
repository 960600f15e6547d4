import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trading-ml/core';

/** Options of {@link HostAdam}; the defaults are tf.train.adam's. */
export interface HostAdamOptions {
  /** Step size α > 0. */
  readonly learningRate: number;
  /** β₁ ∈ [0, 1). Default 0.9. */
  readonly beta1?: number;
  /** β₂ ∈ [0, 1). Default 0.999. */
  readonly beta2?: number;
  /** ε > 0. Default 1e-7 (tfjs's float32 epsilon). */
  readonly epsilon?: number;
  /** Rescale the gradients to this global L2 norm when larger. Default: no clipping. */
  readonly maxGradNorm?: number;
}

/**
 * Adam whose update runs on the host (JS typed arrays) instead of as tfjs kernels.
 *
 * tf.train.adam launches ~12 small kernels per variable and step, and global-norm clipping 3 more; on the wasm
 * backend each launch costs tens of microseconds, which made the optimizer, not the matrix products, the largest
 * cost of a DQN train step. Here the gradients are read once (a copy out of the wasm heap), the moments live in
 * Float64Arrays, and each variable is written back with one `assign`. Same update as tf.train.adam:
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − α·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 * Parameters are read from the variables at every step, so setWeights / early-stopping restores stay in effect.
 *
 * @see D. P. Kingma, J. Ba (2015), "Adam: a method for stochastic optimization", ICLR, Algorithm 1;
 *   tfjs-core `optimizers/adam_optimizer.ts` (the implementation it is tested against).
 * @see R. Pascanu, T. Mikolov, Y. Bengio (2013), "On the difficulty of training recurrent neural networks" (norm clipping).
 * @example
 * const adam = new HostAdam(model.trainableWeights.map((w) => w.read() as tf.Variable), { learningRate: 1e-3 });
 * const { grads } = tf.variableGrads(lossFunction, variables);
 * adam.applyGradients(grads); // then dispose the gradients
 */
export class HostAdam {
  private readonly variables: readonly tf.Variable[];
  private readonly firstMoments: Float64Array[];
  private readonly secondMoments: Float64Array[];
  private readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly maxGradNorm: number;
  private steps = 0;

  /**
   * @param variables - the trainable variables, in a fixed order.
   * @param options - see {@link HostAdamOptions}.
   * @throws ConfigError for a non-positive learning rate, ε or maxGradNorm, or β outside [0, 1).
   */
  constructor(variables: readonly tf.Variable[], options: HostAdamOptions) {
    const { learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, maxGradNorm = Number.POSITIVE_INFINITY } = options;
    if (!(learningRate > 0)) throw new ConfigError({ parameter: 'learningRate', value: learningRate, expected: 'a number > 0' });
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new ConfigError({ parameter: 'Adam beta1/beta2', value: [beta1, beta2], expected: 'numbers in [0, 1)' });
    if (!(epsilon > 0) || !(maxGradNorm > 0)) throw new ConfigError({ parameter: 'Adam epsilon/maxGradNorm', value: [epsilon, maxGradNorm], expected: 'numbers > 0' });
    this.variables = variables;
    this.firstMoments = variables.map((v) => new Float64Array(v.size));
    this.secondMoments = variables.map((v) => new Float64Array(v.size));
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.maxGradNorm = maxGradNorm;
  }

  /** Updates taken so far (t). */
  get iterations(): number {
    return this.steps;
  }

  /**
   * One Adam step. Variables without a gradient in `grads` are left alone (their moments do not decay).
   * @param grads - gradients keyed by variable name (as tf.variableGrads returns them); not disposed here.
   * @returns the global L2 norm of the gradients before clipping.
   */
  applyGradients(grads: tf.NamedTensorMap): number {
    const values = this.variables.map((v) => {
      const g = grads[v.name];
      return g === undefined ? null : (g.dataSync() as Float32Array);
    });
    let squares = 0;
    for (const g of values) if (g !== null) for (let i = 0; i < g.length; i++) squares += g[i]! * g[i]!;
    const norm = Math.sqrt(squares);
    const scale = norm > this.maxGradNorm ? this.maxGradNorm / norm : 1;
    this.steps++;
    const { beta1, beta2, epsilon, learningRate } = this;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2 = 1 - beta2 ** this.steps;
    const step = learningRate / correction1;
    const secondScale = 1 / correction2;
    this.variables.forEach((variable, k) => {
      const g = values[k];
      if (g === null || g === undefined) return;
      const m = this.firstMoments[k]!;
      const v = this.secondMoments[k]!;
      // a copy: the cpu backend's dataSync returns its own storage
      const theta = (variable.dataSync() as Float32Array).slice();
      const n = theta.length;
      for (let i = 0; i < n; i++) {
        const gi = (g[i] as number) * scale;
        const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
        const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        theta[i] = (theta[i] as number) - (step * mi) / (Math.sqrt(vi * secondScale) + epsilon);
      }
      const updated = tf.tensor(theta, variable.shape);
      variable.assign(updated);
      updated.dispose();
    });
    return norm;
  }
}
