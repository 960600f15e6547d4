import { mean } from 'simple-statistics';
import { ConfigError } from '@trading-ml/core';
import { checkFinite, checkPeriodsPerYear } from './checks.js';

/** Options of {@link sortinoRatio}. */
export interface SortinoRatioOptions {
  /** Return periods per year. */
  readonly periodsPerYear: number;
  /** Minimum acceptable return per period. Default 0. */
  readonly target?: number;
}

/**
 * Annualised Sortino ratio: (mean(r) − target) / DD · √periodsPerYear, where the downside deviation
 * DD = √( (1/n) Σ_all t min(0, r_t − target)² ) averages over ALL n periods, not only the losing ones.
 *
 * When DD is 0 (no period below target) the ratio is +Infinity if the mean beats the target and 0 otherwise
 * (the same convention as {@link profitFactor}). Fewer than one return gives 0.
 *
 * @param returns - per-period simple returns, fractions.
 * @param options - periodsPerYear and target (per period).
 * @returns the annualised ratio (dimensionless).
 * @throws ConfigError on a bad periodsPerYear or target; DataError on a non-finite return.
 * @see F. A. Sortino, L. N. Price (1994), "Performance measurement in a downside risk framework", Journal of
 *   Investing 3(3); T. Rollinger, S. Hoffman (2013), "Sortino: a 'sharper' ratio" (Red Rock Capital).
 * @example
 * sortinoRatio([0.02, -0.01], { periodsPerYear: 1 }); // mean 0.005, DD = √(0.0001/2) = 0.0070711…, ratio 0.70711…
 */
export function sortinoRatio(returns: readonly number[], options: SortinoRatioOptions): number {
  const { periodsPerYear, target = 0 } = options;
  checkPeriodsPerYear(periodsPerYear);
  if (!Number.isFinite(target)) throw new ConfigError({ parameter: 'target', value: target, expected: 'a finite return per period' });
  checkFinite(returns, 'returns');
  if (returns.length === 0) return 0;
  const excessMean = mean(returns as number[]) - target;
  const downside = mean(returns.map((r) => Math.min(0, r - target) ** 2));
  if (downside === 0) return excessMean > 0 ? Infinity : 0;
  return (excessMean / Math.sqrt(downside)) * Math.sqrt(periodsPerYear);
}
