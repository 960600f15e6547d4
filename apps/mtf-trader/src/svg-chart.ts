/**
 * A small self-contained SVG line chart (no renderer dependency): the report embeds it inline, so report.html opens
 * offline in any browser.
 */

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

const MAX_POINTS = 600;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Colour i of a categorical palette (d3 category10). */
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** Escapes text for XML/HTML. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatTick(value: number, isTime: boolean): string {
  if (isTime) return new Date(value).toISOString().slice(0, 10);
  const magnitude = Math.abs(value);
  return magnitude >= 1000 || (magnitude > 0 && magnitude < 0.01) ? value.toExponential(1) : String(Number(value.toFixed(3)));
}

/**
 * Renders a line chart as an SVG string.
 * @param options - title, series, axis kind and size (px).
 * @returns the SVG markup; an empty-data chart shows "no data".
 * @example
 * lineChart({ title: 'loss', series: [{ name: 'train', x: [1, 2], y: [0.9, 0.7], color: '#1f77b4' }] });
 */
export function lineChart(options: LineChartOptions): string {
  const { title, series, xIsTime = false, yLabel = '', width = 760, height = 260 } = options;
  const margin = { left: 64, right: 16, top: 28, bottom: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const xs = series.flatMap((s) => s.x.filter(Number.isFinite));
  const ys = series.flatMap((s) => s.y.filter(Number.isFinite));
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`;
  const titleText = `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`;
  if (xs.length === 0 || ys.length === 0) return `${head}${titleText}<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`;
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.05, y1 + Math.abs(y1 || 1) * 0.05];
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => margin.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [head, titleText];
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`);
  for (let k = 0; k <= 4; k++) {
    const yv = y0 + ((y1 - y0) * k) / 4;
    const xv = x0 + ((x1 - x0) * k) / 4;
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py(yv).toFixed(1)}" y2="${py(yv).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${(py(yv) + 4).toFixed(1)}" text-anchor="end">${escapeXml(formatTick(yv, false))}</text>`);
    parts.push(`<text x="${px(xv).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${escapeXml(formatTick(xv, xIsTime))}</text>`);
  }
  if (yLabel !== '') parts.push(`<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  for (const [i, s] of series.entries()) {
    const stride = Math.max(1, Math.ceil(s.x.length / MAX_POINTS));
    let path = '';
    let pen = false;
    const indices: number[] = [];
    for (let j = 0; j < s.x.length; j += stride) indices.push(j);
    if (s.x.length > 0 && indices[indices.length - 1] !== s.x.length - 1) indices.push(s.x.length - 1); // keep the last point
    for (const j of indices) {
      const x = s.x[j] as number;
      const y = s.y[j] as number;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      path += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    }
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    const lx = margin.left + 8 + i * 110;
    parts.push(`<rect x="${lx}" y="${height - 14}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${height - 5}">${escapeXml(s.name)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
