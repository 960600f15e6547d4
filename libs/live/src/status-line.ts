import type { IterationReport } from './types.js';

const money = (value: number) => value.toFixed(2);

/**
 * The one-line status of an iteration, for the app to print, e.g.
 * `2024-01-01T10:00:00.000Z paper | BTC/USDT close 10:00 target 0.50 buy 0.0123 (paper) | ETH/USDT skipped: late … | equity 20012.34`.
 * @param report - the iteration's report without its status.
 * @returns one line (no newline).
 * @example
 * console.log(formatStatus(report));
 */
export function formatStatus(report: Omit<IterationReport, 'status'>): string {
  const parts = [`${new Date(report.now).toISOString()} ${report.mode}${report.dryRun ? ' dry-run' : ''}`];
  for (const s of report.symbols) {
    if (s.skipped !== null) parts.push(`${s.symbol} skipped: ${s.skipped}`);
    else if (s.decision === null) parts.push(`${s.symbol} up to date (${s.barsStepped} bars)`);
    else {
      const d = s.decision;
      const order = d.side === null ? 'no order' : `${d.side} ${d.quantity ?? 0} (${d.status}${d.reason ? `: ${d.reason}` : ''})`;
      parts.push(`${s.symbol} close ${new Date(d.decidedAt).toISOString().slice(11, 16)} target ${d.appliedTarget.toFixed(2)} ${order}`);
    }
  }
  parts.push(`equity ${money(report.equity)}`);
  if (report.halted !== null) parts.push(`HALTED: ${report.halted}`);
  return parts.join(' | ');
}
