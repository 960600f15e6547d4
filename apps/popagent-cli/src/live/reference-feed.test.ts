import { describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import { fixedClock } from '@trading-ml/live';
import { BundledExchange } from './bundled-exchange.js';
import { ExchangeReferenceFeed, MemoryReferenceFeed } from './reference-feed.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
/** 1500 hourly bars (close = 1000 + i) with bar 700 missing, an exchange outage. */
const bars: Bar[] = Array.from({ length: 1500 }, (_, i) => ({ openTime: T0 + i * H, closeTime: T0 + (i + 1) * H, open: 1000 + i, high: 1001 + i, low: 999 + i, close: 1000 + i, volume: 1 })).filter((_, i) => i !== 700);

describe('reference feeds', () => {
  it('ExchangeReferenceFeed downloads a range once on a miss and answers the following closes from its cache', async () => {
    const clock = fixedClock(T0 + 1500 * H);
    const exchange = new BundledExchange(new Map([['BTC/USDT', bars]]), '1h', clock);
    let calls = 0;
    const counting = { id: 'counting', fetchOHLCV: (...args: Parameters<BundledExchange['fetchOHLCV']>) => (calls++, exchange.fetchOHLCV(...args)) };
    const feed = new ExchangeReferenceFeed({ exchange: counting, symbol: 'BTC/USDT', timeframe: '1h', now: () => clock.now() });
    for (let i = 500; i < 1500; i++) {
      const bar = await feed.barAt(T0 + (i + 1) * H);
      if (i === 700) expect(bar).toBeNull(); // the gap stays a gap (null, as in the ablation)
      else expect(bar?.close).toBe(1000 + i);
    }
    // 1000 closes: pages of 1000 bars from bar 500 (two pages) and one more from the gap: not 1000 requests.
    expect(calls).toBeLessThanOrEqual(4);
    expect(await feed.barAt(T0 + 1501 * H)).toBeNull(); // not closed yet: null without asking the exchange
    expect(calls).toBeLessThanOrEqual(4);
  });

  it('MemoryReferenceFeed answers by close time', () => {
    const feed = new MemoryReferenceFeed('BTC/USDT', bars);
    expect(feed.barAt(T0 + 3 * H)?.close).toBe(1002);
    expect(feed.barAt(T0 + 701 * H)).toBeNull();
  });
});
