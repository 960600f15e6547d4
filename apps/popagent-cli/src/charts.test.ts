import { describe, it, expect } from 'vitest';
import { BUY_AND_HOLD_LABEL, equityRows, regimeShareRows, renderCharts, selectionShareRows } from './charts.js';
import { fakeRun, xmlProblem } from './testing/fixtures.js';
import { fakeDocument } from './testing/documents.js';

const document = fakeDocument([fakeRun('A', 'BTC/USDT'), fakeRun('C', 'BTC/USDT'), fakeRun('A', 'ETH/USDT'), fakeRun('C', 'ETH/USDT')]);

describe('chart data', () => {
  it('equity rows are growth of 1: strategy 1.01^i, buy-and-hold 1.02^i (fixture definition)', () => {
    const rows = equityRows(document.runs.filter((run) => run.symbol === 'BTC/USDT'));
    const series = [...new Set(rows.map((row) => row.series))];
    expect(series).toEqual(['A · price features', 'C · news sentiment', BUY_AND_HOLD_LABEL]);
    const hold = rows.filter((row) => row.series === BUY_AND_HOLD_LABEL);
    hold.forEach((row, i) => expect(row.value).toBeCloseTo(1.02 ** i, 12));
    expect(rows.filter((row) => row.series === 'A · price features')[39]!.value).toBeCloseTo(1.01 ** 39, 12);
  });

  it('thins long curves to at most 600 points per series and keeps the last one', () => {
    const long = fakeDocument([fakeRun('A', 'BTC/USDT', 5000)]).runs;
    const rows = equityRows(long).filter((row) => row.series === BUY_AND_HOLD_LABEL);
    expect(rows.length).toBeLessThanOrEqual(601);
    expect(rows[rows.length - 1]!.time).toBe(long[0]!.equity.time[4999]);
  });

  it('selection share by regime: bull → momentum, bear → mean-reversion, neutral half each', () => {
    const rows = regimeShareRows(document.runs.filter((run) => run.condition === 'A'));
    const share = (regime: string, method: string) => rows.find((row) => row.regime === regime && row.method === method)?.share;
    expect(share('bull', 'momentum')).toBe(1);
    expect(share('bull', 'mean-reversion')).toBe(0);
    expect(share('bear', 'mean-reversion')).toBe(1);
    expect(share('neutral', 'momentum')).toBe(0.5);
  });

  it('monthly selection share: 14 bull, 13 bear, 13 neutral samples → momentum 41/80 (counted by hand)', () => {
    const rows = selectionShareRows(document.runs.filter((run) => run.condition === 'C' && run.symbol === 'BTC/USDT'));
    expect(rows).toEqual([
      { month: Date.UTC(2024, 0, 1), method: 'momentum', share: 41 / 80 },
      { month: Date.UTC(2024, 0, 1), method: 'mean-reversion', share: 39 / 80 },
    ]);
  });
});

describe('renderCharts', () => {
  it('renders one well-formed SVG per symbol and two per condition, with the series names', async () => {
    const charts = await renderCharts(document.runs);
    expect(charts.map((chart) => chart.name)).toEqual([
      'equity-BTC-USDT',
      'equity-ETH-USDT',
      'selection-share-A',
      'selection-by-regime-A',
      'selection-share-C',
      'selection-by-regime-C',
    ]);
    for (const chart of charts) {
      expect(chart.svg.startsWith('<svg')).toBe(true);
      expect(xmlProblem(chart.svg)).toBeNull();
      expect(chart.svg).not.toContain('NaN');
    }
    const equity = charts[0]!.svg;
    for (const name of ['A · price features', 'C · news sentiment', 'Buy &amp; hold', 'BTC/USDT']) expect(equity).toContain(name);
    const regime = charts[3]!.svg;
    for (const name of ['bear', 'neutral', 'bull', 'momentum', 'mean-reversion']) expect(regime).toContain(name);
    expect(charts[2]!.svg).toContain('momentum');
  });
});
