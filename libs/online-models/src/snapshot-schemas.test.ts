import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { count, fixed, matrix, probability, toRows, vector } from './snapshot-schemas.js';

describe('snapshot schema building blocks', () => {
  it('round-trips any finite row-major matrix through toRows and matrix()', () => {
    const shapedMatrix = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .chain(([rows, columns]) =>
        fc.record({
          rows: fc.constant(rows),
          columns: fc.constant(columns),
          flat: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: rows * columns, maxLength: rows * columns }),
        }),
      );
    fc.assert(
      fc.property(shapedMatrix, ({ rows, columns, flat }) => {
        const nested = toRows(flat, rows, columns);
        expect(nested).toHaveLength(rows);
        nested.forEach((row, i) => expect(row).toStrictEqual(flat.slice(i * columns, (i + 1) * columns)));
        expect(matrix(rows, vector(columns)).parse(nested)).toStrictEqual(flat);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects wrong lengths, non-finite numbers and values outside the ranges', () => {
    expect(vector(2).safeParse([1, 2]).success).toBe(true);
    for (const bad of [[1], [1, 2, 3], [1, Number.NaN], [1, Number.POSITIVE_INFINITY], [1, '2'], null]) {
      expect(vector(2).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(matrix(2, vector(2)).safeParse([[1, 2], [3]]).success).toBe(false);
    expect(matrix(2, vector(2)).safeParse([[1, 2]]).success).toBe(false);
    expect([0, 7, 2 ** 53 - 1].every((n) => count.safeParse(n).success)).toBe(true);
    expect([-1, 0.5, 2 ** 53].some((n) => count.safeParse(n).success)).toBe(false);
    expect([0, 0.3, 1].every((p) => probability.safeParse(p).success)).toBe(true);
    expect([-1e-12, 1 + 1e-12].some((p) => probability.safeParse(p).success)).toBe(false);
    expect(fixed(3).safeParse(3).success).toBe(true);
    expect(fixed(true).safeParse(false).error?.issues[0]?.message).toBe("true (fixed by this instance's constructor)");
  });
});
