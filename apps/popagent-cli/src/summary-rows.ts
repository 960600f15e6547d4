/**
 * The rows of the results table, shared by the terminal output and the HTML report: per symbol one row for
 * the PopAgent population and one for buy-and-hold of the same bars.
 */
import type { Condition } from '@trading-ml/popagent';
import { formatFraction, formatPercent, formatRatio, formatSharpe } from './format.js';

/** The metrics the table shows; a PerformanceSummary or its stored (null-for-undefined) form both fit. */
export interface TableMetrics {
  readonly totalReturn: number | null;
  readonly sharpeRatio: number | null;
  readonly sharpeInterval: readonly [number | null, number | null];
  readonly sortinoRatio: number | null;
  readonly maxDrawdown: number | null;
  readonly profitFactor: number | null;
  readonly trades: number;
  readonly fills: number;
}

/** The part of a run the table needs. */
export interface TableRun {
  readonly condition: Condition;
  readonly symbol: string;
  readonly metrics: TableMetrics;
  readonly buyAndHold: TableMetrics;
}

/** Column headers, in order. */
export const SUMMARY_HEADERS = ['symbol', 'strategy', 'total return', 'Sharpe [95 % CI]', 'Sortino', 'max drawdown', 'profit factor', 'trades', 'fills'] as const;

/** Sentence printed under every table: what the figures are. */
export const SUMMARY_NOTE =
  "Figures are the population's committed decisions (population-average target exposure), filled at the next bar's open with fee and slippage; buy-and-hold trades the same bars with the same costs. Sharpe and Sortino are annualised; a trade is a position episode (flat → position → flat, an open one marked at the last close), a fill is one executed order.";

/** One formatted cell row. */
function cells(symbol: string, strategy: string, metrics: TableMetrics): string[] {
  return [
    symbol,
    strategy,
    formatPercent(metrics.totalReturn),
    formatSharpe(metrics.sharpeRatio, metrics.sharpeInterval),
    formatRatio(metrics.sortinoRatio),
    formatFraction(metrics.maxDrawdown),
    formatRatio(metrics.profitFactor),
    String(metrics.trades),
    String(metrics.fills),
  ];
}

/**
 * Formats the table rows of one condition.
 *
 * @param runs - runs of any conditions; only those of `condition` are used, in the given order.
 * @param condition - the condition whose table is built.
 * @returns two rows per symbol (PopAgent, then buy-and-hold), each with the cells of SUMMARY_HEADERS.
 * @throws never.
 * @see SUMMARY_NOTE for what the figures mean
 * @example
 * summaryRows(runs, 'A')[0]; // ['BTC/USDT', 'PopAgent A', '+12.3 %', '0.80 [-0.20, 1.70]', …]
 */
export function summaryRows(runs: readonly TableRun[], condition: Condition): string[][] {
  const rows: string[][] = [];
  for (const run of runs.filter((candidate) => candidate.condition === condition)) {
    rows.push(cells(run.symbol, `PopAgent ${condition}`, run.metrics));
    rows.push(cells('', 'buy & hold', run.buyAndHold));
  }
  return rows;
}
