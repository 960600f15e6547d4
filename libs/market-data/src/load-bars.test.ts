import { describe, expect, it } from 'vitest';
import { DataError, ConfigError } from '@trading-ml/core';
import { loadBars } from './load-bars.js';
import { BUNDLED_DATA_DIR, tempDir, writeText } from './testing/fixtures.js';

const HEADER = 'timestamp,open,high,low,close,volume';
const H = 3_600_000;

function cryptoDir(rows: string[], header = HEADER): string {
  const dir = tempDir();
  writeText(dir, 'crypto/BTCUSDT_1h.csv', [header, ...rows].join('\n') + '\n');
  return dir;
}

function loadError(dir: string): DataError {
  try {
    loadBars({ dataDir: dir, symbol: 'BTC/USDT', timeframe: '1h' });
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('loadBars on the bundled BTC/USDT 1h file', () => {
  const series = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h' });

  it('loads every row (data/README: 31,433 rows, 2021-06-01T00:00Z..2024-12-31T23:00Z)', () => {
    expect(series.bars).toHaveLength(31_433);
    expect(series.bars[0]).toEqual({
      openTime: Date.UTC(2021, 5, 1, 0),
      closeTime: Date.UTC(2021, 5, 1, 1),
      open: 37253.82,
      high: 37894.81,
      low: 37100,
      close: 37798.31,
      volume: 5234.072735,
    });
    expect(series.bars.at(-1)?.openTime).toBe(Date.UTC(2024, 11, 31, 23));
    expect(series.source.endsWith('crypto/BTCUSDT_1h.csv.gz')).toBe(true);
  });

  it('reports exactly the three known Binance outages as gaps (data/README "Known gaps")', () => {
    expect(series.gaps).toEqual([
      { from: Date.UTC(2021, 7, 13, 2), to: Date.UTC(2021, 7, 13, 5), missingBars: 4 },
      { from: Date.UTC(2021, 8, 29, 7), to: Date.UTC(2021, 8, 29, 8), missingBars: 2 },
      { from: Date.UTC(2023, 2, 24, 13), to: Date.UTC(2023, 2, 24, 13), missingBars: 1 },
    ]);
    // 2021-06-01..2024-12-31 is 1,310 days = 31,440 hours; 31,440 − 7 missing = 31,433 rows.
    expect(series.bars.length + 4 + 2 + 1).toBe(1310 * 24);
  });

  it("gapPolicy 'error' names the file and the first gap", () => {
    expect(() => loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h', gapPolicy: 'error' })).toThrow(
      /BTCUSDT_1h\.csv\.gz.*2021-08-13T02:00:00\.000Z\.\.2021-08-13T05:00:00\.000Z \(4 missing bars\)/,
    );
  });

  it('filters start ≤ closeTime ≤ end and detects gaps only inside the window', () => {
    const start = Date.UTC(2023, 2, 24, 12); // closeTime of the 11:00 bar
    const end = Date.UTC(2023, 2, 24, 16);
    const window = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h', start, end });
    expect(window.bars.map((b) => b.closeTime)).toEqual([12, 13, 15, 16].map((h) => Date.UTC(2023, 2, 24, h)));
    expect(window.gaps).toEqual([{ from: Date.UTC(2023, 2, 24, 13), to: Date.UTC(2023, 2, 24, 13), missingBars: 1 }]);
    const noGap = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h', start, end: Date.UTC(2023, 2, 24, 13), gapPolicy: 'error' });
    expect(noGap.gaps).toEqual([]);
  });

  it('missing timeframe file: DATA_MISSING listing what the crypto folder holds', () => {
    expect(() => loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '4h' })).toThrow(/BTCUSDT_1h\.csv\.gz/);
  });
});

describe('loadBars on bundled stocks', () => {
  const tsla = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'TSLA', timeframe: '1d' });

  it('loads 1,258 daily bars with no gaps reported (weekends/holidays are not gaps)', () => {
    expect(tsla.bars).toHaveLength(1258);
    expect(tsla.gaps).toEqual([]);
  });

  it('winter day: 09:30–16:00 EST = 14:30–21:00 UTC (2020-01-02, first row)', () => {
    const first = tsla.bars[0];
    expect(first?.openTime).toBe(Date.UTC(2020, 0, 2, 14, 30));
    expect(first?.closeTime).toBe(Date.UTC(2020, 0, 2, 21, 0));
    expect(first?.close).toBe(28.684);
  });

  it('summer day: 09:30–16:00 EDT = 13:30–20:00 UTC (2024-12-17 is winter; 2024-07-16 summer)', () => {
    const july = tsla.bars.find((b) => b.openTime === Date.UTC(2024, 6, 16, 13, 30));
    expect(july?.closeTime).toBe(Date.UTC(2024, 6, 16, 20, 0));
    const december = tsla.bars.find((b) => b.openTime === Date.UTC(2024, 11, 17, 14, 30));
    expect(december?.close).toBeCloseTo(479.86, 2); // data/README spot check: TSLA 2024-12-17 close 479.86
  });

  it('refuses non-daily timeframes for stocks', () => {
    expect(() => loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'TSLA', timeframe: '1h' })).toThrow(ConfigError);
  });
});

describe('loadBars row validation', () => {
  const good = '2024-01-01T00:00:00Z,100,110,90,105,3';

  it('accepts a valid file and computes closeTime = openTime + 1h', () => {
    const series = loadBars({ dataDir: cryptoDir([good, '2024-01-01T01:00:00Z,105,106,104,104.5,0']), symbol: 'BTC/USDT', timeframe: '1h' });
    expect(series.bars.map((b) => [b.openTime, b.closeTime])).toEqual([
      [Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 0) + H],
      [Date.UTC(2024, 0, 1, 1), Date.UTC(2024, 0, 1, 1) + H],
    ]);
  });

  it.each([
    ['bad header', [good], 'timestamp,open,high,low,close', 1, 'header'],
    ['unparseable timestamp', ['2024-13-45 00:00,100,110,90,105,3'], HEADER, 2, 'timestamp'],
    ['non-numeric open', [good, '2024-01-01T01:00:00Z,abc,110,90,105,3'], HEADER, 3, 'open'],
    ['empty close', [good, '2024-01-01T01:00:00Z,100,110,90,,3'], HEADER, 3, 'close'],
    ['infinite high', ['2024-01-01T00:00:00Z,100,1e999,90,105,3'], HEADER, 2, 'high'],
    ['low above open', ['2024-01-01T00:00:00Z,100,110,101,105,3'], HEADER, 2, 'low'],
    ['high below close', ['2024-01-01T00:00:00Z,100,104,90,105,3'], HEADER, 2, 'high'],
    ['negative volume', ['2024-01-01T00:00:00Z,100,110,90,105,-1'], HEADER, 2, 'volume'],
    ['timestamp off the 1h grid', ['2024-01-01T00:30:00Z,100,110,90,105,3'], HEADER, 2, 'timestamp'],
  ])('%s → DataError at line %#', (_name, rows, header, line, column) => {
    const error = loadError(cryptoDir(rows, header));
    expect(error.code).toBe('DATA_INVALID');
    expect(error.location.line).toBe(line);
    expect(error.location.column).toBe(column);
    expect(error.location.file).toMatch(/crypto\/BTCUSDT_1h\.csv$/);
  });

  it('the message names file, line, column, value and expectation', () => {
    const error = loadError(cryptoDir([good, '2024-01-01T01:00:00Z,100,110,101,105,3']));
    expect(error.message).toMatch(/BTCUSDT_1h\.csv, line 3, low: got "101", expected low ≤ min\(open, close\) = 100/);
    expect(error.value).toBe('101');
  });

  it('equal timestamps → DATA_DUPLICATE; decreasing → DATA_ORDER', () => {
    const duplicate = loadError(cryptoDir([good, good]));
    expect([duplicate.code, duplicate.location.line]).toEqual(['DATA_DUPLICATE', 3]);
    const order = loadError(cryptoDir(['2024-01-01T05:00:00Z,100,110,90,105,3', good]));
    expect([order.code, order.location.line]).toEqual(['DATA_ORDER', 3]);
  });

  it('validates stock rows too (bad date)', () => {
    const dir = tempDir();
    writeText(dir, 'stocks/TSLA_1d.csv.gz', 'date,open,high,low,close,volume\n2024-02-30,1,1,1,1,1\n');
    expect(() => loadBars({ dataDir: dir, symbol: 'TSLA', timeframe: '1d' })).toThrow(/TSLA_1d\.csv\.gz, line 2, date/);
  });

  it('rejects start > end and unknown gap policies as ConfigError', () => {
    const dir = cryptoDir([good]);
    expect(() => loadBars({ dataDir: dir, symbol: 'BTC/USDT', timeframe: '1h', start: 2, end: 1 })).toThrow(ConfigError);
    expect(() => loadBars({ dataDir: dir, symbol: 'BTC/USDT', timeframe: '1h', gapPolicy: 'fill' as 'keep' })).toThrow(/gapPolicy/);
  });
});

describe('every bundled file validates', () => {
  it.each(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'DOGE/USDT'])('%s 1h: 31,433 bars, the same 3 outages (data/README)', (symbol) => {
    const series = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol, timeframe: '1h' });
    expect(series.bars).toHaveLength(31_433);
    expect(series.gaps.map((g) => g.missingBars)).toEqual([4, 2, 1]);
  });

  it.each([
    ['TSLA', 1258],
    ['NFLX', 1258],
    ['AMZN', 1258],
    ['MSFT', 1258],
    ['COIN', 936],
    ['SPY', 1258],
    ['QQQ', 1258],
  ])('%s 1d: %i bars', (symbol, rows) => {
    expect(loadBars({ dataDir: BUNDLED_DATA_DIR, symbol, timeframe: '1d' }).bars).toHaveLength(rows);
  });
});
