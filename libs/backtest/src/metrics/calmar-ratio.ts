import { cagr } from './cagr.js';
import { maxDrawdown } from './max-drawdown.js';

/**
 * Calmar ratio: CAGR / maximum drawdown over the same curve.
 *
 * With no drawdown the ratio is +Infinity when CAGR > 0 and 0 otherwise (as for {@link profitFactor}).
 *
 * @param equity - equity at each bar close, quote currency, first > 0.
 * @param periodsPerYear - bars per year, for the CAGR.
 * @returns the ratio (dimensionless).
 * @throws ConfigError on a bad periodsPerYear; DataError on an empty or invalid curve.
 * @see T. W. Young (1991), "Calmar ratio: a smoother tool", Futures 20(1).
 * @example
 * calmarRatio([100, 80, 121], 1); // CAGR = (1.21)^(1/2) − 1 = 0.1, drawdown 0.2, ratio 0.5
 */
export function calmarRatio(equity: readonly number[], periodsPerYear: number): number {
  const growth = cagr(equity, periodsPerYear);
  const drawdown = maxDrawdown(equity);
  if (drawdown === 0) return growth > 0 ? Infinity : 0;
  return growth / drawdown;
}
