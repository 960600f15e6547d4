import { mean } from 'simple-statistics';
import { DataError } from '@trading-ml/core';
import type { EquityCurve, Fill } from '../types.js';
import { checkFinite, checkPeriodsPerYear } from './checks.js';

/**
 * Annualised turnover: traded notional / mean equity, scaled from the curve's n periods to a year:
 * (Σ |quantity·price| / mean(E)) · periodsPerYear / n.
 *
 * A buy of the whole book and a sale of it a year later is a turnover of about 2 (both legs count).
 *
 * @param fills - fills over the period of the curve.
 * @param equityCurve - equity at each bar close, quote currency (n samples, one per period).
 * @param periodsPerYear - bars per year.
 * @returns traded notional per year as a multiple of mean equity; 0 for an empty curve.
 * @throws ConfigError on a bad periodsPerYear; DataError when the equity is not finite or its mean is ≤ 0.
 * @see A. W. Lo, J. Wang (2000), "Trading volume: definitions, data analysis, and implications of
 *   portfolio theory", Review of Financial Studies 13(2); SEC Form N-1A Item 13 (portfolio turnover).
 * @example
 * // fills of 10 000 and 10 500 notional, mean equity 10 250 over 4 daily bars, 365 bars a year:
 * // (20 500 / 10 250) · 365 / 4 = 182.5
 */
export function turnover(fills: readonly Fill[], equityCurve: EquityCurve, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear);
  const equity = equityCurve.equity;
  checkFinite(equity, 'equity');
  if (equity.length === 0) return 0;
  const average = mean(equity as number[]);
  if (!(average > 0)) throw new DataError({ location: { column: 'mean equity' }, value: average, expected: 'mean equity > 0' });
  let notional = 0;
  for (const fill of fills) notional += Math.abs(fill.quantity * fill.price);
  return ((notional / average) * periodsPerYear) / equity.length;
}
