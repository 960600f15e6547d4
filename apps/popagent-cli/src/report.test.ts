import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { renderReport, writeReport } from './report.js';
import { fakeRun, xmlProblem } from './testing/fixtures.js';
import { fakeDocument } from './testing/documents.js';

const document = fakeDocument([fakeRun('A', 'BTC/USDT'), fakeRun('C', 'BTC/USDT')]);

describe('renderReport', () => {
  it('is self-contained: no script, stylesheet link, external image or remote URL', async () => {
    const { html } = await renderReport(document);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*"https?:/i);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('embeds every chart and the results table with the fixture figures', async () => {
    const { html, charts } = await renderReport(document);
    expect(charts).toHaveLength(5);
    for (const chart of charts) expect(html).toContain(chart.svg);
    // Fixture metrics: total return 0.1, Sharpe 1.25 in [−0.5, 3]; buy-and-hold total return 0.3.
    expect(html).toContain('<td>+10.0 %</td>');
    expect(html).toContain('<td>1.25 [−0.50, 3.00]</td>');
    expect(html).toContain('<td>+30.0 %</td>');
    expect(html).toContain('need an LLM endpoint');
    expect(html).toContain('popagent ablation --population 2');
  });
});

describe('writeReport', () => {
  it('writes report.html and one well-formed .svg per chart, leaving no temp file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'popagent-report-'));
    const paths = await writeReport(out, document);
    expect(paths[0]).toBe(join(out, 'report.html'));
    for (const path of paths) expect(existsSync(path)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(
      ['equity-BTC-USDT.svg', 'report.html', 'selection-by-regime-A.svg', 'selection-by-regime-C.svg', 'selection-share-A.svg', 'selection-share-C.svg'],
    );
    expect(xmlProblem(readFileSync(join(out, 'equity-BTC-USDT.svg'), 'utf8'))).toBeNull();
  });
});
