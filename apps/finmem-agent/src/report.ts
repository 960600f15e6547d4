/**
 * A small self-contained HTML report: settings, the metrics table, an SVG of both equity curves and the decisions.
 * Every text from data or from the LLM is HTML-escaped.
 */
import type { ResultsDocument } from './results-schema.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function polyline(time: readonly number[], values: readonly number[], box: { x0: number; x1: number; y0: number; y1: number; min: number; max: number }, color: string): string {
  const t0 = time[0] ?? 0;
  const span = Math.max(1, (time[time.length - 1] ?? 0) - t0);
  const range = box.max - box.min || 1;
  const points = values.map((value, i) => `${(box.x0 + (((time[i] ?? t0) - t0) / span) * (box.x1 - box.x0)).toFixed(1)},${(box.y1 - ((value - box.min) / range) * (box.y1 - box.y0)).toFixed(1)}`);
  return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(' ')}"/>`;
}

function equityChart(equity: NonNullable<ResultsDocument['equity']>): string {
  const all = [...equity.finmem, ...equity.buyAndHold];
  const box = { x0: 50, x1: 780, y0: 10, y1: 250, min: Math.min(...all), max: Math.max(...all) };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="280" viewBox="0 0 800 280">',
    `<text x="5" y="15" font-size="11">${box.max.toFixed(0)}</text><text x="5" y="250" font-size="11">${box.min.toFixed(0)}</text>`,
    polyline(equity.time, equity.finmem, box, '#c0392b'),
    polyline(equity.time, equity.buyAndHold, box, '#7f8c8d'),
    '<text x="60" y="272" font-size="12" fill="#c0392b">FinMem</text><text x="130" y="272" font-size="12" fill="#7f8c8d">buy &amp; hold</text>',
    '</svg>',
  ].join('');
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/**
 * Renders the report.
 * @param doc - a results document.
 * @returns the HTML text.
 * @throws never.
 * @example
 * writeFileAtomic('out/finmem/report.html', renderReport(doc));
 */
export function renderReport(doc: ResultsDocument): string {
  const rows: string[] = [];
  if (doc.performance !== null) {
    const { finmem, buyAndHold } = doc.performance;
    rows.push(
      '<table><tr><th></th><th>FinMem</th><th>buy &amp; hold</th></tr>',
      `<tr><td>cumulative return</td><td>${percent(finmem.cumulativeReturn)}</td><td>${percent(buyAndHold.cumulativeReturn)}</td></tr>`,
      `<tr><td>Sharpe ratio</td><td>${finmem.sharpeRatio.toFixed(2)}</td><td>${buyAndHold.sharpeRatio.toFixed(2)}</td></tr>`,
      `<tr><td>annualised volatility</td><td>${percent(finmem.annualizedVolatility)}</td><td>${percent(buyAndHold.annualizedVolatility)}</td></tr>`,
      `<tr><td>max drawdown</td><td>${percent(finmem.maxDrawdown)}</td><td>${percent(buyAndHold.maxDrawdown)}</td></tr>`,
      '</table>',
    );
  }
  const decisions = doc.decisions
    .map((d) => `<tr><td>${escapeHtml(d.day)}</td><td>${d.action}</td><td>${d.confidence.toFixed(2)}</td><td>${d.targetPosition}</td><td>${d.attitude}</td><td>${escapeHtml(d.citedMemoryIds.join(', '))}</td><td>${escapeHtml(d.rationale)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FinMem ${escapeHtml(doc.symbol)} ${doc.phase}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}</style></head>
<body>
<h1>FinMem ${escapeHtml(doc.symbol)} — ${doc.phase} ${escapeHtml(doc.start)} to ${escapeHtml(doc.end)}</h1>
<p>Character ${doc.character}, positions ${doc.positions}, retrieval ${doc.retrieval} (top ${doc.topK} per layer), model ${escapeHtml(doc.model)}, ${doc.days} days${doc.stopped === null ? '' : ` — stopped early: ${escapeHtml(doc.stopped.message)}`}.</p>
<p>Memory: ${doc.memory.short} short, ${doc.memory.mid} mid, ${doc.memory.long} long, ${doc.memory.reflection} reflection items. LLM: ${doc.ledger.calls} calls, ${doc.ledger.cacheHits} cache hits, est. $${doc.ledger.costUsd.toFixed(4)}.</p>
${rows.join('\n')}
${doc.equity === null ? '' : equityChart(doc.equity)}
<h2>Decisions</h2>
<table><tr><th>day</th><th>action</th><th>confidence</th><th>target</th><th>attitude</th><th>cited</th><th>rationale</th></tr>
${decisions}
</table>
<p><small>${escapeHtml(doc.command)}</small></p>
</body></html>
`;
}
