import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError } from '@trading-ml/core';
import { detectGaps } from './gaps.js';
import { hourBar } from './testing/fixtures.js';

const H = 3_600_000;

describe('detectGaps', () => {
  it('hand-worked: bars at hours 0,1,4,5,7 → gaps [2..3] (2 bars) and [6] (1 bar)', () => {
    const bars = [0, 1, 4, 5, 7].map((h) => hourBar(h * H, 100));
    expect(detectGaps(bars, '1h')).toEqual([
      { from: 2 * H, to: 3 * H, missingBars: 2 },
      { from: 6 * H, to: 6 * H, missingBars: 1 },
    ]);
  });

  it('no gaps in a contiguous or short series', () => {
    expect(detectGaps([], '1h')).toEqual([]);
    expect(detectGaps([hourBar(0, 1)], '1h')).toEqual([]);
    expect(detectGaps([0, 1, 2].map((h) => hourBar(h * H, 1)), '1h')).toEqual([]);
  });

  it('rejects duplicates, disorder and off-grid spacing', () => {
    expect(() => detectGaps([hourBar(H, 1), hourBar(H, 1)], '1h')).toThrow(DataError);
    expect(() => detectGaps([hourBar(2 * H, 1), hourBar(H, 1)], '1h')).toThrow(/openTime/);
    expect(() => detectGaps([hourBar(0, 1), hourBar(1.5 * H, 1)], '1h')).toThrow(/whole number/);
  });

  it('property: present + missing bars = span of the grid; every missing slot is absent (brute force)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 80 }), (hours) => {
        const sorted = [...hours].sort((a, b) => a - b);
        const gaps = detectGaps(sorted.map((h) => hourBar(h * H, 1)), '1h');
        const present = new Set(sorted);
        const missing: number[] = [];
        for (let h = sorted[0] as number; h <= (sorted.at(-1) as number); h++) if (!present.has(h)) missing.push(h);
        const fromGaps = gaps.flatMap((g) => Array.from({ length: g.missingBars }, (_, i) => g.from / H + i));
        expect(fromGaps).toEqual(missing);
        for (const g of gaps) expect((g.to - g.from) / H + 1).toBe(g.missingBars);
      }),
    );
  });
});
