/**
 * The PBT fitness of one walk-forward window: a number to maximise built from the window's Sharpe ratio, maximum
 * drawdown and profit factor, computed per symbol and averaged over the symbols.
 *
 * - `sharpe`: the annualised Sharpe ratio S of the window's bar-close returns.
 * - `sharpe-dd-cap`: S while the maximum drawdown D stays within the cap c, else S − 10·(D − c): every
 *   percentage point beyond the cap costs 0.1 of Sharpe (a finite penalty rather than −∞, so that a population whose
 *   members all breach the cap is still ranked).
 * - `composite`: S − 2·D + 0.5·clip(ln PF, −1, 1): Sharpe, minus twice the drawdown, plus up to ±0.5 for the
 *   profit factor PF of the window's trades (PF = +∞, no losing trade, gives +0.5; a window without any trade gives 0).
 */
import type { PerformanceSummary } from '@trading-ml/backtest';

/** The fitness functions `--fitness` accepts. */
export const FITNESS_KINDS = ['sharpe', 'sharpe-dd-cap', 'composite'] as const;

/** One of FITNESS_KINDS. */
export type FitnessKind = (typeof FITNESS_KINDS)[number];

/** Sharpe units lost per unit of drawdown beyond the cap (`sharpe-dd-cap`). */
export const DRAWDOWN_PENALTY = 10;
/** Weight of the maximum drawdown in `composite`. */
export const COMPOSITE_DRAWDOWN_WEIGHT = 2;
/** Weight of the clipped log profit factor in `composite`. */
export const COMPOSITE_PROFIT_FACTOR_WEIGHT = 0.5;

/** The statistics a fitness reads. */
export type FitnessInputs = Pick<PerformanceSummary, 'sharpeRatio' | 'maxDrawdown' | 'profitFactor' | 'trades'>;

/** x limited to [lo, hi]; ±∞ map to the bounds. */
function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * The fitness of one symbol's window.
 *
 * @param kind - which fitness (see the module comment).
 * @param summary - the window's statistics: annualised Sharpe ratio, maximum drawdown (positive fraction), profit
 *   factor (gross profit / gross loss of the trades, +∞ without a losing trade) and number of trades.
 * @param drawdownCap - the cap c of `sharpe-dd-cap`, a fraction (0.25 = 25 %).
 * @returns a finite number, higher is better (a non-finite Sharpe counts as 0).
 * @throws never.
 * @see W. F. Sharpe (1994), "The Sharpe ratio"; R. Pardo (2008), ch. 9 (profit factor); Magdon-Ismail & Atiya (2004) (drawdown)
 * @example
 * windowFitness('sharpe-dd-cap', { sharpeRatio: 1.5, maxDrawdown: 0.3, profitFactor: 1.2, trades: 4 }, 0.25); // 1.5 − 10·0.05 = 1
 */
export function windowFitness(kind: FitnessKind, summary: FitnessInputs, drawdownCap: number): number {
  const sharpe = Number.isFinite(summary.sharpeRatio) ? summary.sharpeRatio : 0;
  const drawdown = Number.isFinite(summary.maxDrawdown) ? summary.maxDrawdown : 0;
  switch (kind) {
    case 'sharpe':
      return sharpe;
    case 'sharpe-dd-cap':
      return drawdown > drawdownCap ? sharpe - DRAWDOWN_PENALTY * (drawdown - drawdownCap) : sharpe;
    case 'composite': {
      // A window without trades has PF 0 by convention (neither profit nor loss): no credit, no penalty.
      const logPf = summary.trades === 0 || Number.isNaN(summary.profitFactor) ? 0 : clip(Math.log(summary.profitFactor), -1, 1);
      return sharpe - COMPOSITE_DRAWDOWN_WEIGHT * drawdown + COMPOSITE_PROFIT_FACTOR_WEIGHT * logPf;
    }
  }
}

/**
 * The fitness of a window over several symbols: the mean of the per-symbol fitnesses.
 *
 * @param kind - which fitness.
 * @param summaries - one summary per symbol (at least one).
 * @param drawdownCap - see windowFitness.
 * @returns the arithmetic mean.
 * @throws never (NaN for an empty list).
 * @see windowFitness
 * @example
 * meanFitness('sharpe', [{ sharpeRatio: 1, … }, { sharpeRatio: 2, … }], 0.25); // 1.5
 */
export function meanFitness(kind: FitnessKind, summaries: readonly FitnessInputs[], drawdownCap: number): number {
  return summaries.reduce((sum, summary) => sum + windowFitness(kind, summary, drawdownCap), 0) / summaries.length;
}
