import type { Snapshottable } from '@trading-ml/core';
import { ConfigError, NotWarmError, parseState } from '@trading-ml/core';
import { z } from 'zod';
import type { Regime } from './types.js';
import { REGIMES } from './types.js';
import { MAX_LEARNED_MAGNITUDE, addWeighted, ascendingOrder, forwardStep, normalGammaPosterior, propagate } from './hmm-math.js';
import { requireFiniteObservation, requireInteger, requireNumber } from './validation.js';
import { count, fixed, matrix, probability, toRows, vector } from './snapshot-schemas.js';

/** Options of {@link OnlineRegimeDetector}. */
export interface OnlineRegimeDetectorOptions {
  /** Number of hidden states: 3 (bear, neutral, bull) or 2 (bear, bull). Default 3. */
  readonly nStates?: number;
  /** Prior probability of staying in the same state from one period to the next, in (0, 1). Default 0.95. */
  readonly stickiness?: number;
  /** Re-estimate the parameters every this many observations (integer ≥ 0; 0 = never learn). Default 1. */
  readonly learnEvery?: number;
  /** Per-observation forgetting factor of the sufficient statistics, in (0, 1]; memory ≈ 1/(1 − forgetting). Default 0.995. */
  readonly forgetting?: number;
  /** Typical standard deviation of one return (fraction per period, > 0); sets the default priors (see class doc). */
  readonly returnScale?: number;
  /** Prior emission means, one per state, strictly ascending (bear first). Default [−s, 0, s] with s = returnScale. */
  readonly initialMeans?: readonly number[];
  /** Prior emission variances (> 0), one per state. Default s² for every state. */
  readonly initialVariances?: readonly number[];
  /** Pseudo-observations behind each state's Normal-Gamma prior (κ₀ = w, a₀ = w/2), > 0. Default 10. */
  readonly priorWeight?: number;
  /** Pseudo-transitions behind each row's Dirichlet prior, > 0. Default 50. */
  readonly transitionPriorWeight?: number;
}

/** Current point estimates of the HMM, states in label order (bear first). */
export interface RegimeParameters {
  /** Emission means (return units per period), ascending. */
  readonly means: number[];
  /** Emission variances (return units squared). */
  readonly variances: number[];
  /** transition[i][j] = P(state_{t+1} = j | state_t = i); rows sum to 1. */
  readonly transition: number[][];
}

/** Plain-data state of an {@link OnlineRegimeDetector}. */
export interface OnlineRegimeDetectorState {
  readonly nStates: number;
  readonly stickiness: number;
  readonly learnEvery: number;
  readonly forgetting: number;
  readonly priorWeight: number;
  readonly transitionPriorWeight: number;
  readonly priorMeans: number[];
  readonly priorVariances: number[];
  readonly transitionPrior: number[][];
  readonly means: number[];
  readonly variances: number[];
  readonly transition: number[][];
  /** Forgotten posterior-weighted moments of the returns per state. */
  readonly statWeights: number[];
  readonly statMeans: number[];
  readonly statSquares: number[];
  /** Forgotten expected transition counts. */
  readonly transitionCounts: number[][];
  /** P(state_t | r_1..t); uniform before the first update. */
  readonly filtered: number[];
  readonly nUpdates: number;
}

const SUM_TOLERANCE = 1e-9;

const sumsToOne = (values: readonly number[]): boolean => Math.abs(values.reduce((a, b) => a + b, 0) - 1) <= SUM_TOLERANCE;

/** The schema of an {@link OnlineRegimeDetectorState} with `k` states; the matrices parse to flat row-major arrays. */
function stateSchema(k: number) {
  const positive = z.number().positive();
  const nonNegative = z.number().nonnegative();
  return z.object({
    nStates: fixed(k),
    stickiness: z.number().gt(0).lt(1),
    learnEvery: count,
    forgetting: z.number().positive().max(1),
    priorWeight: positive,
    transitionPriorWeight: positive,
    priorMeans: vector(k),
    priorVariances: vector(k, positive),
    transitionPrior: matrix(k, vector(k, positive)),
    means: vector(k).refine((m) => m.every((v, s) => s === 0 || v >= m[s - 1]!), 'ascending numbers (bear first)'),
    variances: vector(k, positive),
    transition: matrix(k, vector(k, probability).refine(sumsToOne, 'probabilities that sum to 1')),
    statWeights: vector(k, nonNegative),
    statMeans: vector(k),
    statSquares: vector(k, nonNegative),
    transitionCounts: matrix(k, vector(k, nonNegative)),
    filtered: vector(k, probability).refine(sumsToOne, 'probabilities that sum to 1'),
    nUpdates: count,
  });
}

/**
 * Market regimes from returns: a hidden Markov model with Gaussian emissions, filtered online and learned
 * online by conjugate Bayesian updates with exponential forgetting.
 *
 * Filtering (every observation): the normalised forward recursion gives P(state_t | r_1..t); the state at
 * t = 1 is uniform. Learning (every `learnEvery` observations; the statistics are accumulated at every one):
 * each state's Normal-Gamma posterior on (mean, precision) from posterior-weighted return moments, and each
 * transition row's Dirichlet posterior from the expected transition counts P(state_{t−1}, state_t | r_1..t),
 * all statistics decaying by `forgetting` per observation while the priors stay fixed. Parameters used to
 * filter r_t were learned from r_1..t−1 only. States are re-sorted by mean after each learning step, so index
 * 0 is always the lowest-mean state ('bear').
 *
 * Default priors (when `initialMeans` / `initialVariances` are omitted), with s = returnScale (e.g. the std of
 * the training returns): means 0 for neutral and −s / +s for bear / bull, every variance s². Either give
 * returnScale or both initial arrays.
 *
 * @see L. R. Rabiner (1989), "A tutorial on hidden Markov models and selected applications in speech
 *   recognition", Proc. IEEE 77(2), §III.A (forward algorithm) and §V.A (scaling).
 * @see Q. Huo, C.-H. Lee (1997), "On-line adaptive learning of the continuous density hidden Markov model based on
 *   approximate recursive Bayes estimate", IEEE Trans. Speech Audio Process. 5(2) (quasi-Bayes online learning with forgetting).
 * @see K. P. Murphy (2007), "Conjugate Bayesian analysis of the Gaussian distribution" (Normal-Gamma updates).
 * @example
 * const detector = new OnlineRegimeDetector({ returnScale: 0.02 });
 * detector.update(-0.05); // [P(bear), P(neutral), P(bull)] ≈ [0.876, 0.118, 0.006]
 * detector.regime();      // 'bear'
 * detector.predict();     // next period's state, before its return: ≈ [0.835, 0.135, 0.030]
 */
export class OnlineRegimeDetector implements Snapshottable<OnlineRegimeDetectorState> {
  /** Number of hidden states (2 or 3). */
  readonly nStates: number;
  /** Label of each state index: ['bear', 'neutral', 'bull'] or ['bear', 'bull']. */
  readonly regimes: readonly Regime[];
  private stickiness: number;
  private learnEvery: number;
  private forgetting: number;
  private priorWeight: number;
  private transitionPriorWeight: number;
  private readonly priorMeans: Float64Array; // [K]
  private readonly priorVariances: Float64Array; // [K]
  private readonly transitionPrior: Float64Array; // [K, K] Dirichlet concentrations
  private readonly means: Float64Array; // [K]
  private readonly variances: Float64Array; // [K]
  private readonly transition: Float64Array; // [K, K]
  private readonly statWeights: Float64Array; // [K]
  private readonly statMeans: Float64Array; // [K]
  private readonly statSquares: Float64Array; // [K]
  private readonly transitionCounts: Float64Array; // [K, K]
  private readonly filtered: Float64Array; // [K]
  private readonly predicted: Float64Array; // [K] scratch
  private readonly previous: Float64Array; // [K] scratch
  private updates = 0;

  /**
   * @param options - see {@link OnlineRegimeDetectorOptions}.
   * @throws ConfigError naming the option when nStates is not 2 or 3, stickiness is outside (0, 1), learnEvery is
   *   not an integer ≥ 0, forgetting is outside (0, 1], a prior weight is not > 0, initialMeans is not strictly
   *   ascending, a variance is not > 0, an array has the wrong length, or returnScale is missing when needed.
   */
  constructor(options: OnlineRegimeDetectorOptions = {}) {
    const k = requireInteger('OnlineRegimeDetector nStates', options.nStates ?? 3, 2, 3);
    this.nStates = k;
    this.regimes = k === 3 ? REGIMES : [REGIMES[0]!, REGIMES[2]!];
    this.stickiness = requireNumber('OnlineRegimeDetector stickiness', options.stickiness ?? 0.95, { min: 0, max: 1, open: 'both' });
    this.learnEvery = requireInteger('OnlineRegimeDetector learnEvery', options.learnEvery ?? 1, 0);
    this.forgetting = requireNumber('OnlineRegimeDetector forgetting', options.forgetting ?? 0.995, { min: 0, max: 1, open: 'left' });
    this.priorWeight = requireNumber('OnlineRegimeDetector priorWeight', options.priorWeight ?? 10, { min: 0, open: 'left' });
    this.transitionPriorWeight = requireNumber('OnlineRegimeDetector transitionPriorWeight', options.transitionPriorWeight ?? 50, {
      min: 0,
      open: 'left',
    });
    const { means, variances } = initialEmissions(k, options);
    this.priorMeans = Float64Array.from(means);
    this.priorVariances = Float64Array.from(variances);
    this.transitionPrior = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const probability = i === j ? this.stickiness : (1 - this.stickiness) / (k - 1);
        this.transitionPrior[i * k + j] = this.transitionPriorWeight * probability;
      }
    }
    this.means = Float64Array.from(means);
    this.variances = Float64Array.from(variances);
    this.transition = new Float64Array(k * k);
    this.statWeights = new Float64Array(k);
    this.statMeans = new Float64Array(k);
    this.statSquares = new Float64Array(k);
    this.transitionCounts = new Float64Array(k * k);
    this.filtered = new Float64Array(k).fill(1 / k);
    this.predicted = new Float64Array(k);
    this.previous = new Float64Array(k);
    this.learnTransition();
  }

  /** Number of returns seen. */
  get nUpdates(): number {
    return this.updates;
  }

  /**
   * Folds in one realized return: a forward-filter step, then (if enabled) the statistics and learning step.
   * @param ret - the period's return (fraction, e.g. log return of one bar), finite; known at the bar's close.
   * @returns P(state_t = k | r_1..t) in label order (length nStates, sums to 1); a fresh array.
   * @throws ConfigError when ret is not finite.
   */
  update(ret: number): readonly number[] {
    requireFiniteObservation('OnlineRegimeDetector.update ret', ret);
    this.predictInto(this.predicted);
    this.previous.set(this.filtered);
    forwardStep(this.predicted, this.means, this.variances, ret, this.filtered);
    if (this.learnEvery > 0) this.accumulate(ret);
    this.updates++;
    if (this.learnEvery > 0 && this.updates % this.learnEvery === 0) this.learn();
    return Array.from(this.filtered);
  }

  /** One-step-ahead state probabilities P(state_{t+1} = k | r_1..t) in label order; uniform before the first update. */
  predict(): number[] {
    const out = new Float64Array(this.nStates);
    this.predictInto(out);
    return Array.from(out);
  }

  /** Filtered probabilities P(state_t = k | r_1..t) in label order; uniform before the first update. */
  posterior(): number[] {
    return Array.from(this.filtered);
  }

  /**
   * The most probable current regime (argmax of the filtered posterior).
   * @throws NotWarmError before the first update.
   */
  regime(): Regime {
    if (this.updates === 0) throw new NotWarmError({ what: 'OnlineRegimeDetector.regime()', needed: 1, seen: 0 });
    let best = 0;
    for (let s = 1; s < this.nStates; s++) if (this.filtered[s]! > this.filtered[best]!) best = s;
    return this.regimes[best]!;
  }

  /** Current means, variances and transition matrix, states in label order. */
  parameters(): RegimeParameters {
    return {
      means: Array.from(this.means),
      variances: Array.from(this.variances),
      transition: toRows(this.transition, this.nStates, this.nStates),
    };
  }

  /** The complete state as plain data. */
  snapshot(): OnlineRegimeDetectorState {
    const k = this.nStates;
    return {
      nStates: k,
      stickiness: this.stickiness,
      learnEvery: this.learnEvery,
      forgetting: this.forgetting,
      priorWeight: this.priorWeight,
      transitionPriorWeight: this.transitionPriorWeight,
      priorMeans: Array.from(this.priorMeans),
      priorVariances: Array.from(this.priorVariances),
      transitionPrior: toRows(this.transitionPrior, k, k),
      means: Array.from(this.means),
      variances: Array.from(this.variances),
      transition: toRows(this.transition, k, k),
      statWeights: Array.from(this.statWeights),
      statMeans: Array.from(this.statMeans),
      statSquares: Array.from(this.statSquares),
      transitionCounts: toRows(this.transitionCounts, k, k),
      filtered: Array.from(this.filtered),
      nUpdates: this.updates,
    };
  }

  /**
   * Replaces the state (including the options) with a snapshot.
   * @throws StateError when a field is missing or malformed: nStates differs, a probability vector or transition
   *   row does not sum to 1, means are not ascending, a variance or prior is not positive, and so on.
   */
  restore(state: OnlineRegimeDetectorState): void {
    const s = parseState('OnlineRegimeDetector', stateSchema(this.nStates), state);
    this.stickiness = s.stickiness;
    this.learnEvery = s.learnEvery;
    this.forgetting = s.forgetting;
    this.priorWeight = s.priorWeight;
    this.transitionPriorWeight = s.transitionPriorWeight;
    this.priorMeans.set(s.priorMeans);
    this.priorVariances.set(s.priorVariances);
    this.transitionPrior.set(s.transitionPrior);
    this.means.set(s.means);
    this.variances.set(s.variances);
    this.transition.set(s.transition);
    this.statWeights.set(s.statWeights);
    this.statMeans.set(s.statMeans);
    this.statSquares.set(s.statSquares);
    this.transitionCounts.set(s.transitionCounts);
    this.filtered.set(s.filtered);
    this.updates = s.nUpdates;
  }

  /** P(state_{t+1} | r_1..t) into `out`; the initial distribution (uniform) before any data. */
  private predictInto(out: Float64Array): void {
    if (this.updates === 0) out.fill(1 / this.nStates);
    else propagate(this.filtered, this.transition, out);
  }

  /** Forgets the old statistics by one step and adds this observation's posterior-weighted share. */
  private accumulate(ret: number): void {
    const k = this.nStates;
    const f = this.forgetting;
    const x = Math.max(-MAX_LEARNED_MAGNITUDE, Math.min(MAX_LEARNED_MAGNITUDE, ret));
    for (let s = 0; s < k; s++) {
      const moments = addWeighted({ weight: f * this.statWeights[s]!, mean: this.statMeans[s]!, squares: f * this.statSquares[s]! }, x, this.filtered[s]!);
      this.statWeights[s] = moments.weight;
      this.statMeans[s] = moments.mean;
      this.statSquares[s] = Math.max(0, moments.squares);
    }
    for (let c = 0; c < k * k; c++) this.transitionCounts[c] = f * this.transitionCounts[c]!;
    if (this.updates === 0) return; // no transition into the first state
    // P(s_{t−1} = i, s_t = j | r_1..t) = α_{t−1}(i)·A_ij·b_j(r_t)/Σ = α_t(j)·α_{t−1}(i)·A_ij / predicted_j.
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const share = (this.previous[i]! * this.transition[i * k + j]! * this.filtered[j]!) / this.predicted[j]!;
        this.transitionCounts[i * k + j] = this.transitionCounts[i * k + j]! + share;
      }
    }
  }

  /** Posterior point estimates from priors + statistics, then relabelling so means ascend. */
  private learn(): void {
    const shape = this.priorWeight / 2;
    for (let s = 0; s < this.nStates; s++) {
      const posterior = normalGammaPosterior(
        { mean: this.priorMeans[s]!, kappa: this.priorWeight, shape, rate: shape * this.priorVariances[s]! },
        { weight: this.statWeights[s]!, mean: this.statMeans[s]!, squares: this.statSquares[s]! },
      );
      this.means[s] = posterior.mean;
      this.variances[s] = posterior.variance;
    }
    this.learnTransition();
    this.relabel();
  }

  /** Transition matrix = Dirichlet posterior mean of each row. */
  private learnTransition(): void {
    const k = this.nStates;
    for (let i = 0; i < k; i++) {
      let total = 0;
      for (let j = 0; j < k; j++) total += this.transitionPrior[i * k + j]! + this.transitionCounts[i * k + j]!;
      for (let j = 0; j < k; j++) this.transition[i * k + j] = (this.transitionPrior[i * k + j]! + this.transitionCounts[i * k + j]!) / total;
    }
  }

  /** Re-sorts the states by emission mean; the model is unchanged, only the labels move. */
  private relabel(): void {
    const order = ascendingOrder(this.means);
    if (order.every((from, to) => from === to)) return;
    const k = this.nStates;
    for (const vector of [this.priorMeans, this.priorVariances, this.means, this.variances, this.statWeights, this.statMeans, this.statSquares, this.filtered]) {
      const copy = Float64Array.from(vector);
      for (let s = 0; s < k; s++) vector[s] = copy[order[s]!]!;
    }
    for (const matrix of [this.transitionPrior, this.transition, this.transitionCounts]) {
      const copy = Float64Array.from(matrix);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) matrix[i * k + j] = copy[order[i]! * k + order[j]!]!;
    }
  }
}

/** Prior emission means and variances from the options (see the class doc for the defaults). */
function initialEmissions(k: number, options: OnlineRegimeDetectorOptions): { means: number[]; variances: number[] } {
  const scale = (): number => {
    if (options.returnScale === undefined) {
      throw new ConfigError({
        parameter: 'OnlineRegimeDetector returnScale',
        value: undefined,
        expected: 'a positive number (typical std of one return) when initialMeans and initialVariances are not both given',
      });
    }
    const s = requireNumber('OnlineRegimeDetector returnScale', options.returnScale, { min: 0, open: 'left' });
    if (!(s * s > 0) || !Number.isFinite(s * s)) {
      throw new ConfigError({ parameter: 'OnlineRegimeDetector returnScale', value: s, expected: 'a number whose square is positive and finite' });
    }
    return s;
  };
  const means = options.initialMeans ?? (k === 3 ? [-scale(), 0, scale()] : [-scale(), scale()]);
  if (!Array.isArray(means) || means.length !== k || means.some((m, s) => !Number.isFinite(m) || (s > 0 && !(m > means[s - 1]!)))) {
    throw new ConfigError({ parameter: 'OnlineRegimeDetector initialMeans', value: means, expected: `${k} finite numbers, strictly ascending` });
  }
  const variances = options.initialVariances ?? Array.from({ length: k }, () => scale() ** 2);
  if (!Array.isArray(variances) || variances.length !== k || variances.some((v) => !(v > 0) || !Number.isFinite(v))) {
    throw new ConfigError({ parameter: 'OnlineRegimeDetector initialVariances', value: variances, expected: `${k} positive finite numbers` });
  }
  return { means: [...means], variances: [...variances] };
}
