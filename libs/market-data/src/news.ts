import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, DataError } from '@trading-ml/core';
import { forEachCsvRecord, readCsvText, resolveCsvPath } from './csv-source.js';
import { parseIsoTimestamp } from './field-converters.js';
import type { NewsItem } from './types.js';

const NEWS_HEADER = ['timestamp', 'symbol', 'source', 'headline', 'url'] as const;

/** Column 0 arrives converted by {@link parseIsoTimestamp}: undefined = wrong shape, NaN = not a real instant. */
const newsRow = z.tuple([
  z.number({
    error: (issue) => (issue.input === undefined ? "an ISO-8601 UTC timestamp such as '2022-01-01T12:00:00Z'" : 'a valid calendar timestamp'),
  }),
  z.string().regex(/^[A-Z0-9.]{1,12}$/, "an upper-case ticker such as 'BTC', 'TSLA' or 'CRYPTO'"),
  z.string().trim().min(1, 'a non-empty source name'),
  z.string().trim().min(1, 'a non-empty headline'),
  z.string().regex(/^(https?:\/\/\S+)?$/, 'an http(s) URL or an empty field'),
]);

/** Options of {@link loadNews}. */
export interface LoadNewsOptions {
  /** Folder holding `news/news_headlines.csv[.gz]`. */
  readonly dataDir: string;
  /**
   * Keep only these symbols: 'BTC', 'BTC/USDT' (the base is used), 'TSLA', 'CRYPTO' (market-wide crypto news).
   * Market-wide 'CRYPTO' rows are not added implicitly; list 'CRYPTO' to get them. All symbols when omitted.
   */
  readonly symbols?: readonly string[];
  /** Keep items with time ≥ start (UTC ms). */
  readonly start?: number;
  /** Keep items with time ≤ end (UTC ms). */
  readonly end?: number;
}

/**
 * Loads the bundled headlines, validating every row, sorted by publication time (ties keep file order).
 * A headline is known from its timestamp on, never before; consumers must only use items with time ≤ the bar close.
 *
 * @param options - See {@link LoadNewsOptions}.
 * @returns Validated {@link NewsItem}s, time in UTC ms, ascending.
 * @throws DataError 'DATA_MISSING' when the file is absent; 'DATA_INVALID' with file, line and column for a bad row.
 * @throws ConfigError when start > end.
 * @see data/README.md, section news/news_headlines.csv (sources, coverage, licences).
 * @example
 * const btcNews = loadNews({ dataDir: 'data', symbols: ['BTC/USDT', 'CRYPTO'], end: Date.UTC(2022, 0, 1) });
 * btcNews[0].headline; // first BTC or market-wide headline
 */
export function loadNews(options: LoadNewsOptions): NewsItem[] {
  const { dataDir, symbols, start, end } = options;
  if (start !== undefined && end !== undefined && start > end) {
    throw new ConfigError({ parameter: 'start', value: start, expected: `a time ≤ end (${end})` });
  }
  const wanted = symbols === undefined ? undefined : new Set(symbols.map((s) => (s.trim().toUpperCase().split('/')[0] ?? '')));
  const source = resolveCsvPath(join(dataDir, 'news', 'news_headlines.csv'));
  const items: NewsItem[] = [];
  forEachCsvRecord(readCsvText(source), source, NEWS_HEADER, (record) => {
    const [timestamp = '', ...rest] = record.fields;
    const result = newsRow.safeParse([parseIsoTimestamp(timestamp), ...rest]);
    if (!result.success) {
      const issue = result.error.issues[0];
      const index = typeof issue?.path[0] === 'number' ? issue.path[0] : 0;
      throw new DataError({
        location: { file: source, line: record.line, column: NEWS_HEADER[index] },
        value: record.fields[index],
        expected: issue?.message ?? 'a valid news row',
      });
    }
    const [time, symbol, itemSource, headline, url] = result.data;
    if (wanted !== undefined && !wanted.has(symbol)) return;
    if ((start !== undefined && time < start) || (end !== undefined && time > end)) return;
    items.push({ time, symbol, source: itemSource, headline, url });
  });
  return items.sort((a, b) => a.time - b.time);
}
