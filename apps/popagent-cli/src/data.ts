/**
 * Loads what one ablation needs from the bundled files: hourly bars per symbol with a warm-up period before
 * --start, resampled to the target timeframe; BTC/USDT as the reference asset of the other symbols; and the
 * news headlines once, when a news condition runs.
 */
import { DataError, PERIODS_PER_YEAR_24_7, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { loadBars, loadNews, resampleBars } from '@trading-ml/market-data';
import type { Gap, NewsItem } from '@trading-ml/market-data';
import type { Condition } from '@trading-ml/popagent';

/** Bars of the target timeframe loaded before --start so features and models are warm at the first decision. */
export const WARM_UP_BARS = 300;

/** The reference asset of every other crypto symbol (cross-asset correlation features). */
export const REFERENCE_SYMBOL = 'BTC/USDT';

/** Conditions whose agents read news headlines. */
const NEWS_CONDITIONS: readonly Condition[] = ['C', 'D'];

/** One symbol's bars, ready for `runPopAgent`. */
export interface SymbolData {
  readonly symbol: string;
  /** Target-timeframe bars from the warm-up start to --end (closeTime ≤ end). */
  readonly bars: readonly Bar[];
  /** BTC/USDT bars over the same span, or undefined for BTC itself. */
  readonly referenceBars?: readonly Bar[];
  /** Gaps in the hourly source file inside the loaded span (kept, never filled). */
  readonly gaps: readonly Gap[];
  /** Path of the hourly file. */
  readonly source: string;
  /** Bars before --start available for warm-up (fewer than WARM_UP_BARS when the file starts later). */
  readonly warmUpBars: number;
}

/** Everything the runs of one ablation read. */
export interface AblationData {
  readonly symbols: readonly SymbolData[];
  /** Headlines from the warm-up start to --end, or undefined when no news condition runs. */
  readonly news?: readonly NewsItem[];
  /** Bars per year of the target timeframe for a 24/7 market. */
  readonly periodsPerYear: number;
}

/** What to load. */
export interface DataRequest {
  readonly dataDir: string;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** First decision time, UTC ms. */
  readonly start: number;
  /** Last bar close time included, UTC ms. */
  readonly end: number;
  readonly conditions: readonly Condition[];
}

/** Loads one symbol's hourly bars over [from, end] and resamples them to `timeframe`. */
function loadSeries(request: DataRequest, symbol: string, from: number): { bars: Bar[]; gaps: readonly Gap[]; source: string } {
  const series = loadBars({ dataDir: request.dataDir, symbol, timeframe: '1h', start: from, end: request.end, gapPolicy: 'keep' });
  const hourly = series.bars.filter((bar) => bar.openTime >= from && bar.closeTime <= request.end);
  const bars = request.timeframe === '1h' ? hourly : [...resampleBars(hourly, '1h', request.timeframe)];
  const inRange = bars.filter((bar) => bar.openTime >= from && bar.closeTime <= request.end);
  const gaps = series.gaps.filter((gap) => gap.to >= from && gap.from <= request.end);
  return { bars: inRange, gaps, source: series.source };
}

/**
 * Loads bars (and news, for conditions C and D) for an ablation.
 *
 * @param request - data folder, ccxt symbols ('ETH/USDT'), target timeframe, --start/--end (UTC ms), and the
 *   conditions that will run.
 * @returns per symbol the target-timeframe bars from `WARM_UP_BARS` bars before `start` to `end`, the BTC/USDT
 *   reference bars (none for BTC), the gaps found; the news once; `periodsPerYear` = PERIODS_PER_YEAR_24_7.
 * @throws DataError (code DATA_MISSING) when a symbol has no bar after --start inside the window; errors of
 *   `loadBars`/`loadNews` (missing file, malformed row) pass through.
 * @see libs/market-data/README.md (file layout, gap policy, resampling)
 * @example
 * const data = loadAblationData({ dataDir: 'data', symbols: ['ETH/USDT'], timeframe: '4h',
 *   start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 2, 1), conditions: ['A'] });
 * data.symbols[0].referenceBars?.length; // BTC/USDT 4h bars over the same span
 */
export function loadAblationData(request: DataRequest): AblationData {
  // WARM_UP_BARS bars close before start; one more closes at start itself (the first decision).
  const from = request.start - (WARM_UP_BARS + 1) * TIMEFRAME_MS[request.timeframe];
  const loaded = new Map<string, { bars: Bar[]; gaps: readonly Gap[]; source: string }>();
  const get = (symbol: string) => {
    let series = loaded.get(symbol);
    if (series === undefined) {
      series = loadSeries(request, symbol, from);
      loaded.set(symbol, series);
    }
    return series;
  };
  const needsReference = request.symbols.some((symbol) => symbol !== REFERENCE_SYMBOL);
  const reference = needsReference ? get(REFERENCE_SYMBOL) : undefined;

  const symbols = request.symbols.map((symbol): SymbolData => {
    const series = get(symbol);
    const warmUpBars = series.bars.filter((bar) => bar.closeTime < request.start).length;
    if (series.bars.length - warmUpBars === 0) {
      throw new DataError({
        code: 'DATA_MISSING',
        location: { file: series.source },
        value: `${symbol}: no ${request.timeframe} bar between ${new Date(request.start).toISOString()} and ${new Date(request.end).toISOString()}`,
        expected: 'bars inside the --start/--end window',
      });
    }
    return {
      symbol,
      bars: series.bars,
      ...(symbol !== REFERENCE_SYMBOL && reference !== undefined ? { referenceBars: reference.bars } : {}),
      gaps: series.gaps,
      source: series.source,
      warmUpBars,
    };
  });

  const wantsNews = request.conditions.some((condition) => NEWS_CONDITIONS.includes(condition));
  const news = wantsNews
    ? loadNews({ dataDir: request.dataDir, symbols: [...request.symbols.map(baseOf), 'CRYPTO'], start: from, end: request.end })
    : undefined;
  return { symbols, ...(news !== undefined ? { news } : {}), periodsPerYear: PERIODS_PER_YEAR_24_7[request.timeframe] };
}

/** 'ETH/USDT' → 'ETH'. */
export function baseOf(symbol: string): string {
  return symbol.split('/')[0] ?? symbol;
}

/**
 * The headlines one symbol's agents may read: its own and market-wide ('CRYPTO') news.
 *
 * @param news - all loaded headlines, time-ordered.
 * @param symbol - ccxt symbol, e.g. 'SOL/USDT'.
 * @returns the items whose `symbol` is the base ('SOL') or 'CRYPTO', order kept.
 * @throws never.
 * @see libs/market-data/src/types.ts (NewsItem)
 * @example
 * newsFor([{ time: 0, symbol: 'ETH', source: 's', headline: 'h', url: 'u' }], 'BTC/USDT'); // []
 */
export function newsFor(news: readonly NewsItem[], symbol: string): NewsItem[] {
  const base = baseOf(symbol);
  return news.filter((item) => item.symbol === base || item.symbol === 'CRYPTO');
}
