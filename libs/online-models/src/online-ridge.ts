import { parseState } from '@trading-ml/core';
import { z } from 'zod';
import type { OnlineRegressor } from './types.js';
import { badFeatures, requireBoolean, requireFiniteObservation, requireInteger, requireNumber } from './validation.js';
import { count, fixed, matrix, toRows, vector } from './snapshot-schemas.js';

/** Options of {@link OnlineRidge}. */
export interface OnlineRidgeOptions {
  /** Length of every feature vector x (integer ≥ 1). */
  readonly nFeatures: number;
  /** Ridge penalty λ (> 0), in units of y²/x²; sets P₀ = I/λ. Default 1. */
  readonly lambda?: number;
  /** Exponential forgetting factor β in (0, 1]; 1 = no forgetting; memory ≈ 1/(1 − β) updates. Default 1. */
  readonly forgettingFactor?: number;
  /** Append a constant-1 feature whose weight is the intercept (regularised like the others). Default true. */
  readonly fitIntercept?: boolean;
}

/** Plain-data state of an {@link OnlineRidge}. `dimension` = nFeatures + (fitIntercept ? 1 : 0). */
export interface OnlineRidgeState {
  readonly nFeatures: number;
  readonly lambda: number;
  readonly forgettingFactor: number;
  readonly fitIntercept: boolean;
  /** Weights of the augmented input [x, 1] (intercept last when fitIntercept), length dimension. */
  readonly weights: number[];
  /** Inverse correlation matrix P, dimension × dimension rows. */
  readonly inverseCorrelation: number[][];
  readonly nUpdates: number;
}

/** The schema of an {@link OnlineRidgeState} for an instance with these (shape-fixing) options; P parses to a flat row-major array. */
function stateSchema(nFeatures: number, fitIntercept: boolean) {
  const d = nFeatures + (fitIntercept ? 1 : 0);
  return z.object({
    nFeatures: fixed(nFeatures),
    lambda: z.number().positive(),
    forgettingFactor: z.number().positive().max(1),
    fitIntercept: fixed(fitIntercept),
    weights: vector(d),
    inverseCorrelation: matrix(d, vector(d)).refine((p) => isSymmetricWithPositiveDiagonal(p, d), 'a symmetric matrix with a positive diagonal'),
    nUpdates: count,
  });
}

/**
 * Ridge regression solved exactly and online by recursive least squares (RLS) with exponential forgetting.
 *
 * After n updates the weights minimise Σᵢ βⁿ⁻ⁱ (yᵢ − w·zᵢ)² + βⁿλ‖w‖², i.e.
 * w = (ZᵀBZ + βⁿλI)⁻¹ZᵀBy with B = diag(βⁿ⁻ⁱ); with β = 1 this is the closed-form ridge solution
 * (ZᵀZ + λI)⁻¹Zᵀy. Per update (Haykin's RLS with P₀ = δ⁻¹I, δ = λ):
 * π = Pz, k = π/(β + zᵀπ), e = y − w·z, w ← w + k·e, P ← (P − kπᵀ)/β.
 *
 * Intercept: with fitIntercept, z = [x, 1] and the intercept is the last weight. It is regularised by λ like
 * every other weight — the simplest honest choice that keeps the update exact; center y (or use a small λ)
 * when an unpenalised intercept matters.
 *
 * The update works in place on preallocated Float64Arrays (no allocation per call). It stores only the upper
 * triangle of P, so P stays exactly symmetric, and it applies each P correction lazily during the next update's
 * pass over P, so every update reads and writes the d(d+1)/2 entries once. With β < 1 and inputs that stop exciting a direction,
 * P grows like β⁻ⁿ in that direction (the known RLS "wind-up"); keep β close to 1.
 *
 * @see S. Haykin, "Adaptive Filter Theory", 4th ed. (2002), ch. 9–10 (exponentially weighted RLS, initialisation P₀ = δ⁻¹I).
 * @see A. E. Hoerl, R. W. Kennard (1970), "Ridge regression", Technometrics 12(1).
 * @example
 * const model = new OnlineRidge({ nFeatures: 1, lambda: 1, fitIntercept: false });
 * model.update([1], 2); // (xᵀx + λ)⁻¹xᵀy = (1 + 1)⁻¹·2
 * model.weights();      // [1]
 * model.predict([3]);   // 3
 */
export class OnlineRidge implements OnlineRegressor<OnlineRidgeState> {
  /** Length of every feature vector. */
  readonly nFeatures: number;
  private lambda: number;
  private beta: number;
  private readonly fitIntercept: boolean;
  /** nFeatures + 1 with an intercept, else nFeatures. */
  private readonly dimension: number;
  private readonly w: Float64Array; // [dimension]
  /** Upper triangle of the symmetric P, packed row by row: [d(d+1)/2]. Lags one rank-1 correction (see update). */
  private readonly p: Float64Array;
  private readonly z: Float64Array; // scratch: augmented input [d]
  private pz: Float64Array; // scratch: π = P z [d]
  /** The correction P ← P·s − (c·s)·uuᵀ not yet applied to `p`: u = previous π, c = previous 1/(β + zᵀπ), s = 1/β. */
  private pending: Float64Array; // u [d]
  private pendingGain = 0; // c
  private pendingScale = 1; // s
  private updates = 0;

  /**
   * @param options - see {@link OnlineRidgeOptions}.
   * @throws ConfigError naming the option when nFeatures is not an integer in [1, 4096], lambda is not > 0,
   *   forgettingFactor is outside (0, 1], or fitIntercept is not a boolean.
   */
  constructor(options: OnlineRidgeOptions) {
    this.nFeatures = requireInteger('OnlineRidge nFeatures', options.nFeatures, 1, 4096);
    this.lambda = requireNumber('OnlineRidge lambda', options.lambda ?? 1, { min: 0, open: 'left' });
    this.beta = requireNumber('OnlineRidge forgettingFactor', options.forgettingFactor ?? 1, { min: 0, max: 1, open: 'left' });
    this.fitIntercept = requireBoolean('OnlineRidge fitIntercept', options.fitIntercept ?? true);
    this.dimension = this.nFeatures + (this.fitIntercept ? 1 : 0);
    this.w = new Float64Array(this.dimension);
    this.p = new Float64Array((this.dimension * (this.dimension + 1)) / 2);
    this.z = new Float64Array(this.dimension);
    this.pz = new Float64Array(this.dimension);
    this.pending = new Float64Array(this.dimension);
    for (let i = 0; i < this.dimension; i++) this.p[packedIndex(this.dimension, i, i)] = 1 / this.lambda;
  }

  /** Number of `update` calls so far. */
  get nUpdates(): number {
    return this.updates;
  }

  /** The intercept (last augmented weight), 0 when fitIntercept is false. */
  get intercept(): number {
    return this.fitIntercept ? this.w[this.nFeatures]! : 0;
  }

  /** A copy of the feature weights, length nFeatures (the intercept is separate). */
  weights(): number[] {
    return Array.from(this.w.subarray(0, this.nFeatures));
  }

  /**
   * Prediction w·x + intercept.
   * @param x - nFeatures finite numbers (not mutated).
   * @returns ŷ in the units of y; 0 before the first update.
   * @throws ConfigError when x has the wrong length or a non-finite entry.
   */
  predict(x: ArrayLike<number>): number {
    if (x === null || typeof x !== 'object' || x.length !== this.nFeatures) throw badFeatures('OnlineRidge.predict', x, this.nFeatures);
    const w = this.w;
    let sum = this.intercept;
    for (let j = 0; j < this.nFeatures; j++) {
      const v = x[j]!;
      if (!Number.isFinite(v)) throw badFeatures('OnlineRidge.predict', x, this.nFeatures);
      sum += w[j]! * v;
    }
    return sum;
  }

  /**
   * One RLS step on a realized pair (x, y); O(d²) time, no allocation.
   * @param x - nFeatures finite numbers (not mutated).
   * @param y - the realized label, finite.
   * @throws ConfigError when x has the wrong length or a non-finite entry, or y is not finite.
   */
  update(x: ArrayLike<number>, y: number): void {
    const n = this.nFeatures;
    const d = this.dimension;
    const z = this.z;
    if (x === null || typeof x !== 'object' || x.length !== n) throw badFeatures('OnlineRidge.update', x, n);
    for (let j = 0; j < n; j++) {
      const v = x[j]!;
      if (!Number.isFinite(v)) throw badFeatures('OnlineRidge.update', x, n);
      z[j] = v;
    }
    if (!Number.isFinite(y)) requireFiniteObservation('OnlineRidge.update y', y);
    if (d > n) z[n] = 1;

    // One pass over the packed upper triangle does two jobs: it applies the previous update's pending rank-1
    // correction to each entry, then uses the corrected entry for π = Pz. Reading and writing P once instead of
    // twice is what makes the update fast; the arithmetic per entry is the textbook one.
    const p = this.p;
    const pz = this.pz;
    const u = this.pending;
    const c = this.pendingGain;
    const scale = this.pendingScale;
    const w = this.w;
    let yHat = 0;
    for (let i = 0; i < d; i++) {
      pz[i] = 0;
      yHat += w[i]! * z[i]!;
    }
    let k = 0; // start of row i in the packed array
    let i = 0;
    for (; i + 3 < d; i += 4) {
      // Rows i..i+3 together: first their 4 × 4 diagonal block, then the columns j ≥ i + 4, where each stored
      // P[r][j] adds to π_r and π_j. Blocking by 4 rows reads and writes π_j four times less often.
      const k1 = k + d - i; // start of row i + 1
      const k2 = k1 + d - i - 1;
      const k3 = k2 + d - i - 2;
      const z0 = z[i]!;
      const z1 = z[i + 1]!;
      const z2 = z[i + 2]!;
      const z3 = z[i + 3]!;
      const u0 = u[i]!;
      const u1 = u[i + 1]!;
      const u2 = u[i + 2]!;
      const u3 = u[i + 3]!;
      const c0 = u0 * c * scale;
      const c1 = u1 * c * scale;
      const c2 = u2 * c * scale;
      const c3 = u3 * c * scale;
      const a00 = (p[k] = p[k]! * scale - c0 * u0);
      const a01 = (p[k + 1] = p[k + 1]! * scale - c0 * u1);
      const a02 = (p[k + 2] = p[k + 2]! * scale - c0 * u2);
      const a03 = (p[k + 3] = p[k + 3]! * scale - c0 * u3);
      const a11 = (p[k1] = p[k1]! * scale - c1 * u1);
      const a12 = (p[k1 + 1] = p[k1 + 1]! * scale - c1 * u2);
      const a13 = (p[k1 + 2] = p[k1 + 2]! * scale - c1 * u3);
      const a22 = (p[k2] = p[k2]! * scale - c2 * u2);
      const a23 = (p[k2 + 1] = p[k2 + 1]! * scale - c2 * u3);
      const a33 = (p[k3] = p[k3]! * scale - c3 * u3);
      let s0 = a00 * z0 + a01 * z1 + a02 * z2 + a03 * z3;
      let s1 = a01 * z0 + a11 * z1 + a12 * z2 + a13 * z3;
      let s2 = a02 * z0 + a12 * z1 + a22 * z2 + a23 * z3;
      let s3 = a03 * z0 + a13 * z1 + a23 * z2 + a33 * z3;
      for (let j = i + 4, m0 = k + 4, m1 = k1 + 3, m2 = k2 + 2, m3 = k3 + 1; j < d; j++, m0++, m1++, m2++, m3++) {
        const uj = u[j]!;
        const v0 = (p[m0] = p[m0]! * scale - c0 * uj);
        const v1 = (p[m1] = p[m1]! * scale - c1 * uj);
        const v2 = (p[m2] = p[m2]! * scale - c2 * uj);
        const v3 = (p[m3] = p[m3]! * scale - c3 * uj);
        const zj = z[j]!;
        s0 += v0 * zj;
        s1 += v1 * zj;
        s2 += v2 * zj;
        s3 += v3 * zj;
        pz[j] = pz[j]! + (v0 * z0 + v1 * z1) + (v2 * z2 + v3 * z3);
      }
      pz[i] = pz[i]! + s0;
      pz[i + 1] = pz[i + 1]! + s1;
      pz[i + 2] = pz[i + 2]! + s2;
      pz[i + 3] = pz[i + 3]! + s3;
      k = k3 + d - i - 3;
    }
    for (; i < d; i++) {
      // The last d mod 4 rows, one at a time.
      const zi = z[i]!;
      const ci = u[i]! * c * scale;
      const diagonal = (p[k] = p[k]! * scale - ci * u[i]!);
      let si = diagonal * zi;
      k++;
      for (let j = i + 1; j < d; j++, k++) {
        const v = (p[k] = p[k]! * scale - ci * u[j]!);
        si += v * z[j]!;
        pz[j] = pz[j]! + v * zi;
      }
      pz[i] = pz[i]! + si;
    }

    let zPz = 0;
    for (let t = 0; t < d; t++) zPz += z[t]! * pz[t]!;
    const invDenominator = 1 / (this.beta + zPz);
    const gain = (y - yHat) * invDenominator;
    for (let t = 0; t < d; t++) w[t] = w[t]! + pz[t]! * gain;
    // P ← (P − ππᵀ/(β + zᵀπ))/β, deferred to the next pass (or to snapshot()); swap buffers instead of copying π.
    this.pz = u;
    this.pending = pz;
    this.pendingGain = invDenominator;
    this.pendingScale = 1 / this.beta;
    this.updates++;
  }

  /** The complete state as plain data. */
  snapshot(): OnlineRidgeState {
    return {
      nFeatures: this.nFeatures,
      lambda: this.lambda,
      forgettingFactor: this.beta,
      fitIntercept: this.fitIntercept,
      weights: Array.from(this.w),
      inverseCorrelation: toRows(this.unpack(), this.dimension, this.dimension),
      nUpdates: this.updates,
    };
  }

  /**
   * Replaces the state (including lambda and forgettingFactor) with a snapshot.
   * @throws StateError when a field is missing or malformed, or nFeatures / fitIntercept differ from this
   *   instance's (they fix the matrix shapes).
   */
  restore(state: OnlineRidgeState): void {
    const s = parseState('OnlineRidge', stateSchema(this.nFeatures, this.fitIntercept), state);
    const d = this.dimension;
    const packed = new Float64Array(this.p.length);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) packed[packedIndex(d, i, j)] = s.inverseCorrelation[i * d + j]!;
    this.lambda = s.lambda;
    this.beta = s.forgettingFactor;
    this.w.set(s.weights);
    this.p.set(packed);
    this.pending.fill(0);
    this.pendingGain = 0;
    this.pendingScale = 1;
    this.updates = s.nUpdates;
  }

  /** P as a full row-major d × d array, with the pending correction applied exactly as `update` would. */
  private unpack(): Float64Array {
    const d = this.dimension;
    const u = this.pending;
    const scale = this.pendingScale;
    const full = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      const ci = u[i]! * this.pendingGain * scale;
      for (let j = i; j < d; j++) {
        const v = this.p[packedIndex(d, i, j)]! * scale - ci * u[j]!;
        full[i * d + j] = v;
        full[j * d + i] = v;
      }
    }
    return full;
  }
}

/** True when the row-major d × d matrix is exactly symmetric with a positive diagonal, as every P that RLS produces. */
function isSymmetricWithPositiveDiagonal(p: readonly number[], d: number): boolean {
  for (let i = 0; i < d; i++) {
    if (!(p[i * d + i]! > 0)) return false;
    for (let j = i + 1; j < d; j++) if (p[i * d + j] !== p[j * d + i]) return false;
  }
  return true;
}

/** Position of P[i][j] (i ≤ j) in the row-by-row packed upper triangle of a d × d matrix. */
function packedIndex(d: number, i: number, j: number): number {
  return i * d - (i * (i - 1)) / 2 + (j - i);
}
