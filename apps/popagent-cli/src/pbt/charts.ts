/**
 * The PBT report's charts as Vega-Lite specifications rendered headless to SVG (as the ablation report does):
 * the lineage tree (members × generations, continue and exploit edges), fitness per generation, and the final
 * window's equity curves.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LineageRecord } from '@trading-ml/pbt';
import { lineageTree } from '@trading-ml/pbt';
import { BUY_AND_HOLD_LABEL, preloadCharts } from '../charts.js';
import type { Chart } from '../charts.js';
import type { PbtResultsDocument } from './results-schema.js';

const WIDTH = 760;
const HEIGHT = 260;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Compiles a Vega-Lite spec and renders it to SVG (no canvas; text widths estimated). */
async function renderSvg(spec: TopLevelSpec): Promise<string> {
  await preloadCharts();
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rows of the lineage chart: one point per member per generation, two rows per edge (its ends).
 *
 * @param lineage - the run's records.
 * @returns `nodes` { memberId, generation, score | null } and `edges` { edge, kind, memberId, generation } (two per edge).
 * @throws never.
 * @see lineageTree in @trading-ml/pbt
 * @example
 * lineageRows(lineage).edges.filter((row) => row.kind === 'exploit').length / 2; // exploits
 */
export function lineageRows(lineage: readonly LineageRecord[]): {
  nodes: { memberId: number; generation: number; score: number | null }[];
  edges: { edge: number; kind: 'continue' | 'exploit'; memberId: number; generation: number }[];
} {
  const tree = lineageTree(lineage);
  const byId = new Map(tree.nodes.map((node) => [node.id, node]));
  const nodes = tree.nodes.map((node) => ({ memberId: node.memberId, generation: node.generation, score: node.score }));
  const edges = tree.edges.flatMap((edge, i) => {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (from === undefined || to === undefined) return [];
    return [
      { edge: i, kind: edge.kind, memberId: from.memberId, generation: from.generation },
      { edge: i, kind: edge.kind, memberId: to.memberId, generation: to.generation },
    ];
  });
  return { nodes, edges };
}

/** The lineage tree: x = generation, y = member, colour = fitness; grey continue edges, red exploit edges. */
function lineageSpec(lineage: readonly LineageRecord[], population: number): TopLevelSpec {
  const { nodes, edges } = lineageRows(lineage);
  // Built per layer (a shared literal would be typed too narrowly for Vega-Lite's encoding types).
  const x = () => ({ field: 'generation', type: 'quantitative' as const, title: 'generation (windows traded)', axis: { tickMinStep: 1, format: 'd' } });
  const y = () => ({ field: 'memberId', type: 'quantitative' as const, title: 'member', scale: { domain: [-0.5, population - 0.5] }, axis: { tickMinStep: 1, format: 'd' } });
  return {
    $schema: SCHEMA,
    title: 'Lineage: each member across generations; red = exploit (copied the donor’s state, then explored)',
    width: WIDTH,
    height: Math.max(HEIGHT, population * 18),
    layer: [
      {
        data: { values: edges },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: x(),
          y: y(),
          detail: { field: 'edge', type: 'nominal' },
          color: { field: 'kind', type: 'nominal', scale: { domain: ['continue', 'exploit'], range: ['#c7c7c7', '#d62728'] }, legend: { title: 'edge' } },
        },
      },
      {
        data: { values: nodes.filter((node) => node.score !== null) },
        mark: { type: 'circle', size: 60, stroke: '#333', strokeWidth: 0.5 },
        encoding: { x: x(), y: y(), fill: { field: 'score', type: 'quantitative', scale: { scheme: 'redyellowgreen' }, legend: { title: 'fitness' } } },
      },
    ],
  };
}

/** Best, median and default fitness per generation. */
function fitnessSpec(document: PbtResultsDocument): TopLevelSpec {
  const rows = document.generations.flatMap((g) => [
    { generation: g.generation, series: 'best member', fitness: g.bestFitness },
    { generation: g.generation, series: 'median member', fitness: g.medianFitness },
    { generation: g.generation, series: 'untuned default', fitness: g.defaultFitness },
  ]);
  return {
    $schema: SCHEMA,
    title: `Fitness (${document.options.fitness}) of each window, scored after the members had decided on it`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'generation', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'fitness', type: 'quantitative' },
      color: { field: 'series', type: 'nominal', scale: { domain: ['best member', 'median member', 'untuned default'], range: ['#2ca02c', '#1f77b4', '#7f7f7f'] }, legend: { title: null, orient: 'top-left' } },
    },
  };
}

/** The final window's equity of one symbol, growth of 1. */
function finalEquitySpec(symbol: PbtResultsDocument['finalWindow']['symbols'][number]): TopLevelSpec {
  const series = [
    ['PBT best', symbol.equity.best],
    ['untuned default', symbol.equity.default],
    [BUY_AND_HOLD_LABEL, symbol.equity.buyAndHold],
  ] as const;
  const rows = series.flatMap(([name, equity]) => equity.map((value, i) => ({ time: symbol.equity.time[i]!, series: name, value: value / equity[0]! })));
  return {
    $schema: SCHEMA,
    title: `${symbol.symbol}: final window (never scored by PBT), equity as growth of 1`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'time', type: 'temporal', scale: { type: 'utc' }, title: null },
      y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: 'equity ÷ initial' },
      color: { field: 'series', type: 'nominal', scale: { domain: series.map(([name]) => name), range: ['#2ca02c', '#1f77b4', '#7f7f7f'] }, legend: { title: null, orient: 'top-left' } },
    },
  };
}

/** File-name-safe stem: 'BTC/USDT' → 'BTC-USDT'. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Renders every chart of the PBT report.
 *
 * @param document - the validated results document.
 * @param lineage - the run's lineage records (lineage.jsonl).
 * @returns the lineage tree, the fitness per generation and one final-window equity chart per symbol, as SVG.
 * @throws Error from Vega when a specification cannot be rendered.
 * @see Satyanarayan et al. (2017), "Vega-Lite: A Grammar of Interactive Graphics", IEEE TVCG 23(1).
 * @example
 * const [lineageChart] = await renderPbtCharts(document, lineage); // lineageChart.name === 'pbt-lineage'
 */
export async function renderPbtCharts(document: PbtResultsDocument, lineage: readonly LineageRecord[]): Promise<Chart[]> {
  const jobs: { name: string; title: string; spec: TopLevelSpec }[] = [
    { name: 'pbt-lineage', title: 'Lineage', spec: lineageSpec(lineage, document.options.population) },
    { name: 'pbt-fitness', title: 'Fitness per generation', spec: fitnessSpec(document) },
    ...document.finalWindow.symbols.map((s) => ({ name: `pbt-final-${slug(s.symbol)}`, title: `${s.symbol} final window`, spec: finalEquitySpec(s) })),
  ];
  return Promise.all(jobs.map(async (job) => ({ name: job.name, title: job.title, svg: await renderSvg(job.spec) })));
}
