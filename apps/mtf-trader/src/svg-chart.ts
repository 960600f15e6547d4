/**
 * The report's line charts as Vega-Lite specifications rendered headless to inline SVG (no canvas: text widths
 * are estimated), so report.html opens offline in any browser. Same renderer as the PopAgent report.
 */
import type { TopLevelSpec } from 'vega-lite';

/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly x: readonly number[];
  /** NaN values break the line. */
  readonly y: readonly number[];
  readonly color: string;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  /** x values are UTC ms (dates on the axis) or plain numbers (epochs, episodes). */
  readonly xIsTime?: boolean;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

/** At most this many points per series; longer series are thinned evenly, the last point kept. */
export const MAX_POINTS = 600;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Colour i of a categorical palette (d3 category10). */
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** Escapes text for XML/HTML. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Indices 0, step, 2·step, … and always the last one, at most MAX_POINTS + 1 of them. */
function thinnedIndices(length: number): number[] {
  if (length <= MAX_POINTS) return Array.from({ length }, (_, i) => i);
  const step = Math.ceil(length / MAX_POINTS);
  const indices: number[] = [];
  for (let i = 0; i < length - 1; i += step) indices.push(i);
  indices.push(length - 1);
  return indices;
}

/**
 * The data rows of a chart: one row per kept point, `y` null where the series is NaN (Vega-Lite breaks the line
 * there). Exposed for tests.
 * @param series - the lines; each x/y pair of equal length.
 * @returns rows `{ series, x, y }`, at most MAX_POINTS + 1 per series.
 */
export function chartRows(series: readonly ChartSeries[]): Array<{ series: string; x: number; y: number | null }> {
  return series.flatMap((s) =>
    thinnedIndices(Math.min(s.x.length, s.y.length)).map((i) => {
      const y = s.y[i] as number;
      return { series: s.name, x: s.x[i] as number, y: Number.isFinite(y) ? y : null };
    }),
  );
}

let renderers: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/**
 * Renders a line chart to an SVG string.
 * @param options - title, series (x in UTC ms when `xIsTime`), axis label, size in px (default 760 × 240).
 * @returns the SVG text (a short paragraph saying "no data" when every series is empty).
 * @throws never for valid numbers; Vega errors propagate.
 * @see Vega-Lite, A. Satyanarayan et al. (2017), IEEE TVCG 23(1).
 * @example
 * const svg = await lineChart({ title: 'loss', series: [{ name: 'train', x: [1, 2], y: [0.9, 0.7], color: paletteColor(0) }] });
 */
export async function lineChart(options: LineChartOptions): Promise<string> {
  const values = chartRows(options.series);
  if (values.length === 0) return `<p>${escapeXml(options.title)}: no data</p>`;
  renderers ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, vl] = await renderers;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: options.width ?? 760,
    height: options.height ?? 240,
    data: { values },
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x: options.xIsTime === true ? { field: 'x', type: 'temporal', title: null } : { field: 'x', type: 'quantitative', title: null },
      y: { field: 'y', type: 'quantitative', title: options.yLabel ?? null, scale: { zero: false } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: options.series.map((s) => s.name), range: options.series.map((s) => s.color) },
      },
    },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
