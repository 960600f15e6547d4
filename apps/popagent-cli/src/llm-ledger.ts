/**
 * The LLM ledger of conditions B and D, shared by the terminal output and the HTML report: per run what the LLM
 * answered (BUY/SELL/HOLD), where the answers came from (endpoint calls, cache hits, fallbacks), the tokens and
 * the estimated cost; then the ablation's totals.
 */
import Table from 'cli-table3';
import type { LlmRunSummary } from '@trading-ml/popagent';

/** Column headers, in order. */
export const LEDGER_HEADERS = ['run', 'asked', 'BUY', 'SELL', 'HOLD', 'calls', 'cache hits', 'fallbacks', 'prompt tokens', 'completion tokens', 'est. cost'] as const;

/** Sentence printed under the ledger: what the committed exposure of B and D is, and what the figures count. */
export const LEDGER_NOTE =
  "B and D commit the population's exposure p moved by the LLM's view: p + c·(target − p), target +1 for BUY, flat (or −1 with allowShort) for SELL, p for HOLD, c the confidence; the LLM is asked every N decisions and its view held in between. " +
  "'asked' counts consultations, 'calls' endpoint calls (a corrective retry is a second call), 'cache hits' answers replayed free from the response cache, 'fallbacks' HOLD at confidence 0 after invalid output twice. Costs are estimates from the client's price table (0 for unpriced or local models).";

/** The part of a run the ledger needs. */
export interface LedgerRun {
  readonly condition: string;
  readonly symbol: string;
  readonly llm?: Omit<LlmRunSummary, 'populationExposure' | 'views' | 'model'> | undefined;
}

/** Totals of the whole ablation (the client's ledger). */
export interface LedgerTotals {
  readonly calls: number;
  readonly cacheHits: number;
  readonly fallbacks: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
}

/**
 * Formats US dollars with enough digits for small per-run costs.
 *
 * @param usd - dollars ≥ 0.
 * @returns e.g. '$0.0123', '$12.50'.
 * @throws never.
 * @example
 * formatUsd(0.012345); // '$0.0123'
 */
export function formatUsd(usd: number): string {
  return `$${usd >= 1 ? usd.toFixed(2) : usd.toFixed(4)}`;
}

/**
 * The ledger rows: one per B/D run, then a total row from the client's ledger.
 *
 * @param runs - finished runs of any condition (only those with `llm` are listed), in run order.
 * @param totals - the client's totals over the whole ablation (they also count a run a budget stop abandoned).
 * @returns rows with the cells of LEDGER_HEADERS; the total row leaves the answer columns blank.
 * @throws never.
 * @see LEDGER_NOTE
 * @example
 * ledgerRows(runs, totals)[0]; // ['B BTC/USDT', '12', '4', '3', '5', '12', '0', '0', '9 120', '420', '$0.0016']
 */
export function ledgerRows(runs: readonly LedgerRun[], totals: LedgerTotals): string[][] {
  const rows: string[][] = [];
  for (const run of runs) {
    const llm = run.llm;
    if (llm === undefined) continue;
    rows.push([
      `${run.condition} ${run.symbol}`,
      String(llm.consultations),
      String(llm.actions.BUY),
      String(llm.actions.SELL),
      String(llm.actions.HOLD),
      String(llm.calls),
      String(llm.cacheHits),
      String(llm.fallbacks),
      String(llm.promptTokens),
      String(llm.completionTokens),
      formatUsd(llm.costUsd),
    ]);
  }
  rows.push(['total', '', '', '', '', String(totals.calls), String(totals.cacheHits), String(totals.fallbacks), String(totals.promptTokens), String(totals.completionTokens), formatUsd(totals.costUsd)]);
  return rows;
}

/**
 * The terminal ledger table.
 *
 * @param model - the model name, for the title.
 * @param runs - finished runs (see {@link ledgerRows}).
 * @param totals - the client's totals.
 * @returns a title line and the table.
 * @throws never.
 * @see ledgerRows
 * @example
 * console.log(formatLedgerTable('gpt-4o-mini', runs, totals));
 */
export function formatLedgerTable(model: string, runs: readonly LedgerRun[], totals: LedgerTotals): string {
  const table = new Table({
    head: [...LEDGER_HEADERS],
    style: { head: [], border: [], compact: true },
    colAligns: LEDGER_HEADERS.map((_, column) => (column === 0 ? 'left' : 'right')),
  });
  for (const row of ledgerRows(runs, totals)) table.push(row);
  return `LLM ledger (${model})\n${table.toString()}`;
}
