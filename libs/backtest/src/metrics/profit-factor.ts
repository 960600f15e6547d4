import { checkFinite } from './checks.js';

/**
 * Profit factor: gross profit / gross loss = Σ max(p, 0) / Σ max(−p, 0) over trade PnLs.
 *
 * Conventions: +Infinity when there is profit and no loss; 0 when there is neither (no trades, or only
 * break-even trades); 0 when there are losses and no profit.
 *
 * @param pnls - net PnL of each closed trade, quote currency (e.g. `roundTrips(fills).map((t) => t.pnl)`).
 * @returns the ratio (dimensionless, ≥ 0).
 * @throws DataError on a non-finite PnL.
 * @see R. Pardo (2008), "The Evaluation and Optimization of Trading Strategies", 2nd ed., ch. 9 (profit factor).
 * @example
 * profitFactor([30, -10, 20, -20]); // 50 / 30 = 1.6667
 */
export function profitFactor(pnls: readonly number[]): number {
  checkFinite(pnls, 'pnls');
  let profit = 0;
  let loss = 0;
  for (const p of pnls) {
    if (p > 0) profit += p;
    else loss -= p;
  }
  if (loss === 0) return profit > 0 ? Infinity : 0;
  return profit / loss;
}
