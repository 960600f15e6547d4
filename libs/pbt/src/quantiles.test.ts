import { describe, expect, it } from 'vitest';
import { quantiles } from './quantiles.js';

const scored = (scores: number[]) => scores.map((score, memberId) => ({ memberId, score }));

describe('quantiles', () => {
  it('takes ceil(n · fraction) members at each end, worst first', () => {
    // 8 members, 0.25 → ceil(2) = 2. Ascending scores: m3 (−1), m0 (1), m5 (2), m1 (3), m6 (4), m2 (5), m7 (6), m4 (9).
    expect(quantiles(scored([1, 3, 5, -1, 9, 2, 4, 6]), 0.25, 'maximize')).toEqual({ lower: [3, 0], upper: [7, 4] });
    // 5 members, 0.25 → ceil(1.25) = 2.
    expect(quantiles(scored([5, 4, 3, 2, 1]), 0.25, 'maximize')).toEqual({ lower: [4, 3], upper: [1, 0] });
  });

  it('caps the quantile at floor(n / 2) so the two never overlap', () => {
    // 5 members, 0.5 → ceil(2.5) = 3, capped at floor(2.5) = 2; the middle member is in neither.
    const q = quantiles(scored([0, 1, 2, 3, 4]), 0.5, 'maximize');
    expect(q).toEqual({ lower: [0, 1], upper: [3, 4] });
  });

  it('reverses the ranking when minimizing', () => {
    expect(quantiles(scored([0.3, 0.1, 0.2, 0.4]), 0.25, 'minimize')).toEqual({ lower: [3], upper: [1] });
  });

  it('is empty for fewer than two members or a zero fraction, and ranks ties by member id', () => {
    expect(quantiles(scored([1]), 0.25, 'maximize')).toEqual({ lower: [], upper: [] });
    expect(quantiles(scored([1, 2, 3, 4]), 0, 'maximize')).toEqual({ lower: [], upper: [] });
    expect(quantiles(scored([7, 7, 7, 7]), 0.25, 'maximize')).toEqual({ lower: [0], upper: [3] });
  });

  it('does not reorder its input', () => {
    const input = scored([3, 1, 2]);
    const copy = structuredClone(input);
    quantiles(input, 0.5, 'maximize');
    expect(input).toEqual(copy);
  });
});
