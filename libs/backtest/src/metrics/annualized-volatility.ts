import { sampleStandardDeviation } from 'simple-statistics';
import { checkFinite, checkPeriodsPerYear } from './checks.js';

/**
 * Annualised volatility: sample standard deviation (ddof 1) of per-period returns times √periodsPerYear.
 * @param returns - per-period simple returns, fractions.
 * @param periodsPerYear - return periods per year (8760 for hourly 24/7 bars).
 * @returns annualised standard deviation as a fraction; 0 for fewer than two returns (no dispersion measurable).
 * @throws ConfigError on a bad periodsPerYear; DataError on a non-finite return.
 * @see A. W. Lo (2002), "The statistics of Sharpe ratios", Financial Analysts Journal 58(4) (√q scaling of IID returns).
 * @example
 * annualizedVolatility([0.01, -0.01], 4); // sample sd = √(2·0.0001/1) = 0.0141421…, ×√4 = 0.0282843…
 */
export function annualizedVolatility(returns: readonly number[], periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear);
  checkFinite(returns, 'returns');
  if (returns.length < 2) return 0;
  return sampleStandardDeviation(returns as number[]) * Math.sqrt(periodsPerYear);
}
