import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { maxDrawdown } from './max-drawdown.js';

/** Brute force over every (peak, later trough) pair. */
function bruteForce(equity: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    for (let j = i + 1; j < equity.length; j++) worst = Math.max(worst, ((equity[i] as number) - (equity[j] as number)) / (equity[i] as number));
  }
  return worst;
}

describe('maxDrawdown', () => {
  it('finds the largest peak-to-trough loss of known curves', () => {
    expect(maxDrawdown([100, 120, 90, 130, 117])).toBeCloseTo(0.25, 15); // (120 − 90)/120
    expect(maxDrawdown([100, 50, 200, 20])).toBeCloseTo(0.9, 15); // (200 − 20)/200
    expect(maxDrawdown([100, 90, 95, 80, 120])).toBeCloseTo(0.2, 15); // (100 − 80)/100
  });

  it('is 0 for a rising curve, one point, or none', () => {
    expect(maxDrawdown([1, 2, 3])).toBe(0);
    expect(maxDrawdown([5])).toBe(0);
    expect(maxDrawdown([])).toBe(0);
  });

  it('equals the brute-force maximum over all pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { maxLength: 40 }), (equity) => {
        expect(maxDrawdown(equity)).toBeCloseTo(bruteForce(equity), 12);
      }),
    );
  });
});
