import { mean, sampleStandardDeviation } from 'simple-statistics';
import { ConfigError } from '@trading-ml/core';
import { checkFinite, checkPeriodsPerYear } from './checks.js';

/** Options of {@link sharpeRatio}. */
export interface SharpeRatioOptions {
  /** Return periods per year (8760 hourly, 2190 four-hourly, 365 daily for 24/7 markets). */
  readonly periodsPerYear: number;
  /** Risk-free return per period, subtracted from every return. Default 0. */
  readonly riskFreeRatePerPeriod?: number;
}

/**
 * Annualised Sharpe ratio: mean(r − r_f) / sd(r − r_f) · √periodsPerYear, sample standard deviation (ddof 1).
 *
 * Returns 0 when the ratio is undefined: fewer than two returns, or all excess returns equal (sd 0). A constant
 * return has no measurable risk, and 0 keeps summaries finite instead of reporting ±Infinity.
 *
 * @param returns - per-period simple returns, fractions.
 * @param options - periodsPerYear and riskFreeRatePerPeriod.
 * @returns the annualised ratio (dimensionless).
 * @throws ConfigError on a bad periodsPerYear or risk-free rate; DataError on a non-finite return.
 * @see W. F. Sharpe (1994), "The Sharpe ratio", Journal of Portfolio Management 21(1), eq. 1–3;
 *   NautilusTrader `crates/analysis/src/statistics/sharpe_ratio.rs`.
 * @example
 * sharpeRatio([0.01, 0.03], { periodsPerYear: 4 }); // mean 0.02, sd 0.0141421…, ×√4: 2.8284…
 */
export function sharpeRatio(returns: readonly number[], options: SharpeRatioOptions): number {
  const { periodsPerYear, riskFreeRatePerPeriod = 0 } = options;
  checkPeriodsPerYear(periodsPerYear);
  if (!Number.isFinite(riskFreeRatePerPeriod)) {
    throw new ConfigError({ parameter: 'riskFreeRatePerPeriod', value: riskFreeRatePerPeriod, expected: 'a finite return per period' });
  }
  checkFinite(returns, 'returns');
  if (returns.length < 2) return 0;
  const excess = riskFreeRatePerPeriod === 0 ? (returns as number[]) : returns.map((r) => r - riskFreeRatePerPeriod);
  const first = excess[0];
  if (excess.every((r) => r === first)) return 0;
  const sd = sampleStandardDeviation(excess);
  if (sd === 0) return 0;
  return (mean(excess) / sd) * Math.sqrt(periodsPerYear);
}
