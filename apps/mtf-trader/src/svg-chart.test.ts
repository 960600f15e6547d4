import { describe, expect, it } from 'vitest';
import { chartRows, escapeXml, lineChart, MAX_POINTS } from './svg-chart.js';
import { chunkMeans } from './training-log.js';

describe('lineChart', () => {
  it('renders an SVG with the escaped title and one legend entry per series', async () => {
    const svg = await lineChart({ title: 'a < b', series: [{ name: 'train', x: [0, 1], y: [0, 1], color: '#000' }, { name: 'validation', x: [0, 1], y: [1, 0], color: '#f00' }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('a &lt; b');
    expect(svg).toContain('>train<');
    expect(svg).toContain('>validation<');
    expect(await lineChart({ title: 't', series: [] })).toContain('no data');
    expect(escapeXml('"&"')).toBe('&quot;&amp;&quot;');
  });

  it('breaks the line at NaN (y null) and thins long series to ≤ MAX_POINTS + 1 points keeping the last', () => {
    expect(chartRows([{ name: 's', x: [0, 1, 2], y: [0, Number.NaN, 1], color: '#000' }]).map((r) => r.y)).toEqual([0, null, 1]);
    const x = Array.from({ length: 5000 }, (_, i) => i);
    const rows = chartRows([{ name: 's', x, y: x, color: '#000' }]);
    expect(rows.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(rows[0]).toEqual({ series: 's', x: 0, y: 0 });
    expect(rows[rows.length - 1]).toEqual({ series: 's', x: 4999, y: 4999 });
  });
});

describe('chunkMeans', () => {
  it('averages consecutive chunks, the last one shorter', () => {
    expect(chunkMeans([1, 2, 3, 4, 5], 2)).toEqual([[0, 1.5], [2, 3.5], [4, 5]]);
    expect(chunkMeans([], 50)).toEqual([]);
  });
});
