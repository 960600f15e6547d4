import { checkFinite } from './checks.js';

/**
 * Win rate: the fraction of trades with a strictly positive PnL (break-even trades count as not won).
 * @param pnls - net PnL of each closed trade, quote currency.
 * @returns a fraction in [0, 1]; 0 when there are no trades.
 * @throws DataError on a non-finite PnL.
 * @see R. Pardo (2008), "The Evaluation and Optimization of Trading Strategies", 2nd ed., ch. 9 (percent profitable).
 * @example
 * winRate([30, -10, 20, 0]); // 2 / 4 = 0.5
 */
export function winRate(pnls: readonly number[]): number {
  checkFinite(pnls, 'pnls');
  if (pnls.length === 0) return 0;
  return pnls.filter((p) => p > 0).length / pnls.length;
}
