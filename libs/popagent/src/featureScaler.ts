/**
 * Running standardisation of a feature vector (Welford's mean and variance over everything seen so far), so
 * the online forecasters see unit-scale inputs whatever the asset. `transform` first learns the vector (it is
 * known at this close) and then writes z = clip((x − mean)/sd, ±5) into `out`; 0 while sd is 0.
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
}
