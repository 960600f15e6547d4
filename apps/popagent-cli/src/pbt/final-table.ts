/**
 * The final-window table (terminal and report): per symbol the PBT-tuned best member, the untuned default and
 * buy-and-hold side by side, with the ablation table's columns and number formats.
 */
import Table from 'cli-table3';
import { formatFraction, formatPercent, formatRatio, formatSharpe } from '../format.js';
import { SUMMARY_HEADERS } from '../summary-rows.js';
import type { TableMetrics } from '../summary-rows.js';

/** Labels of the three contenders, in table order. */
export const CONTENDERS = [
  { key: 'best', label: 'PBT best' },
  { key: 'default', label: 'untuned default' },
  { key: 'buyAndHold', label: 'buy & hold' },
] as const;

/** One symbol's three summaries (stored or in-memory form). */
export interface FinalTableSymbol {
  readonly symbol: string;
  readonly best: TableMetrics;
  readonly default: TableMetrics;
  readonly buyAndHold: TableMetrics;
}

/**
 * The rows of the final-window table.
 *
 * @param symbols - per symbol the three summaries.
 * @returns three rows per symbol (best, default, buy-and-hold) with the cells of SUMMARY_HEADERS.
 * @throws never.
 * @see ../summary-rows.ts (same columns as the ablation)
 * @example
 * finalRows(outcome.symbols)[0][1]; // 'PBT best'
 */
export function finalRows(symbols: readonly FinalTableSymbol[]): string[][] {
  return symbols.flatMap((s) =>
    CONTENDERS.map(({ key, label }, i) => {
      const m = s[key];
      return [
        i === 0 ? s.symbol : '',
        label,
        formatPercent(m.totalReturn),
        formatSharpe(m.sharpeRatio, m.sharpeInterval),
        formatRatio(m.sortinoRatio),
        formatFraction(m.maxDrawdown),
        formatRatio(m.profitFactor),
        String(m.trades),
        String(m.fills),
      ];
    }),
  );
}

/**
 * The final-window table for the terminal.
 *
 * @param symbols - per symbol the three summaries.
 * @returns the cli-table3 text.
 * @throws never.
 * @example
 * console.log(formatFinalTable(outcome.symbols));
 */
export function formatFinalTable(symbols: readonly FinalTableSymbol[]): string {
  const table = new Table({ head: [...SUMMARY_HEADERS], style: { head: [], border: [], compact: true }, colAligns: SUMMARY_HEADERS.map((_, column) => (column < 2 ? 'left' : 'right')) });
  for (const row of finalRows(symbols)) table.push(row);
  return table.toString();
}
