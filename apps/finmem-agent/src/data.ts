/**
 * Loads what one FinMem run reads from the bundled files: daily bars (stock files as they are, crypto hourly files
 * resampled to UTC days) from a warm-up period before --start to --end, and the symbol's headlines over the same
 * span (crypto adds the market-wide 'CRYPTO' headlines).
 */
import { DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { dayLabel } from '@trading-ml/llm-reasoning';
import { loadBars, loadNews, resampleBars } from '@trading-ml/market-data';
import type { NewsItem } from '@trading-ml/market-data';

/** Calendar days loaded before --start: the first decision then has a previous close and a complete last week and month. */
export const WARM_UP_DAYS = 70;

const DAY_MS = 86_400_000;

/** What a run reads. */
export interface RunData {
  /** Daily bars from the warm-up start to the last bar whose day is ≤ --end. */
  readonly bars: readonly Bar[];
  /** Indices into `bars` of the window's first and last bar (the decision days). */
  readonly first: number;
  readonly last: number;
  readonly headlines: readonly NewsItem[];
  readonly source: string;
}

/**
 * Loads bars and headlines for one symbol and window.
 * @param request - data folder, symbol ('TSLA' or 'BTC/USDT'), market, window days 'YYYY-MM-DD' (inclusive).
 * @returns the daily bars with the window's index range, and the headlines (time-sorted).
 * @throws DataError (code DATA_MISSING) when no bar falls in the window; loader errors pass through.
 * @see libs/market-data/README.md
 * @example
 * const data = loadRunData({ dataDir: 'data', symbol: 'TSLA', market: 'stock', start: '2023-07-01', end: '2023-07-31' });
 */
export function loadRunData(request: { dataDir: string; symbol: string; market: 'stock' | 'crypto'; start: string; end: string }): RunData {
  const from = Date.parse(`${request.start}T00:00:00Z`) - WARM_UP_DAYS * DAY_MS;
  const until = Date.parse(`${request.end}T00:00:00Z`) + 2 * DAY_MS; // the last day's bar closes by then
  let bars: Bar[];
  let source: string;
  if (request.market === 'crypto') {
    const hourly = loadBars({ dataDir: request.dataDir, symbol: request.symbol, timeframe: '1h', start: from, end: until });
    bars = resampleBars(hourly.bars, '1h', '1d');
    source = hourly.source;
  } else {
    const daily = loadBars({ dataDir: request.dataDir, symbol: request.symbol, timeframe: '1d', start: from, end: until });
    bars = [...daily.bars];
    source = daily.source;
  }
  bars = bars.filter((bar) => dayLabel(bar) <= request.end);
  const first = bars.findIndex((bar) => dayLabel(bar) >= request.start);
  if (first < 0) {
    throw new DataError({ code: 'DATA_MISSING', location: { file: source }, value: `${request.start}..${request.end}`, expected: `at least one ${request.symbol} bar between --start and --end` });
  }
  const base = request.symbol.split('/')[0] as string;
  const headlines = loadNews({ dataDir: request.dataDir, symbols: request.market === 'crypto' ? [base, 'CRYPTO'] : [base], start: from, end: until });
  return { bars, first, last: bars.length - 1, headlines, source };
}
