/**
 * Loads one symbol's bars at every timeframe the system uses: 1m, 5m, 15m and 1h from the bundled files, 4h and 1d
 * resampled from 1h (UTC buckets). Gaps are kept and reported, never filled.
 */
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { loadBars, resampleBars } from '@trading-ml/market-data';
import type { Gap } from '@trading-ml/market-data';

/** Timeframes read from files; the others are resampled from 1h. */
const FILE_TIMEFRAMES: ReadonlySet<Timeframe> = new Set(['1m', '5m', '15m', '1h']);

/** One symbol's bars per timeframe. */
export interface SymbolBars {
  readonly symbol: string;
  readonly bars: Readonly<Partial<Record<Timeframe, readonly Bar[]>>>;
  /** Gaps inside each loaded series (resampled series inherit their 1h gaps: a bucket is built from what exists). */
  readonly gaps: Readonly<Partial<Record<Timeframe, readonly Gap[]>>>;
}

/**
 * Loads the bars of `timeframes` for one symbol, from `warmupBars` bars of each timeframe before `start` to `end`.
 *
 * @param options.dataDir - folder holding crypto/.
 * @param options.symbol - 'BTC/USDT'.
 * @param options.timeframes - timeframes to load.
 * @param options.start - first decision time, UTC ms.
 * @param options.end - last bar close, UTC ms (nothing after it is read).
 * @param options.warmupBars - bars of history each timeframe needs before `start` (indicators + window).
 * @returns the bars and gaps per timeframe.
 * @throws DataError when a file is missing or invalid; ConfigError when a timeframe has no bar in the window.
 * @example
 * const btc = loadSymbolBars({ dataDir: 'data', symbol: 'BTC/USDT', timeframes: ['1m', '1d'], start, end, warmupBars: 110 });
 */
export function loadSymbolBars(options: {
  readonly dataDir: string;
  readonly symbol: string;
  readonly timeframes: readonly Timeframe[];
  readonly start: number;
  readonly end: number;
  readonly warmupBars: number;
}): SymbolBars {
  const { dataDir, symbol, timeframes, start, end, warmupBars } = options;
  const bars: Partial<Record<Timeframe, readonly Bar[]>> = {};
  const gaps: Partial<Record<Timeframe, readonly Gap[]>> = {};
  // Align the first bucket so a resampled first bar is never built from a partial bucket.
  const firstOpen = (timeframe: Timeframe) => Math.floor((start - warmupBars * TIMEFRAME_MS[timeframe]) / TIMEFRAME_MS[timeframe]) * TIMEFRAME_MS[timeframe];
  // The hourly file is read once, over the longest history any timeframe built from it needs.
  const fromHourly = timeframes.filter((tf) => tf === '1h' || !FILE_TIMEFRAMES.has(tf));
  const hourly = fromHourly.length === 0 ? undefined : loadBars({ dataDir, symbol, timeframe: '1h', start: Math.min(...fromHourly.map(firstOpen)) + TIMEFRAME_MS['1h'], end });
  for (const timeframe of timeframes) {
    const from = firstOpen(timeframe);
    if (hourly !== undefined && (timeframe === '1h' || !FILE_TIMEFRAMES.has(timeframe))) {
      const own = hourly.bars.filter((bar) => bar.openTime >= from);
      bars[timeframe] = timeframe === '1h' ? own : resampleBars(own, '1h', timeframe);
      gaps[timeframe] = hourly.gaps.filter((gap) => gap.to >= from);
    } else {
      const series = loadBars({ dataDir, symbol, timeframe, start: from + TIMEFRAME_MS[timeframe], end });
      bars[timeframe] = series.bars;
      gaps[timeframe] = series.gaps;
    }
    const loaded = bars[timeframe] as readonly Bar[];
    if (loaded.length === 0 || (loaded[loaded.length - 1] as Bar).closeTime < start) {
      throw new ConfigError({
        parameter: `window ${new Date(start).toISOString()}..${new Date(end).toISOString()}`,
        value: `${symbol} ${timeframe}`,
        expected: `a window covered by the ${timeframe} data of ${symbol} (see data/README.md for the bundled windows)`,
      });
    }
  }
  return { symbol, bars, gaps };
}
