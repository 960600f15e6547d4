/**
 * `report.html`: one self-contained page (inline CSS, inline SVG, no script, no external resource, works
 * offline) with the run settings, the results tables and the charts. Each chart is also written as an .svg
 * file next to the report.
 */
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { renderCharts } from './charts.js';
import type { Chart } from './charts.js';
import { CONDITION_LABELS, formatDate } from './format.js';
import { LEDGER_HEADERS, LEDGER_NOTE, ledgerRows } from './llm-ledger.js';
import type { ResultsDocument } from './results-schema.js';
import { SUMMARY_HEADERS, SUMMARY_NOTE, summaryRows } from './summary-rows.js';

/** File name of the report inside --out. */
export const REPORT_FILE = 'report.html';

/** The rendered report: the HTML text and the charts it embeds. */
export interface Report {
  readonly html: string;
  readonly charts: readonly Chart[];
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .6rem 0; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f4f4f4; } td:first-child, td:nth-child(2), th:first-child, th:nth-child(2) { text-align: left; }
tr.bh td { color: #666; } code { background: #f4f4f4; padding: 0 .25rem; } .note { color: #555; max-width: 900px; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
`;

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** An HTML table from a header and rows of text cells. */
function htmlTable(headers: readonly string[], rows: readonly string[][], rowClass?: (row: number) => string): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((row, i) => `<tr${rowClass ? ` class="${rowClass(i)}"` : ''}>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The settings block at the top of the report. */
function settingsSection(document: ResultsDocument): string {
  const o = document.options;
  const rows = [
    ['command', document.command],
    ['window', `${formatDate(o.start)} → ${formatDate(o.end)} (UTC), ${o.timeframe} bars, ${o.periodsPerYear} bars/year`],
    ['conditions', o.conditions.map((c) => CONDITION_LABELS[c]).join(', ')],
    ['population, seed', `${o.population} agents, seed ${o.seed}`],
    ['config file', o.configFile ?? '(defaults)'],
  ];
  const llm = document.llm;
  if (llm !== undefined) {
    const limits = [llm.budgetUsd === null ? null : `budget $${llm.budgetUsd}`, llm.maxTokens === null ? null : `${llm.maxTokens} tokens`].filter((x) => x !== null);
    rows.push([
      'LLM (B, D)',
      `${llm.model} at ${llm.baseURL ?? 'no endpoint (offline replay from the cache)'}, asked every ${llm.every} decisions; cache ${llm.cache}${limits.length > 0 ? `; limits: ${limits.join(', ')}` : ''}`,
    ]);
  }
  const skipped =
    o.skippedConditions.length > 0
      ? `<p class="note">Not run: ${o.skippedConditions.map((c) => escapeHtml(CONDITION_LABELS[c])).join(', ')} — they need an LLM endpoint or response cache (<code>--llm-base-url</code> and <code>--llm-model</code>, or <code>--llm-cache</code>).</p>`
      : '';
  const data = htmlTable(
    ['symbol', 'bars loaded', 'warm-up bars', 'gaps in 1h file', 'missing 1h bars'],
    document.data.map((d) => [d.symbol, String(d.bars), String(d.warmUpBars), String(d.gaps), String(d.missingBars)]),
  );
  return `${htmlTable(['setting', 'value'], rows)}\n${skipped}\n<h2>Data</h2>\n${data}\n<p class="note">Gaps are exchange outages, kept as gaps and never filled.</p>`;
}

/** The results tables, one per condition that has runs (a budget stop can leave B or D without any). */
function resultsSection(document: ResultsDocument): string {
  return document.options.conditions
    .filter((condition) => document.runs.some((run) => run.condition === condition))
    .map((condition) => {
      const rows = summaryRows(document.runs, condition);
      return `<h3>${escapeHtml(CONDITION_LABELS[condition])}</h3>\n${htmlTable(SUMMARY_HEADERS, rows, (i) => (i % 2 === 1 ? 'bh' : 'pa'))}`;
    })
    .join('\n');
}

/** The LLM ledger of B and D, and a budget stop. */
function llmSection(document: ResultsDocument): string {
  const llm = document.llm;
  if (llm === undefined) return '';
  const stopped =
    llm.stopped === null
      ? ''
      : `<p class="note"><strong>Stopped by the LLM spending limit</strong> (${escapeHtml(llm.stopped.message)}). Not finished: ${escapeHtml(llm.stopped.unfinished.join(', '))}.</p>`;
  return `<h2>LLM ledger</h2>\n<p class="note">${escapeHtml(LEDGER_NOTE)}</p>\n${htmlTable(LEDGER_HEADERS, ledgerRows(document.runs, llm.ledger))}\n${stopped}`;
}

/** A figure embedding one chart's SVG. */
function figure(chart: Chart): string {
  return `<figure id="${escapeHtml(chart.name)}" aria-label="${escapeHtml(chart.title)}">\n${chart.svg}\n</figure>`;
}

/**
 * Renders the report of a results document.
 *
 * @param document - a validated results document (see results-schema.ts).
 * @returns the self-contained HTML page and the charts embedded in it.
 * @throws Error from Vega when a chart cannot be rendered.
 * @see ./charts.ts for the charts; the app README ("Outputs")
 * @example
 * const { html, charts } = await renderReport(document);
 * html.includes('<svg'); // true
 */
export async function renderReport(document: ResultsDocument): Promise<Report> {
  const charts = await renderCharts(document.runs);
  const equity = charts.filter((chart) => chart.name.startsWith('equity-'));
  const selection = charts.filter((chart) => !chart.name.startsWith('equity-'));
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PopAgent ablation — ${escapeHtml(document.options.symbols.join(', '))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>PopAgent ablation</h1>
<p class="note">Generated by ${escapeHtml(document.generatedBy)} from <code>results.json</code> (schema version ${document.schemaVersion}).</p>
${settingsSection(document)}
<h2>Results</h2>
<p class="note">${escapeHtml(SUMMARY_NOTE)}</p>
${resultsSection(document)}
${llmSection(document)}
<h2>Equity curves</h2>
<p class="note">Each condition's committed equity against buy-and-hold of the same symbol, as a multiple of the initial equity.</p>
${equity.map(figure).join('\n')}
<h2>Which methods the agents selected</h2>
<p class="note">Share of all agent selections (every agent picks several methods per decision) that went to each method, by month and by the regime the HMM inferred at decision time.</p>
${selection.map(figure).join('\n')}
</body>
</html>
`;
  return { html, charts };
}

/**
 * Renders and writes `report.html` and one `<chart>.svg` per chart into `outDir`, each atomically.
 *
 * @param outDir - output folder (created when missing).
 * @param document - a validated results document.
 * @returns the paths written, report first.
 * @throws Error from Vega or from the file system.
 * @see renderReport
 * @example
 * await writeReport('out/ablation', document); // ['out/ablation/report.html', 'out/ablation/equity-BTC-USDT.svg', …]
 */
export async function writeReport(outDir: string, document: ResultsDocument): Promise<string[]> {
  return writeReportFiles(outDir, REPORT_FILE, await renderReport(document));
}

/**
 * Writes a rendered report: the HTML page as `fileName` and one standalone `<chart>.svg` per chart, each atomically.
 * @param outDir - output folder.
 * @param fileName - the HTML file's name, e.g. 'report.html'.
 * @param rendered - the page and its charts.
 * @returns the paths written, the page first.
 * @throws Error from the file system.
 */
export function writeReportFiles(outDir: string, fileName: string, rendered: { readonly html: string; readonly charts: readonly Chart[] }): string[] {
  const reportPath = join(outDir, fileName);
  writeFileAtomic(reportPath, rendered.html);
  const paths = [reportPath];
  for (const chart of rendered.charts) {
    const path = join(outDir, `${chart.name}.svg`);
    writeFileAtomic(path, `<?xml version="1.0" encoding="UTF-8"?>\n${chart.svg}\n`);
    paths.push(path);
  }
  return paths;
}
