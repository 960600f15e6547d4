/**
 * Plain-text tables for the terminal: FinMem next to buy-and-hold, and the LLM ledger.
 */
import type { Metrics, ResultsDocument } from './results-schema.js';

function percent(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%` : String(value);
}

function unsignedPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : String(value);
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   ')).join('\n');
}

/**
 * The metrics table.
 * @param finmem - FinMem's metrics.
 * @param baseline - buy-and-hold's metrics.
 * @returns a text table (no trailing newline).
 * @example
 * metricsTable(doc.performance.finmem, doc.performance.buyAndHold);
 */
export function metricsTable(finmem: Metrics, baseline: Metrics): string {
  return table([
    ['', 'FinMem', 'buy & hold'],
    ['cumulative return', percent(finmem.cumulativeReturn), percent(baseline.cumulativeReturn)],
    ['Sharpe ratio', fixed(finmem.sharpeRatio), fixed(baseline.sharpeRatio)],
    ['annualised volatility', unsignedPercent(finmem.annualizedVolatility), unsignedPercent(baseline.annualizedVolatility)],
    ['max drawdown', unsignedPercent(finmem.maxDrawdown), unsignedPercent(baseline.maxDrawdown)],
    ['trades / fills', `${finmem.trades} / ${finmem.fills}`, `${baseline.trades} / ${baseline.fills}`],
  ]);
}

/**
 * The LLM ledger: totals and one row per purpose.
 * @param ledger - the run's ledger.
 * @returns a text table (no trailing newline).
 * @example
 * ledgerTable(doc.ledger);
 */
export function ledgerTable(ledger: ResultsDocument['ledger']): string {
  const rows: string[][] = [['LLM ledger', 'calls', 'cache hits', 'prompt tok', 'completion tok', 'est. $']];
  for (const [purpose, totals] of Object.entries(ledger.byPurpose).sort(([a], [b]) => (a < b ? -1 : 1))) {
    rows.push([purpose, String(totals.calls), String(totals.cacheHits), String(totals.promptTokens), String(totals.completionTokens), totals.costUsd.toFixed(4)]);
  }
  rows.push(['total', String(ledger.calls), String(ledger.cacheHits), String(ledger.promptTokens), String(ledger.completionTokens), ledger.costUsd.toFixed(4)]);
  return `${table(rows)}\nfallbacks (HOLD after invalid output twice): ${ledger.fallbacks}`;
}
