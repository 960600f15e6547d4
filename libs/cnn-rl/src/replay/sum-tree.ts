import { ConfigError } from '@trading-ml/core';

/**
 * A binary segment tree over `capacity` non-negative priorities giving the total and the minimum in O(1) and
 * prefix-sum search (sampling proportional to priority) and updates in O(log capacity).
 *
 * Leaves live at [size, 2·size) of two arrays (size = capacity rounded up to a power of two); node i holds the sum
 * (and the minimum) of its children 2i and 2i + 1. Unused leaves have sum 0 and minimum +∞, so `min` is the
 * minimum over the leaves set so far (and not cleared).
 *
 * @see T. Schaul et al. (2016), "Prioritized experience replay", ICLR, Appendix B.2.1 (sum tree);
 *   OpenAI baselines `common/segment_tree.py` (SumSegmentTree, MinSegmentTree).
 * @example
 * const tree = new SumTree(4);
 * tree.set(0, 1); tree.set(1, 3);
 * tree.total;     // 4
 * tree.find(2.5); // 1 (the prefix sums are [0, 1) → leaf 0, [1, 4) → leaf 1)
 */
export class SumTree {
  /** Number of leaves. */
  readonly capacity: number;
  private readonly size: number;
  private readonly sums: Float64Array;
  private readonly mins: Float64Array;

  /**
   * @param capacity - number of leaves, an integer in [1, 2²⁶].
   * @throws ConfigError when capacity is not such an integer.
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 26) {
      throw new ConfigError({ parameter: 'SumTree capacity', value: capacity, expected: 'an integer in [1, 2^26]' });
    }
    this.capacity = capacity;
    let size = 1;
    while (size < capacity) size *= 2;
    this.size = size;
    this.sums = new Float64Array(2 * size);
    this.mins = new Float64Array(2 * size).fill(Number.POSITIVE_INFINITY);
  }

  /** Σ priorities. */
  get total(): number {
    return this.sums[1]!;
  }

  /** Smallest priority set so far (+∞ before any). */
  get min(): number {
    return this.mins[1]!;
  }

  /** The priority of leaf `index` (0 when never set). */
  get(index: number): number {
    this.check(index);
    return this.sums[this.size + index]!;
  }

  /**
   * Sets leaf `index` to `priority` and updates its ancestors.
   * @throws ConfigError when the index is out of range or the priority is negative or not finite.
   */
  set(index: number, priority: number): void {
    this.check(index);
    if (!(priority >= 0) || !Number.isFinite(priority)) throw new ConfigError({ parameter: 'SumTree priority', value: priority, expected: 'a finite number ≥ 0' });
    this.write(index, priority, priority);
  }

  /** Empties leaf `index` (sum 0, and it no longer counts for `min`). @throws ConfigError on a bad index. */
  clear(index: number): void {
    this.check(index);
    this.write(index, 0, Number.POSITIVE_INFINITY);
  }

  private write(index: number, sum: number, min: number): void {
    let node = this.size + index;
    this.sums[node] = sum;
    this.mins[node] = min;
    for (node >>= 1; node >= 1; node >>= 1) {
      this.sums[node] = this.sums[2 * node]! + this.sums[2 * node + 1]!;
      this.mins[node] = Math.min(this.mins[2 * node]!, this.mins[2 * node + 1]!);
    }
  }

  /**
   * The leaf i whose prefix-sum interval [Σ_{j<i} p_j, Σ_{j≤i} p_j) contains `mass`; a uniform mass in [0, total)
   * picks leaf i with probability p_i / total. Never returns a zero-priority leaf while total > 0 (masses at or past
   * the total, from rounding, land on the last positive leaf).
   *
   * @param mass - in [0, total).
   * @returns a leaf index in [0, capacity).
   */
  find(mass: number): number {
    let node = 1;
    let remaining = mass;
    while (node < this.size) {
      const left = 2 * node;
      const leftSum = this.sums[left]!;
      if (remaining < leftSum || this.sums[left + 1]! === 0) {
        node = left;
      } else {
        remaining -= leftSum;
        node = left + 1;
      }
    }
    return node - this.size;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.capacity) {
      throw new ConfigError({ parameter: 'SumTree index', value: index, expected: `an integer in [0, ${this.capacity - 1}]` });
    }
  }
}
