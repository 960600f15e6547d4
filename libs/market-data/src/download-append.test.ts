// The rebuild flow of tools/fetch-data.ts, offline: load stored file → fetch from its last candle through a fake
// exchange → mergeBars (overlap must agree) → appendBarsCsv (new gzip member) → loadBars sees the union.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Bar } from '@trading-ml/core';
import { fetchOhlcvRange } from './fetch-ohlcv.js';
import type { OhlcvExchange } from './fetch-ohlcv.js';
import { loadBars } from './load-bars.js';
import { mergeBars } from './merge-bars.js';
import { appendBarsCsv, writeBarsCsv } from './write-bars.js';
import { BUNDLED_DATA_DIR, tempDir } from './testing/fixtures.js';

const real = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h', start: Date.UTC(2023, 2, 23), end: Date.UTC(2023, 2, 26) }).bars;

function exchangeServing(bars: readonly Bar[]): OhlcvExchange {
  return {
    id: 'fake',
    async fetchOHLCV(_symbol, _timeframe, since, limit) {
      return bars.filter((b) => b.openTime >= (since ?? 0)).slice(0, limit).map((b) => [b.openTime, b.open, b.high, b.low, b.close, b.volume]);
    },
  };
}

describe('download → merge → append', () => {
  it('extends a stored .gz file with exactly the missing closed candles, keeping the real outage as a gap', async () => {
    const dir = tempDir();
    const path = join(dir, 'crypto', 'BTCUSDT_1h.csv.gz');
    writeBarsCsv(path, real.slice(0, 20));
    const stored = loadBars({ dataDir: dir, symbol: 'BTC/USDT', timeframe: '1h' });
    const last = stored.bars.at(-1) as Bar;
    const now = (real.at(-1) as Bar).closeTime - 1; // the final candle is still forming
    const downloaded = await fetchOhlcvRange({ exchange: exchangeServing(real), symbol: 'BTC/USDT', timeframe: '1h', since: last.openTime, until: now, now, limit: 25 });
    const { appended } = mergeBars(stored.bars, downloaded);
    appendBarsCsv(path, appended);
    const after = loadBars({ dataDir: dir, symbol: 'BTC/USDT', timeframe: '1h' });
    expect(after.bars).toEqual(real.slice(0, -1));
    expect(after.gaps).toEqual([{ from: Date.UTC(2023, 2, 24, 13), to: Date.UTC(2023, 2, 24, 13), missingBars: 1 }]);
  });

  it('refuses to append when the exchange disagrees with the stored last candle', async () => {
    const stored = real.slice(0, 20);
    const tampered = real.map((b, i) => (i === 19 ? { ...b, close: b.close + 0.01, high: b.high + 0.01 } : b));
    const downloaded = await fetchOhlcvRange({ exchange: exchangeServing(tampered), symbol: 'BTC/USDT', timeframe: '1h', since: (stored.at(-1) as Bar).openTime, until: Date.UTC(2030, 0), now: Date.UTC(2030, 0) });
    expect(() => mergeBars(stored, downloaded)).toThrow(/stored history is never rewritten/);
  });
});
