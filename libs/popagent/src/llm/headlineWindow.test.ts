import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';
import { HeadlineWindow } from './headlineWindow.js';

const HOUR = 3_600_000;
const T = Date.UTC(2024, 0, 10); // a decision close

function item(time: number, headline: string, symbol = 'BTC'): NewsItem {
  return { time, symbol, source: 'test', headline, url: '' };
}

describe('HeadlineWindow', () => {
  const news = [
    item(T + HOUR, 'after the close'),
    item(T, 'stamped exactly at the close'),
    item(T - 1, 'one ms before the close'),
    item(T - 2 * HOUR, 'two hours before'),
    item(T - 3 * HOUR, 'market-wide', 'CRYPTO'),
    item(T - 4 * HOUR, 'another coin', 'ETH'),
    item(T - 25 * HOUR, 'older than a day'),
  ];

  it('shows only headlines published strictly before the close, newest first, within 24 h, for the base and CRYPTO', () => {
    const window = new HeadlineWindow({ news, symbol: 'BTC/USDT' });
    expect(window.before(T, 10).map((n) => n.headline)).toEqual(['one ms before the close', 'two hours before', 'market-wide']);
  });

  it('keeps at most `limit`, the newest', () => {
    const window = new HeadlineWindow({ news, symbol: 'BTC/USDT' });
    expect(window.before(T, 2).map((n) => n.headline)).toEqual(['one ms before the close', 'two hours before']);
    expect(window.before(T, 0)).toEqual([]);
  });

  it('sees a headline from the first close strictly after its time on', () => {
    const window = new HeadlineWindow({ news, symbol: 'btc/usdt' });
    expect(window.before(T + HOUR, 1)[0]!.headline).toBe('stamped exactly at the close');
    expect(window.before(T + HOUR + 1, 1)[0]!.headline).toBe('after the close');
  });

  it('honours another look-back and keeps the input order among equal times', () => {
    const tied = [item(T - HOUR, 'first'), item(T - HOUR, 'second')];
    const window = new HeadlineWindow({ news: [...news, ...tied], symbol: 'BTC/USDT', windowMs: 26 * HOUR });
    expect(window.before(T, 10).map((n) => n.headline)).toEqual(['one ms before the close', 'second', 'first', 'two hours before', 'market-wide', 'older than a day']);
    expect(() => new HeadlineWindow({ news, symbol: 'BTC/USDT', windowMs: 0 })).toThrow(ConfigError);
  });
});
