// Test helper: the bundled real bars (BTC/USDT 1h resampled to 4h). Not part of the library build.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bar } from '@trading-ml/core';
import { loadBars, loadNews, resampleBars } from '@trading-ml/market-data';
import type { NewsItem } from '@trading-ml/market-data';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../data');

const cache = new Map<string, Bar[]>();

/** Real 4h bars of a bundled pair ('BTC/USDT', 'ETH/USDT', …), resampled from the 1h file. */
export function realFourHourBars(symbol = 'BTC/USDT'): Bar[] {
  let bars = cache.get(symbol);
  if (bars === undefined) {
    bars = resampleBars(loadBars({ dataDir: DATA_DIR, symbol, timeframe: '1h' }).bars, '1h', '4h');
    cache.set(symbol, bars);
  }
  return bars;
}

/** Bundled headlines for a pair's base asset and market-wide crypto news. */
export function realNews(symbol = 'BTC/USDT'): NewsItem[] {
  return loadNews({ dataDir: DATA_DIR, symbols: [symbol, 'CRYPTO'] });
}
