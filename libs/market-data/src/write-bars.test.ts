import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Bar } from '@trading-ml/core';
import { loadBars } from './load-bars.js';
import { appendBarsCsv, writeBarsCsv } from './write-bars.js';
import { BUNDLED_DATA_DIR, hourBar, tempDir } from './testing/fixtures.js';

const H = 3_600_000;

describe('writeBarsCsv / appendBarsCsv', () => {
  it('writes the crypto layout with open-time ISO timestamps', () => {
    const dir = tempDir();
    const path = join(dir, 'x.csv');
    writeBarsCsv(path, [{ openTime: Date.UTC(2024, 0, 1), closeTime: Date.UTC(2024, 0, 1, 1), open: 1.5, high: 2, low: 1, close: 1.25, volume: 0.001 }]);
    expect(readFileSync(path, 'utf8')).toBe('timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1.5,2,1,1.25,0.001\n');
  });

  it('round trip: write then loadBars gives the same bars (real BTC slice, gz)', () => {
    const source = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h', end: Date.UTC(2021, 7, 20) });
    const dir = tempDir();
    writeBarsCsv(join(dir, 'crypto', 'BTCUSDT_1h.csv.gz'), source.bars);
    const loaded = loadBars({ dataDir: dir, symbol: 'BTC/USDT', timeframe: '1h' });
    expect(loaded.bars).toEqual(source.bars);
    expect(loaded.gaps).toEqual(source.gaps); // the 2021-08-13 outage stays a gap
  });

  it('gz append adds a second gzip member; loading reads both', () => {
    const dir = tempDir();
    const path = join(dir, 'crypto', 'ETHUSDT_1h.csv.gz');
    const first = [0, 1, 2].map((h) => hourBar(h * H, 100 + h));
    const second = [3, 4].map((h) => hourBar(h * H, 100 + h));
    appendBarsCsv(path, first); // creates with header
    const before = readFileSync(path);
    const sizeBefore = before.length;
    appendBarsCsv(path, second);
    const bytes = readFileSync(path);
    // two gzip members: magic bytes 1f 8b at offset 0 and at the old end of file
    expect(bytes.subarray(0, sizeBefore)).toEqual(before); // existing bytes untouched
    expect([bytes[sizeBefore], bytes[sizeBefore + 1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString().split('\n').filter(Boolean)).toHaveLength(6);
    expect(loadBars({ dataDir: dir, symbol: 'ETH/USDT', timeframe: '1h' }).bars).toEqual([...first, ...second]);
  });

  it('plain append repairs a missing final newline', () => {
    const dir = tempDir();
    const path = join(dir, 'crypto', 'SOLUSDT_1h.csv');
    writeBarsCsv(path, [hourBar(0, 10)]);
    const text = readFileSync(path, 'utf8').trimEnd();
    writeFileSync(path, text);
    appendBarsCsv(path, [hourBar(H, 11)]);
    expect(loadBars({ dataDir: dir, symbol: 'SOL/USDT', timeframe: '1h' }).bars).toEqual([hourBar(0, 10), hourBar(H, 11)]);
  });

  it('property: any valid bars survive write → load exactly (shortest round-trip number format)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ open: fc.double({ min: 1e-8, max: 1e7, noNaN: true }), close: fc.double({ min: 1e-8, max: 1e7, noNaN: true }), volume: fc.double({ min: 0, max: 1e12, noNaN: true }) }), { minLength: 1, maxLength: 30 }),
        (specs) => {
          const bars: Bar[] = specs.map((s, i) => ({ openTime: i * H, closeTime: (i + 1) * H, open: s.open, high: Math.max(s.open, s.close), low: Math.min(s.open, s.close), close: s.close, volume: s.volume }));
          const dir = tempDir();
          writeBarsCsv(join(dir, 'crypto', 'XRPUSDT_1h.csv'), bars);
          expect(loadBars({ dataDir: dir, symbol: 'XRP/USDT', timeframe: '1h' }).bars).toEqual(bars);
        },
      ),
      { numRuns: 30 },
    );
  });
});
