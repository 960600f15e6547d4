import { z } from 'zod';
import { parseState } from '@trading-ml/core';

/** Plain-data state of a {@link FeatureScaler}. */
export interface FeatureScalerState {
  readonly size: number;
  /** Vectors learned so far. */
  readonly count: number;
  /** Running mean per feature, [size]. */
  readonly mean: number[];
  /** Running sum of squared deviations per feature (Welford's M2, ≥ 0), [size]. */
  readonly m2: number[];
}

function stateSchema(size: number) {
  const vector = z.array(z.number()).length(size, `an array of ${size} finite numbers`);
  return z.object({
    size: z.literal(size, `${size} (this scaler's size)`),
    count: z.number().int().nonnegative(),
    mean: vector,
    m2: z.array(z.number().nonnegative()).length(size, `an array of ${size} numbers ≥ 0`),
  });
}

/**
 * Running standardisation of a feature vector (Welford's mean and variance over everything seen so far), so
 * the online forecasters see unit-scale inputs whatever the asset. `transform` first learns the vector (it is
 * known at this close) and then writes z = clip((x − mean)/sd, ±5) into `out`; 0 while sd is 0.
 * `snapshot()`/`restore()` copy the running moments as plain data.
 * @example
 * const scaler = new FeatureScaler(1);
 * const out = new Float64Array(1);
 * scaler.transform([1], out); scaler.transform([3], out); // mean 2, sd √2: z = (3 − 2)/√2 ≈ 0.707
 * @see B. P. Welford (1962), "Note on a method for calculating corrected sums of squares and products",
 *   Technometrics 4(3).
 */
export class FeatureScaler {
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private count = 0;

  /** @param size - number of features. */
  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  /**
   * Learns `x` then standardises it into `out` (both of length `size`).
   * @param x - raw features.
   * @param out - destination, overwritten.
   * @returns out.
   */
  transform(x: ArrayLike<number>, out: Float64Array): Float64Array {
    this.count++;
    for (let j = 0; j < this.size; j++) {
      const value = x[j]!;
      const delta = value - this.mean[j]!;
      this.mean[j]! += delta / this.count;
      this.m2[j]! += delta * (value - this.mean[j]!);
      const sd = this.count > 1 ? Math.sqrt(this.m2[j]! / (this.count - 1)) : 0;
      const z = sd > 0 ? (value - this.mean[j]!) / sd : 0;
      out[j] = z > 5 ? 5 : z < -5 ? -5 : z;
    }
    return out;
  }

  /** The complete state as plain data. */
  snapshot(): FeatureScalerState {
    return { size: this.size, count: this.count, mean: Array.from(this.mean), m2: Array.from(this.m2) };
  }

  /**
   * Replaces the state with a snapshot.
   * @param state - from {@link FeatureScaler.snapshot} (possibly through JSON); not modified.
   * @throws StateError naming the field when the snapshot is malformed or has another size.
   */
  restore(state: FeatureScalerState): void {
    const s = parseState('FeatureScaler', stateSchema(this.size), state);
    this.count = s.count;
    this.mean.set(s.mean);
    this.m2.set(s.m2);
  }
}
