import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError } from '@trading-ml/core';
import { mergeBars } from './merge-bars.js';
import { hourBar } from './testing/fixtures.js';

const H = 3_600_000;
const bars = (hours: number[]) => hours.map((h) => hourBar(h * H, 100 + h));

describe('mergeBars', () => {
  it('appends only bars strictly after the last existing openTime', () => {
    const { bars: merged, appended } = mergeBars(bars([0, 1, 2]), bars([1, 2, 3, 4]));
    expect(appended).toEqual(bars([3, 4]));
    expect(merged).toEqual(bars([0, 1, 2, 3, 4]));
  });

  it('keeps every existing bar, and does not insert into old gaps', () => {
    const existing = bars([0, 3, 4]);
    const { bars: merged, appended } = mergeBars(existing, bars([1, 2, 3, 4, 5]));
    expect(merged.slice(0, 3)).toEqual(existing);
    expect(appended).toEqual(bars([5]));
  });

  it('an overlapping bar that differs from stored history is a DataError, never a rewrite', () => {
    const incoming = [hourBar(2 * H, 102, { volume: 999 }), hourBar(3 * H, 103)];
    expect(() => mergeBars(bars([0, 1, 2]), incoming)).toThrow(DataError);
    expect(() => mergeBars(bars([0, 1, 2]), incoming)).toThrow(/volume: got 999, expected 1, the stored volume of the bar opening 1970-01-01T02:00:00\.000Z/);
  });

  it('works with no existing bars, and rejects unordered incoming bars', () => {
    expect(mergeBars([], bars([0, 1])).appended).toEqual(bars([0, 1]));
    expect(() => mergeBars([], bars([1, 0]))).toThrow(expect.objectContaining({ code: 'DATA_ORDER' }));
    expect(() => mergeBars([], bars([1, 1]))).toThrow(expect.objectContaining({ code: 'DATA_DUPLICATE' }));
  });

  it('property: merged = existing ++ (incoming after last existing), for consistent sources', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 })), fc.uniqueArray(fc.integer({ min: 0, max: 60 })), (a, b) => {
        const existing = bars([...a].sort((x, y) => x - y));
        const incoming = bars([...b].sort((x, y) => x - y));
        const last = existing.at(-1)?.openTime ?? -Infinity;
        const { bars: merged, appended } = mergeBars(existing, incoming);
        expect(appended).toEqual(incoming.filter((bar) => bar.openTime > last));
        expect(merged).toEqual([...existing, ...appended]);
      }),
    );
  });
});
