/**
 * The report's charts as Vega-Lite specifications, rendered to SVG strings on the server (headless Vega, no
 * canvas: text widths are estimated). Inputs are the runs as stored in results.json, so a report can be
 * rebuilt from that file alone.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Condition } from '@trading-ml/popagent';
import { CONDITION_LABELS } from './format.js';
import type { StoredRunResult } from './results-schema.js';

/** One rendered chart: a file-name stem, a title and the SVG text. */
export interface Chart {
  /** File-name stem, e.g. 'equity-BTC-USDT' (written as `<name>.svg`). */
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

/** Series name of buy-and-hold in the equity charts. */
export const BUY_AND_HOLD_LABEL = 'Buy & hold';

/** At most this many points per equity series; longer curves are thinned evenly (the last point is kept). */
const MAX_POINTS = 600;
const WIDTH = 760;
const HEIGHT = 240;
const REGIMES = ['bear', 'neutral', 'bull'] as const;

let renderers: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/** Vega and Vega-Lite, loaded once on first use. */
function loadRenderers(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  renderers ??= Promise.all([import('vega'), import('vega-lite')]);
  return renderers;
}

/**
 * Starts loading Vega and Vega-Lite (about half a second of module loading) unless already started. The
 * charts load them on first use; the ablation calls this early when the main thread would otherwise wait
 * for worker threads.
 *
 * @returns a promise that settles when both modules are loaded (rejects if they cannot be).
 * @throws never synchronously.
 * @see renderCharts
 * @example
 * void preloadCharts(); // while worker threads run
 */
export function preloadCharts(): Promise<unknown> {
  return loadRenderers();
}

/** Compiles a Vega-Lite spec and renders it headless to SVG. */
async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await loadRenderers();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Indices 0, k, 2k, … plus the last one, with k chosen so at most MAX_POINTS remain. */
function thinnedIndices(length: number): number[] {
  const stride = Math.max(1, Math.ceil(length / MAX_POINTS));
  const indices: number[] = [];
  for (let i = 0; i < length; i += stride) indices.push(i);
  if (length > 0 && indices[indices.length - 1] !== length - 1) indices.push(length - 1);
  return indices;
}

/** UTC start of the calendar month of `time`. */
function monthOf(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Rows of the equity chart of one symbol: growth-of-1 curves of each condition plus buy-and-hold.
 *
 * @param runs - the runs of one symbol (one per condition); buy-and-hold is taken from the first.
 * @returns rows { time: UTC ms, series: label, value: equity ÷ first equity }, at most MAX_POINTS (+1) per series.
 * @throws never.
 * @see renderCharts
 * @example
 * equityRows([run])[0]; // { time: run.equity.time[0], series: 'A · price features', value: 1 }
 */
export function equityRows(runs: readonly StoredRunResult[]): { time: number; series: string; value: number }[] {
  const rows: { time: number; series: string; value: number }[] = [];
  const add = (series: string, time: readonly number[], equity: readonly number[]) => {
    const first = equity[0];
    if (first === undefined || first === 0) return;
    for (const i of thinnedIndices(time.length)) rows.push({ time: time[i]!, series, value: equity[i]! / first });
  };
  for (const run of runs) add(CONDITION_LABELS[run.condition], run.equity.time, run.equity.strategy);
  const first = runs[0];
  if (first !== undefined) add(BUY_AND_HOLD_LABEL, first.equity.time, first.equity.buyAndHold);
  return rows;
}

/**
 * Monthly share of agent selections per method, pooled over the given runs.
 *
 * @param runs - runs of one condition (all symbols), sharing one method inventory.
 * @returns rows { month: UTC ms of the month's start, method, share ∈ [0, 1] }; shares of a month sum to 1.
 * @throws never.
 * @see renderCharts
 * @example
 * selectionShareRows(runs).filter((row) => row.month === Date.UTC(2024, 0, 1)); // one row per method
 */
export function selectionShareRows(runs: readonly StoredRunResult[]): { month: number; method: string; share: number }[] {
  const totals = new Map<number, number[]>();
  const methods = runs[0]?.methods ?? [];
  for (const run of runs) {
    for (const sample of run.selections) {
      const month = monthOf(sample.time);
      const sums = totals.get(month) ?? methods.map(() => 0);
      sample.counts.forEach((count, m) => (sums[m] = (sums[m] ?? 0) + count));
      totals.set(month, sums);
    }
  }
  const rows: { month: number; method: string; share: number }[] = [];
  for (const [month, sums] of [...totals.entries()].sort((a, b) => a[0] - b[0])) {
    const total = sums.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    methods.forEach((method, m) => rows.push({ month, method, share: (sums[m] ?? 0) / total }));
  }
  return rows;
}

/**
 * Share of agent selections per method within each HMM regime, pooled over the given runs.
 *
 * @param runs - runs of one condition (all symbols), sharing one method inventory.
 * @returns rows { regime, method, share ∈ [0, 1] }; shares of one regime sum to 1; regimes never seen are left out.
 * @throws never.
 * @see renderCharts
 * @example
 * regimeShareRows(runs).find((row) => row.regime === 'bull' && row.method === 'momentum')?.share;
 */
export function regimeShareRows(runs: readonly StoredRunResult[]): { regime: string; method: string; share: number }[] {
  const methods = runs[0]?.methods ?? [];
  const rows: { regime: string; method: string; share: number }[] = [];
  for (const regime of REGIMES) {
    const sums = methods.map(() => 0);
    for (const run of runs) {
      for (const sample of run.selections) {
        if (sample.regime === regime) sample.counts.forEach((count, m) => (sums[m] = (sums[m] ?? 0) + count));
      }
    }
    const total = sums.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    methods.forEach((method, m) => rows.push({ regime, method, share: (sums[m] ?? 0) / total }));
  }
  return rows;
}

/** Equity chart of one symbol: every condition's curve and buy-and-hold, as growth of 1. */
function equitySpec(symbol: string, runs: readonly StoredRunResult[]): TopLevelSpec {
  const series = [...runs.map((run) => CONDITION_LABELS[run.condition]), BUY_AND_HOLD_LABEL];
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const rows = equityRows(runs);
  // A log axis shows compounding fairly, but cannot draw a curve that reaches zero.
  const positive = rows.every((row) => row.value > 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${symbol}: equity, growth of 1 (fills at next bar open, fees and slippage)`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'time', type: 'temporal', scale: { type: 'utc' }, title: null },
      y: {
        field: 'value',
        type: 'quantitative',
        scale: positive ? { type: 'log', nice: false } : { type: 'linear', zero: false },
        title: positive ? 'equity ÷ initial (log scale)' : 'equity ÷ initial',
      },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: series, range: [...series.slice(0, -1).map((_, i) => palette[i % palette.length]!), '#7f7f7f'] },
        legend: { title: null, orient: 'top-left' },
      },
    },
  };
}

/** Stacked area of the monthly share of each method among the agents' selections. */
function selectionSpec(condition: Condition, runs: readonly StoredRunResult[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${CONDITION_LABELS[condition]}: share of agent selections per method, by month (all symbols)`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: selectionShareRows(runs) },
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: { field: 'month', type: 'temporal', scale: { type: 'utc' }, title: null },
      y: { field: 'share', type: 'quantitative', stack: 'zero', axis: { format: '.0%' }, title: 'share of selections' },
      color: { field: 'method', type: 'nominal', scale: { scheme: 'tableau20' }, legend: { title: 'method' } },
    },
  };
}

/** Grouped bars: the share of each method among selections made in each HMM regime. */
function regimeSpec(condition: Condition, runs: readonly StoredRunResult[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${CONDITION_LABELS[condition]}: share of selections per method within each regime (all symbols)`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: regimeShareRows(runs) },
    mark: 'bar',
    encoding: {
      x: { field: 'method', type: 'nominal', title: null, axis: { labelAngle: -20 } },
      xOffset: { field: 'regime', type: 'nominal', sort: [...REGIMES] },
      y: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: 'share of selections in regime' },
      color: {
        field: 'regime',
        type: 'nominal',
        scale: { domain: [...REGIMES], range: ['#d62728', '#bcbd22', '#2ca02c'] },
        legend: { title: 'regime' },
      },
    },
  };
}

/** File-name-safe stem: 'BTC/USDT' → 'BTC-USDT'. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Renders every chart of the report.
 *
 * @param runs - the runs as stored in results.json (any conditions and symbols).
 * @returns per symbol an equity chart (conditions vs buy-and-hold, growth of 1, log scale), then per condition
 *   a stacked area of monthly selection share per method and a bar chart of selection share per method per
 *   regime; each as SVG text.
 * @throws Error from Vega when a specification cannot be rendered.
 * @see Satyanarayan et al. (2017), "Vega-Lite: A Grammar of Interactive Graphics", IEEE TVCG 23(1).
 * @example
 * const charts = await renderCharts(document.runs);
 * charts[0].name; // 'equity-BTC-USDT'
 */
export async function renderCharts(runs: readonly StoredRunResult[]): Promise<Chart[]> {
  const symbols = [...new Set(runs.map((run) => run.symbol))];
  const conditions = [...new Set(runs.map((run) => run.condition))];
  const jobs: { name: string; title: string; spec: TopLevelSpec }[] = [];
  for (const symbol of symbols) {
    const symbolRuns = runs.filter((run) => run.symbol === symbol);
    jobs.push({ name: `equity-${slug(symbol)}`, title: `${symbol} equity`, spec: equitySpec(symbol, symbolRuns) });
  }
  for (const condition of conditions) {
    const conditionRuns = runs.filter((run) => run.condition === condition);
    jobs.push({ name: `selection-share-${condition}`, title: `Selections over time, condition ${condition}`, spec: selectionSpec(condition, conditionRuns) });
    jobs.push({ name: `selection-by-regime-${condition}`, title: `Selections by regime, condition ${condition}`, spec: regimeSpec(condition, conditionRuns) });
  }
  return Promise.all(jobs.map(async (job) => ({ name: job.name, title: job.title, svg: await renderSvg(job.spec) })));
}
