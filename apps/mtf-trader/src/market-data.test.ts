import { describe, expect, it } from 'vitest';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import { loadBars } from '@trading-ml/market-data';
import { DEFAULT_DATA_DIR } from './cli.js';
import { loadSymbolBars } from './market-data.js';

const start = Date.UTC(2024, 9, 2);
const end = Date.UTC(2024, 9, 3, 6, 30);

describe('loadSymbolBars', () => {
  const loaded = loadSymbolBars({ dataDir: DEFAULT_DATA_DIR, symbol: 'BTC/USDT', timeframes: ['15m', '1h', '4h', '1d'], start, end, warmupBars: 10 });

  it('reads warm-up history before start and nothing that closes after end', () => {
    for (const tf of ['15m', '1h', '4h', '1d'] as const) {
      const bars = loaded.bars[tf]!;
      expect(bars[0]!.openTime).toBe(Math.floor((start - 10 * TIMEFRAME_MS[tf]) / TIMEFRAME_MS[tf]) * TIMEFRAME_MS[tf]);
      expect(bars[bars.length - 1]!.closeTime).toBeLessThanOrEqual(end);
    }
    // the last 4h bar is 00:00–04:00 on Oct 3: the 04:00–08:00 bucket has not closed at 06:30
    expect(loaded.bars['4h']!.at(-1)!.closeTime).toBe(Date.UTC(2024, 9, 3, 4));
    expect(loaded.bars['1d']!.at(-1)!.closeTime).toBe(Date.UTC(2024, 9, 3));
  });

  it('builds 4h and 1d from the hourly file (open first, close last, high max, low min, volume sum)', () => {
    const hourly = loadBars({ dataDir: DEFAULT_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h', start: Date.UTC(2024, 9, 2, 1), end: Date.UTC(2024, 9, 3) }).bars;
    const day = loaded.bars['1d']!.at(-1)!;
    expect(day.openTime).toBe(Date.UTC(2024, 9, 2));
    expect(day.open).toBe(hourly[0]!.open);
    expect(day.close).toBe(hourly[23]!.close);
    expect(day.high).toBe(Math.max(...hourly.map((b) => b.high)));
    expect(day.low).toBe(Math.min(...hourly.map((b) => b.low)));
    expect(day.volume).toBeCloseTo(hourly.reduce((a, b) => a + b.volume, 0), 6);
  });

  it('reports the 1m gap between the bundled windows and refuses a window the data does not cover', () => {
    const across = loadSymbolBars({ dataDir: DEFAULT_DATA_DIR, symbol: 'ETH/USDT', timeframes: ['1m'], start: Date.UTC(2024, 9, 1, 4), end: Date.UTC(2024, 9, 1, 5), warmupBars: 0 });
    expect(across.gaps['1m']).toEqual([]);
    const gap = loadSymbolBars({ dataDir: DEFAULT_DATA_DIR, symbol: 'ETH/USDT', timeframes: ['1m'], start: Date.UTC(2024, 9, 1, 4), end: Date.UTC(2024, 9, 1, 5), warmupBars: 60 * 24 * 40 });
    expect(gap.gaps['1m']).toEqual([{ from: Date.UTC(2024, 7, 25, 14, 23), to: Date.UTC(2024, 9, 1, 2, 59), missingBars: 52_597 }]);
    expect(() => loadSymbolBars({ dataDir: DEFAULT_DATA_DIR, symbol: 'BTC/USDT', timeframes: ['1m'], start: Date.UTC(2024, 8, 5), end: Date.UTC(2024, 8, 6), warmupBars: 0 })).toThrow(ConfigError);
  });
});
