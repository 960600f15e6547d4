import { join } from 'node:path';
import { ConfigError, DataError, isTimeframe } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { cryptoBarsFromCsv, stockBarsFromCsv } from './bar-rows.js';
import { readCsvText, resolveCsvPath } from './csv-source.js';
import { detectGaps } from './gaps.js';
import { barFileStem, isCryptoPair } from './symbols.js';
import type { BarSeries, Gap, GapPolicy } from './types.js';

/** Options of {@link loadBars}. */
export interface LoadBarsOptions {
  /** Folder holding `crypto/`, `stocks/`, `news/` (the repository's `data/`). */
  readonly dataDir: string;
  /** 'BTC/USDT' (crypto) or a stock ticker 'TSLA'; see `resolveSymbol` for CLI spellings. */
  readonly symbol: string;
  /** Bar timeframe of the file; stocks only have '1d'. */
  readonly timeframe: Timeframe;
  /** Keep bars with closeTime ≥ start (UTC ms). */
  readonly start?: number;
  /** Keep bars with closeTime ≤ end (UTC ms). */
  readonly end?: number;
  /** 'keep' (default) reports gaps in `BarSeries.gaps`; 'error' throws on the first gap. */
  readonly gapPolicy?: GapPolicy;
}

function formatGap(gap: Gap): string {
  return `${new Date(gap.from).toISOString()}..${new Date(gap.to).toISOString()} (${gap.missingBars} missing bars)`;
}

/**
 * Loads and validates one instrument's bars from the data directory.
 *
 * Crypto 'BASE/QUOTE' reads `crypto/BASEQUOTE_{timeframe}.csv[.gz]` (timestamp = candle open, UTC);
 * a stock ticker reads `stocks/TICKER_1d.csv[.gz]` with openTime 09:30 and closeTime 16:00 New York time.
 * Every row is validated; gaps are detected on crypto series and never filled.
 *
 * @param options - See {@link LoadBarsOptions}. `start`/`end` filter on closeTime (start ≤ closeTime ≤ end), the
 *   instant each bar becomes known.
 * @returns The validated series (bars sorted by time, gaps between the returned bars, source path).
 * @throws DataError 'DATA_MISSING' (no such file; lists the folder), 'DATA_INVALID' (bad header or value, with
 *   file/line/column), 'DATA_DUPLICATE' / 'DATA_ORDER' (time not strictly increasing), 'DATA_GAP' (gapPolicy 'error').
 * @throws ConfigError for an unknown timeframe, a stock with a timeframe other than '1d', or start > end.
 * @see data/README.md for the file layout and provenance.
 * @example
 * const btc = loadBars({ dataDir: 'data', symbol: 'BTC/USDT', timeframe: '1h' });
 * btc.bars.length; // 31,433
 * btc.gaps[0];     // { from: Date.UTC(2021, 7, 13, 2), to: Date.UTC(2021, 7, 13, 5), missingBars: 4 }
 */
export function loadBars(options: LoadBarsOptions): BarSeries {
  const { dataDir, symbol, timeframe, start, end, gapPolicy = 'keep' } = options;
  if (!isTimeframe(timeframe)) {
    throw new ConfigError({ parameter: 'timeframe', value: timeframe, expected: "one of '1m', '5m', '15m', '1h', '4h', '1d'" });
  }
  if (gapPolicy !== 'keep' && gapPolicy !== 'error') {
    throw new ConfigError({ parameter: 'gapPolicy', value: gapPolicy, expected: "'keep' or 'error'" });
  }
  if (start !== undefined && end !== undefined && start > end) {
    throw new ConfigError({ parameter: 'start', value: start, expected: `a time ≤ end (${end})` });
  }
  const { folder, fileName } = barFileStem(symbol, timeframe);
  const source = resolveCsvPath(join(dataDir, folder, fileName));
  const crypto = isCryptoPair(symbol);
  const text = readCsvText(source);
  const all = crypto ? cryptoBarsFromCsv(text, source, timeframe) : stockBarsFromCsv(text, source);
  const bars: Bar[] = all.filter((bar) => (start === undefined || bar.closeTime >= start) && (end === undefined || bar.closeTime <= end));
  const gaps = crypto ? detectGaps(bars, timeframe) : [];
  const firstGap = gaps[0];
  if (gapPolicy === 'error' && firstGap !== undefined) {
    throw new DataError({
      code: 'DATA_GAP',
      location: { file: source, column: 'timestamp' },
      value: formatGap(firstGap),
      expected: `no missing ${timeframe} bars (found ${gaps.length} gap${gaps.length === 1 ? '' : 's'}; use gapPolicy 'keep' to load them as gaps)`,
    });
  }
  return { symbol, timeframe, bars, gaps, source };
}
