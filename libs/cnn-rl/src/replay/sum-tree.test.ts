import fc from 'fast-check';
import { ConfigError, Rng } from '@trading-ml/core';
import { describe, expect, it } from 'vitest';
import { SumTree } from './sum-tree.js';

describe('SumTree', () => {
  it('total equals the sum and min the minimum of the priorities after any sequence of sets (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 37 }).chain((capacity) =>
          fc.tuple(fc.constant(capacity), fc.array(fc.tuple(fc.integer({ min: 0, max: capacity - 1 }), fc.double({ min: 0, max: 1e3, noNaN: true })), { maxLength: 80 })),
        ),
        ([capacity, updates]) => {
          const tree = new SumTree(capacity);
          const reference = new Map<number, number>();
          for (const [index, priority] of updates) {
            tree.set(index, priority);
            reference.set(index, priority);
          }
          const values = [...reference.values()];
          const sum = values.reduce((s, p) => s + p, 0);
          expect(tree.total).toBeCloseTo(sum, 9);
          expect(tree.min).toBe(values.length === 0 ? Infinity : Math.min(...values));
          for (const [index, priority] of reference) expect(tree.get(index)).toBe(priority);
        },
      ),
    );
  });

  it('find maps each prefix-sum interval to its leaf (hand-built tree [1, 0, 3, 2])', () => {
    const tree = new SumTree(4);
    [1, 0, 3, 2].forEach((p, i) => tree.set(i, p));
    // intervals: leaf 0 [0, 1), leaf 1 empty, leaf 2 [1, 4), leaf 3 [4, 6)
    expect([0, 0.999, 1, 3.999, 4, 5.999].map((m) => tree.find(m))).toEqual([0, 0, 2, 2, 3, 3]);
    // a mass at (or, from rounding, past) the total lands on the last positive leaf, never an empty one
    expect(tree.find(6)).toBe(3);
    tree.set(3, 0);
    expect(tree.find(4)).toBe(2);
  });

  it('samples leaves with frequency proportional to priority (chi-square, 200 000 seeded draws)', () => {
    const priorities = [5, 1, 0, 2, 8, 0.5, 3.5];
    const tree = new SumTree(priorities.length);
    priorities.forEach((p, i) => tree.set(i, p));
    const rng = Rng.fromSeed(42);
    const draws = 200_000;
    const counts = new Array<number>(priorities.length).fill(0);
    for (let k = 0; k < draws; k++) counts[tree.find(rng.float() * tree.total)]!++;
    expect(counts[2]).toBe(0); // zero priority: never sampled
    let chiSquare = 0;
    priorities.forEach((p, i) => {
      if (p === 0) return;
      const expected = (draws * p) / tree.total;
      chiSquare += (counts[i]! - expected) ** 2 / expected;
    });
    // 6 categories → 5 degrees of freedom; the 99.9% quantile of χ²(5) is 20.5
    expect(chiSquare).toBeLessThan(20.5);
  });

  it('updates and clears change the sampled distribution and the minimum', () => {
    const tree = new SumTree(3);
    tree.set(0, 1);
    tree.set(1, 1);
    tree.set(2, 1);
    tree.set(1, 7);
    expect(tree.total).toBe(9);
    expect(tree.find(1.5)).toBe(1);
    tree.clear(0);
    expect(tree.total).toBe(8);
    expect(tree.min).toBe(1);
    expect(tree.find(0)).toBe(1);
  });

  it('rejects bad capacities, indices and priorities with ConfigError', () => {
    expect(() => new SumTree(0)).toThrow(ConfigError);
    const tree = new SumTree(2);
    expect(() => tree.set(2, 1)).toThrow(/SumTree index/);
    expect(() => tree.set(0, -1)).toThrow(/SumTree priority/);
    expect(() => tree.set(0, Number.NaN)).toThrow(ConfigError);
  });
});
