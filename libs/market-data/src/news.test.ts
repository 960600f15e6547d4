import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@trading-ml/core';
import { loadNews } from './news.js';
import { BUNDLED_DATA_DIR, tempDir, writeText } from './testing/fixtures.js';

const HEADER = 'timestamp,symbol,source,headline,url';

describe('loadNews on the bundled file', () => {
  const all = loadNews({ dataDir: BUNDLED_DATA_DIR });

  it('loads all 8,976 rows (data/README), sorted by time', () => {
    expect(all).toHaveLength(8976);
    for (let i = 1; i < all.length; i++) expect((all[i] as { time: number }).time).toBeGreaterThanOrEqual((all[i - 1] as { time: number }).time);
    expect(all[0]).toEqual({
      time: Date.UTC(2021, 9, 12, 20, 0),
      symbol: 'CRYPTO',
      source: 'CryptoNews',
      headline: 'Celo to Be Fastest EVM Chain by End of 2022, Co-Founder Says',
      url: 'https://cryptonews.com/news/celo-to-be-fastest-evm-chain-by-end-of-2022-co-founder-says.htm',
    });
  });

  it('filters by symbol (pair spelling accepted) and time window', () => {
    const start = Date.UTC(2022, 0, 1);
    const end = Date.UTC(2022, 1, 1) - 1;
    const btc = loadNews({ dataDir: BUNDLED_DATA_DIR, symbols: ['BTC/USDT'], start, end });
    const expected = all.filter((n) => n.symbol === 'BTC' && n.time >= start && n.time <= end);
    expect(btc).toEqual(expected);
    expect(btc.length).toBeGreaterThan(0);
    expect(loadNews({ dataDir: BUNDLED_DATA_DIR, symbols: ['NFLX'] })).toEqual([]); // README: no NFLX headlines
  });
});

describe('loadNews validation', () => {
  function newsDir(rows: string[]): string {
    const dir = tempDir();
    writeText(dir, 'news/news_headlines.csv', [HEADER, ...rows].join('\n') + '\n');
    return dir;
  }

  it('sorts out-of-order rows and keeps quoted commas', () => {
    const dir = newsDir(['2022-01-02T00:00:00Z,BTC,X,"Later, with comma",https://a.b/2', '2022-01-01T00:00:00Z,ETH,X,Earlier,']);
    expect(loadNews({ dataDir: dir }).map((n) => [n.headline, n.url])).toEqual([
      ['Earlier', ''],
      ['Later, with comma', 'https://a.b/2'],
    ]);
  });

  it.each([
    ['2022-01-01,BTC,X,H,https://a.b', 'timestamp'],
    ['2022-01-01T00:00:00Z,,X,H,https://a.b', 'symbol'],
    ['2022-01-01T00:00:00Z,BTC,X,,https://a.b', 'headline'],
    ['2022-01-01T00:00:00Z,BTC,X,H,ftp://a.b', 'url'],
  ])('bad row %s → DataError at line 3, column %s', (row, column) => {
    const dir = newsDir(['2022-01-01T00:00:00Z,BTC,X,H,https://a.b', row]);
    try {
      loadNews({ dataDir: dir });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).location).toMatchObject({ line: 3, column });
    }
  });

  it('quoted headlines may hold commas, quotes and line breaks; a bad row after one is reported at its own line', () => {
    // line 2: one-line row; lines 3–4: a headline with a line break; line 5: bad url
    const dir = newsDir(['2022-01-01T00:00:00Z,BTC,X,"A ""quoted"", comma",', '2022-01-02T00:00:00Z,ETH,X,"two\nlines",', '2022-01-03T00:00:00Z,ETH,X,H,ftp://a.b']);
    try {
      loadNews({ dataDir: dir });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).location).toMatchObject({ line: 5, column: 'url' });
    }
    const ok = newsDir(['2022-01-01T00:00:00Z,BTC,X,"A ""quoted"", comma",', '2022-01-02T00:00:00Z,ETH,X,"two\nlines",']);
    expect(loadNews({ dataDir: ok }).map((n) => n.headline)).toEqual(['A "quoted", comma', 'two\nlines']);
  });

  it('an unterminated quote is a DataError at the line where it opens', () => {
    const dir = newsDir(['2022-01-01T00:00:00Z,BTC,X,H,', '2022-01-02T00:00:00Z,ETH,X,"no end,', '2022-01-03T00:00:00Z,ETH,X,H,']);
    expect(() => loadNews({ dataDir: dir })).toThrow(/news_headlines\.csv, line 3: .*expected well-formed CSV: a closing quote/);
  });

  it('missing file → DATA_MISSING; start > end → ConfigError', () => {
    expect(() => loadNews({ dataDir: tempDir() })).toThrow(expect.objectContaining({ code: 'DATA_MISSING' }));
    expect(() => loadNews({ dataDir: BUNDLED_DATA_DIR, start: 2, end: 1 })).toThrow(ConfigError);
  });
});
