import { checkFinite } from './checks.js';

/**
 * Largest peak-to-trough loss of an equity curve: max_t (peak_t − E_t) / peak_t with peak_t = max_{s ≤ t} E_s.
 * @param equity - equity at each bar close, quote currency, positive.
 * @returns a positive fraction (0.2 = a 20 % drawdown); 0 for a curve that never falls or has < 2 points.
 * @throws DataError on a non-finite value.
 * @see M. Magdon-Ismail, A. F. Atiya (2004), "Maximum drawdown", Risk 17(10).
 * @example
 * maxDrawdown([100, 120, 90, 130, 117]); // (120 − 90)/120 = 0.25
 */
export function maxDrawdown(equity: readonly number[]): number {
  checkFinite(equity, 'equity');
  let peak = -Infinity;
  let worst = 0;
  for (const value of equity) {
    if (value > peak) peak = value;
    else if (peak > 0) worst = Math.max(worst, (peak - value) / peak);
  }
  return worst;
}
