/**
 * Number formatting shared by the terminal table and the HTML report, plus the human labels of the
 * conditions. Undefined values (null, NaN) print as an em dash; an infinite profit factor as ∞.
 */
import type { Condition } from '@trading-ml/popagent';

/** Human label of each ablation condition. */
export const CONDITION_LABELS: Readonly<Record<Condition, string>> = {
  A: 'A · price features',
  B: 'B · LLM reasoning',
  C: 'C · news sentiment',
  D: 'D · LLM + news',
};

const DASH = '—';

/** True for a finite number. */
function isFiniteNumber(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

/**
 * Formats a fraction as a signed percentage with one decimal.
 *
 * @param value - a fraction (0.123 = 12.3 %), or null.
 * @returns e.g. '+12.3 %', '−4.0 %', or '—'.
 * @throws never.
 * @see ISO 80000-1 (space before %)
 * @example
 * formatPercent(0.1234); // '+12.3 %'
 */
export function formatPercent(value: number | null): string {
  if (!isFiniteNumber(value)) return DASH;
  const text = `${Math.abs(value * 100).toFixed(1)} %`;
  return value < 0 ? `−${text}` : `+${text}`;
}

/**
 * Formats a positive fraction (e.g. a drawdown) as an unsigned percentage with one decimal.
 *
 * @param value - a fraction ≥ 0, or null.
 * @returns e.g. '23.4 %' or '—'.
 * @throws never.
 * @see formatPercent
 * @example
 * formatFraction(0.234); // '23.4 %'
 */
export function formatFraction(value: number | null): string {
  return isFiniteNumber(value) ? `${(value * 100).toFixed(1)} %` : DASH;
}

/**
 * Formats a ratio with two decimals; +∞ prints as '∞' (a profit factor without losing trades).
 *
 * @param value - any number, or null.
 * @returns e.g. '1.23', '−0.50', '∞' or '—'.
 * @throws never.
 * @see formatPercent
 * @example
 * formatRatio(1.234); // '1.23'
 */
export function formatRatio(value: number | null): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (!isFiniteNumber(value)) return DASH;
  const text = Math.abs(value).toFixed(2);
  return value < 0 ? `−${text}` : text;
}

/**
 * Formats a Sharpe ratio with its 95 % interval.
 *
 * @param sharpe - the annualised Sharpe ratio, or null.
 * @param interval - [low, high] of its 95 % bootstrap interval (entries may be null).
 * @returns e.g. '1.23 [0.40, 2.05]'.
 * @throws never.
 * @see Ledoit & Wolf (2008), "Robust performance hypothesis testing with the Sharpe ratio" (bootstrap CI)
 * @example
 * formatSharpe(1.234, [0.4, 2.05]); // '1.23 [0.40, 2.05]'
 */
export function formatSharpe(sharpe: number | null, interval: readonly [number | null, number | null]): string {
  return `${formatRatio(sharpe)} [${formatRatio(interval[0])}, ${formatRatio(interval[1])}]`;
}

/**
 * Formats a UTC instant as its date.
 *
 * @param time - UTC epoch ms.
 * @returns 'YYYY-MM-DD'.
 * @throws RangeError for an invalid time.
 * @see ISO 8601
 * @example
 * formatDate(Date.UTC(2024, 0, 2)); // '2024-01-02'
 */
export function formatDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
