import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart } from './svg-chart.js';
import { chunkMeans } from './training-log.js';

describe('lineChart', () => {
  it('maps data to the plot area: 760×260 with margins 64/16/28/40 → x 64…744, y 220…28', () => {
    const svg = lineChart({ title: 'a < b', series: [{ name: 'line', x: [0, 1], y: [0, 1], color: '#000' }] });
    expect(svg).toContain('<path d="M64.0,220.0L744.0,28.0"');
    expect(svg).toContain('a &lt; b');
  });

  it('breaks the line at NaN, thins long series to ≤ 601 points keeping the last, and says "no data" when empty', () => {
    const broken = lineChart({ title: 't', series: [{ name: 's', x: [0, 1, 2], y: [0, Number.NaN, 1], color: '#000' }] });
    expect(broken).toContain('<path d="M64.0,220.0M744.0,28.0"');
    const x = Array.from({ length: 5000 }, (_, i) => i);
    const long = lineChart({ title: 't', series: [{ name: 's', x, y: x, color: '#000' }] });
    const path = /<path d="([^"]*)"/.exec(long)?.[1] ?? '';
    expect(path.split(/[ML]/).filter(Boolean).length).toBeLessThanOrEqual(601);
    expect(path.endsWith('L744.0,28.0')).toBe(true);
    expect(lineChart({ title: 't', series: [] })).toContain('no data');
    expect(escapeXml('"&"')).toBe('&quot;&amp;&quot;');
  });
});

describe('chunkMeans', () => {
  it('averages consecutive chunks, the last one shorter', () => {
    expect(chunkMeans([1, 2, 3, 4, 5], 2)).toEqual([[0, 1.5], [2, 3.5], [4, 5]]);
    expect(chunkMeans([], 50)).toEqual([]);
  });
});
