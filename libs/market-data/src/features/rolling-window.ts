/**
 * A fixed-capacity window over the most recent values of a stream (oldest dropped first).
 * `ago(0)` is the newest value, `ago(k)` the value k pushes earlier.
 */
export class RollingWindow<T> {
  readonly capacity: number;
  readonly #values: T[] = [];
  #start = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Number of values held (≤ capacity). */
  get length(): number {
    return this.#values.length - this.#start;
  }

  push(value: T): void {
    this.#values.push(value);
    // Compact occasionally instead of shifting on every push (amortised O(1)).
    if (this.length > this.capacity) this.#start++;
    if (this.#start > this.capacity) {
      this.#values.splice(0, this.#start);
      this.#start = 0;
    }
  }

  /** Value pushed `k` pushes before the newest; throws RangeError when not held. */
  ago(k: number): T {
    const index = this.#values.length - 1 - k;
    if (k < 0 || index < this.#start) throw new RangeError(`RollingWindow holds ${this.length} values; asked for ${k} ago`);
    return this.#values[index] as T;
  }

  /** The newest `n` values, oldest first. */
  last(n: number): T[] {
    if (n > this.length) throw new RangeError(`RollingWindow holds ${this.length} values; asked for the last ${n}`);
    return this.#values.slice(this.#values.length - n);
  }
}

/** Sample standard deviation (n − 1 denominator); 0 for fewer than two values. */
export function sampleStd(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let sum = 0;
  for (const v of values) sum += (v - mean) ** 2;
  return Math.sqrt(sum / (n - 1));
}

/** Pearson correlation of two equally long samples; 0 when either has no variance or n < 2. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  return sxy / Math.sqrt(sxx * syy);
}
