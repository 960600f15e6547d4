import { checkPeriodsPerYear } from './checks.js';
import { totalReturn } from './total-return.js';

/**
 * Compound annual growth rate: (E_last / E_first)^(periodsPerYear / (n − 1)) − 1 for n equity samples.
 * @param equity - equity at each bar close, quote currency, first > 0.
 * @param periodsPerYear - bars per year (8760 hourly, 2190 four-hourly, 365 daily for 24/7 markets).
 * @returns the annualised growth as a fraction; 0 for fewer than two samples; −1 when the curve ends at ≤ 0.
 * @throws ConfigError on a bad periodsPerYear; DataError on an empty or invalid curve.
 * @see CFA Institute, "Global Investment Performance Standards" (2020), annualised compound return.
 * @example
 * cagr([100, 110, 121], 2); // two periods = one year: (121/100)^(2/2) − 1 = 0.21
 */
export function cagr(equity: readonly number[], periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear);
  const growth = 1 + totalReturn(equity);
  if (equity.length < 2) return 0;
  if (growth <= 0) return -1;
  return Math.pow(growth, periodsPerYear / (equity.length - 1)) - 1;
}
