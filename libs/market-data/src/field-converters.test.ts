import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDecimal, parseIsoTimestamp } from './field-converters.js';

/** A decimal literal from the grammar sign? (digits '.'? digits? | '.' digits) exponent?, built independently of the code. */
const decimalLiteral = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    integer: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 22 }),
    point: fc.boolean(),
    fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 22 }),
    exponent: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 400 })), { nil: undefined }),
  })
  .filter(({ integer, fraction, point }) => integer.length > 0 || (point && fraction.length > 0))
  .map(({ sign, integer, point, fraction, exponent }) => {
    const body = point ? `${integer}.${fraction}` : integer + fraction;
    return sign + body + (exponent === undefined ? '' : `${exponent[0]}${exponent[1]}${exponent[2]}`);
  });

describe('parseDecimal', () => {
  it.each([
    ['37253.82', 37253.82],
    ['5234.072735', 5234.072735],
    ['0', 0],
    ['-0', -0],
    ['+7', 7],
    ['5.', 5],
    ['.5', 0.5],
    ['-0.001', -0.001],
    ['1e3', 1000],
    ['2.5E-3', 0.0025],
    ['000123.4500', 123.45],
    ['9007199254740993', 9007199254740992], // 2^53 + 1 rounds to even: 2^53 (IEEE 754 round-half-even)
    ['0.1000000000000000055511151231257827', 0.1],
  ])('%s → %d (same double as written)', (text, expected) => {
    expect(Object.is(parseDecimal(text), expected)).toBe(true);
  });

  it.each(['', ' ', '\t', '  1', '1 ', ' 1 ', '1.2abc', 'abc', 'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '0o7', '1_000', '.', '+', '-', '1e', 'e5', '1.2.3', '--1', '+-1', '1,5', '١٢'])(
    'rejects %j (Number() would accept some of these)',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );

  it('an overflowing literal is ±Infinity, so the caller can say "finite" rather than "not a number"', () => {
    expect(parseDecimal('1e999')).toBe(Infinity);
    expect(parseDecimal('-1e999')).toBe(-Infinity);
  });

  it('property: every decimal literal converts to exactly Number(text) (the correctly rounded double, ECMA-262 §7.1.4.1.1)', () => {
    fc.assert(
      fc.property(decimalLiteral, (text) => {
        expect(Object.is(parseDecimal(text), Number(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: short prices as written in the files take the fast path and equal Number(text)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), fc.integer({ min: 0, max: 15 }), (mantissa, shift) => {
        const digits = String(mantissa).padStart(shift + 1, '0');
        const text = shift === 0 ? digits : `${digits.slice(0, -shift)}.${digits.slice(-shift)}`;
        expect(Object.is(parseDecimal(text), Number(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: any accepted text means what Number() says and has no spaces, letters other than e/E, or other junk', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.eE+- x_Nafinty\t'), maxLength: 12 }), (text) => {
        const value = parseDecimal(text);
        if (value === undefined) return;
        expect(Object.is(value, Number(text))).toBe(true);
        expect(text).toMatch(/^[0-9.eE+-]+$/);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseIsoTimestamp', () => {
  it.each([
    ['2021-06-01T00:00:00Z', Date.UTC(2021, 5, 1)],
    ['2024-02-29T23:59:59Z', Date.UTC(2024, 1, 29, 23, 59, 59)],
    ['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12)], // 2000 is a leap year (divisible by 400)
    ['1969-12-31T23:00:00Z', -3_600_000],
    ['2021-06-01T00:00Z', Date.UTC(2021, 5, 1)],
    ['2021-06-01T00:00:00.250Z', Date.UTC(2021, 5, 1) + 250],
    ['2021-06-01T02:00:00+02:00', Date.UTC(2021, 5, 1)],
    ['2021-05-31T19:00-05:00', Date.UTC(2021, 5, 1)],
  ])('%s → %i ms', (text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(expected);
  });

  it.each(['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-00-10T00:00:00Z', '2024-01-00T00:00:00Z', '2024-01-01T25:00:00Z', '2024-01-01T23:60:00Z', '2024-02-30T00:00+01:00'])(
    '%s is shaped right but not a real instant → NaN',
    (text) => {
      expect(parseIsoTimestamp(text)).toBeNaN();
    },
  );

  it.each(['', '2021-06-01', '2021-06-01 00:00:00Z', '2021-06-01T00:00:00', ' 2021-06-01T00:00:00Z', '2021-06-01T00:00:00Z ', '2021-6-1T00:00:00Z', '2021-06-01T00:00:00.1234Z', '2021-06-01T00:00:00z', '1622505600000'])(
    '%j is not an ISO timestamp with offset → undefined',
    (text) => {
      expect(parseIsoTimestamp(text)).toBeUndefined();
    },
  );

  it('property: canonical YYYY-MM-DDTHH:MM:SSZ for any instant in years 0000–9999 equals the Date object it was printed from', () => {
    const first = Date.parse('0000-01-01T00:00:00Z') / 1000;
    const last = Date.parse('9999-12-31T23:59:59Z') / 1000;
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (seconds) => {
        const date = new Date(seconds * 1000);
        const text = `${date.toISOString().slice(0, 19)}Z`;
        expect(parseIsoTimestamp(text)).toBe(seconds * 1000);
        expect(parseIsoTimestamp(text)).toBe(Date.parse(text));
      }),
      { numRuns: 5000 },
    );
  });
});
