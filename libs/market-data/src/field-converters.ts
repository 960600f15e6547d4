// Strict text → number converters for CSV fields. They run before zod so the per-row schema only checks numbers
// (a zod chain of regex + transform + refine on strings cost ~350 ms per 31k-row file; this costs a few ms).
// Internal: not exported from src/index.ts.

/** A decimal literal as written in a CSV: optional sign, digits with an optional point, optional exponent. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** ISO-8601 date-time with an explicit UTC offset ('Z' or ±hh:mm); seconds and milliseconds optional. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** 10^0 … 10^15, all exact doubles. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Converts a decimal field strictly: the whole text must be a decimal literal.
 *
 * Unlike `Number(text)`, rejects '' and whitespace-only text, surrounding spaces, '1.2abc', 'NaN', 'Infinity',
 * '0x10', '1_000'. An in-range literal gives the same double as `Number(text)`; a literal beyond ±1.8e308
 * (e.g. '1e999') gives ±Infinity, so callers can tell "not a number" (undefined) from "not finite".
 *
 * Fast path (every price and volume in the bundled files): at most 15 significant digits and no exponent, read as
 * an integer m < 10^15 and divided by 10^k; both are exact doubles, so the one rounding of the division gives the
 * correctly rounded value, as `Number` does. Anything else goes through the grammar and `Number`.
 *
 * @param text - The field as written in the file.
 * @returns The number, ±Infinity for an overflowing literal, or undefined when `text` is not a decimal literal.
 * @throws Never.
 * @see Clinger, W. D. (1990). How to read floating point numbers accurately. PLDI '90, pp. 92–101 (the exact
 *   m / 10^k fast path); ECMA-262 §7.1.4.1.1 StringToNumber (what `Number` accepts beyond this grammar).
 * @example
 * parseDecimal('37253.82'); // 37253.82
 * parseDecimal(' 1');       // undefined
 * parseDecimal('1e999');    // Infinity
 */
export function parseDecimal(text: string): number | undefined {
  const length = text.length;
  const first = text.charCodeAt(0);
  const negative = first === 45; // '-'
  let at = negative || first === 43 ? 1 : 0; // '+'
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1; // −1 until the decimal point
  for (; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (code === 46 && fractionDigits < 0) {
      fractionDigits = 0;
    } else {
      break;
    }
  }
  if (at === length && digits > 0 && digits <= 15) {
    const value = fractionDigits > 0 ? mantissa / (POWERS_OF_TEN[fractionDigits] as number) : mantissa;
    return negative ? -value : value;
  }
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** Days in `month` (1–12) of the proleptic Gregorian `year`. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The decimal digit at `at` (callers have matched the text against a digits-only pattern there). */
function digitAt(text: string, at: number): number {
  return text.charCodeAt(at) - 48;
}

/** True when the 'YYYY-MM-DD' prefix of `text` names a real calendar day (Date.parse rolls '02-30' into March). */
function isCalendarDay(text: string): boolean {
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The two-digit number at `at`, or −1 when either character is not a digit. */
function twoDigitsAt(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * Days from 1970-01-01 to the proleptic Gregorian date (month 1–12), exact for every year.
 * @see Hinnant, H. (2013). chrono-Compatible Low-Level Date Algorithms, "days_from_civil".
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** 'YYYY-MM-DDTHH:MM:SSZ' read digit by digit (the layout of every bundled file); undefined for anything else. */
function parseCanonicalUtc(text: string): number | undefined {
  if (text.length !== 20 || text.charCodeAt(19) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const century = twoDigitsAt(text, 0);
  const yearOfCentury = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  const second = twoDigitsAt(text, 17);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const year = century * 100 + yearOfCentury;
  if (day > daysInMonth(year, month)) return undefined;
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
}

/**
 * Converts an ISO-8601 timestamp with an explicit offset to UTC epoch milliseconds.
 *
 * The canonical 'YYYY-MM-DDTHH:MM:SSZ' is read digit by digit (a third of the cost of regex + `Date.parse`);
 * every other spelling, and every out-of-range value, goes through the pattern, a calendar-day check and `Date.parse`.
 *
 * @param text - The field as written, e.g. '2021-06-01T00:00:00Z' or '2021-06-01T02:00+02:00'.
 * @returns UTC ms; NaN when the text has the right shape but is not a real instant ('2024-02-30T00:00Z',
 *   '2024-01-01T25:00Z'); undefined when the text is not shaped like an ISO timestamp with offset.
 * @throws Never.
 * @see ISO 8601-1:2019 §5.4 (date and time of day); ECMA-262 §21.4.1.32 Date Time String Format.
 * @example
 * parseIsoTimestamp('2021-06-01T00:00:00Z'); // 1622505600000
 * parseIsoTimestamp('2021-06-01 00:00');     // undefined
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const canonical = parseCanonicalUtc(text);
  if (canonical !== undefined) return canonical;
  if (!ISO_TIMESTAMP.test(text)) return undefined;
  return isCalendarDay(text) ? Date.parse(text) : Number.NaN;
}
