/**
 * The terminal results table of one condition (cli-table3, plain characters, no colour codes so the output
 * is the same in a terminal, a pipe or a log file).
 */
import Table from 'cli-table3';
import type { Condition } from '@trading-ml/popagent';
import { CONDITION_LABELS } from './format.js';
import { SUMMARY_HEADERS, summaryRows } from './summary-rows.js';
import type { TableRun } from './summary-rows.js';

/**
 * Formats the results table of one condition.
 *
 * @param runs - the finished runs (any conditions; only `condition`'s are shown).
 * @param condition - which condition's table to build.
 * @returns a title line and the table, PopAgent and buy-and-hold rows per symbol.
 * @throws never.
 * @see ./summary-rows.ts for the columns
 * @example
 * console.log(formatResultsTable(runs, 'A'));
 */
export function formatResultsTable(runs: readonly TableRun[], condition: Condition): string {
  const table = new Table({
    head: [...SUMMARY_HEADERS],
    style: { head: [], border: [], compact: true },
    // symbol and strategy left, every figure right (one entry per header, so a new column is aligned too).
    colAligns: SUMMARY_HEADERS.map((_, column) => (column < 2 ? 'left' : 'right')),
  });
  for (const row of summaryRows(runs, condition)) table.push(row);
  return `Condition ${CONDITION_LABELS[condition]}\n${table.toString()}`;
}
