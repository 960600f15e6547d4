import { describe, it, expect } from 'vitest';
import { loadBars } from '@trading-ml/market-data';
import { DEFAULT_DATA_DIR } from './command.js';
import { WARM_UP_BARS, loadAblationData, newsFor } from './data.js';

const HOUR = 3_600_000;
const start = Date.UTC(2024, 0, 1);
const end = Date.UTC(2024, 1, 1);

describe('loadAblationData', () => {
  const data = loadAblationData({ dataDir: DEFAULT_DATA_DIR, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '4h', start, end, conditions: ['A'] });

  it('loads 300 warm-up bars before start and nothing that closes after end', () => {
    for (const symbol of data.symbols) {
      expect(symbol.warmUpBars).toBe(WARM_UP_BARS);
      // WARM_UP_BARS bars close before start; the bar closing at start is the first decision.
      expect(symbol.bars[0]!.openTime).toBe(start - (WARM_UP_BARS + 1) * 4 * HOUR);
      expect(symbol.bars[symbol.bars.length - 1]!.closeTime).toBe(end);
      expect(symbol.bars.every((bar) => bar.closeTime - bar.openTime === 4 * HOUR)).toBe(true);
    }
    expect(data.periodsPerYear).toBe(2190); // 6 four-hour bars × 365 days
    expect(data.news).toBeUndefined();
  });

  it('uses BTC/USDT as the reference of ETH and none for BTC itself', () => {
    const [btc, eth] = data.symbols;
    expect(btc!.referenceBars).toBeUndefined();
    expect(eth!.referenceBars).toBe(btc!.bars);
  });

  it('builds each 4h bar from the four hourly bars of the file (open first, high max, low min, close last, volume sum)', () => {
    const hourly = loadBars({ dataDir: DEFAULT_DATA_DIR, symbol: 'ETH/USDT', timeframe: '1h', start: start + HOUR, end: start + 4 * HOUR }).bars;
    expect(hourly).toHaveLength(4);
    const bar = data.symbols[1]!.bars.find((candidate) => candidate.openTime === start)!;
    expect(bar.open).toBe(hourly[0]!.open);
    expect(bar.high).toBe(Math.max(...hourly.map((h) => h.high)));
    expect(bar.low).toBe(Math.min(...hourly.map((h) => h.low)));
    expect(bar.close).toBe(hourly[3]!.close);
    expect(bar.volume).toBeCloseTo(hourly.reduce((sum, h) => sum + h.volume, 0), 9);
  });
});

describe('newsFor', () => {
  it("keeps the symbol's own and market-wide headlines, in order", () => {
    const item = (time: number, symbol: string) => ({ time, symbol, source: 's', headline: 'h', url: 'u' });
    const news = [item(1, 'BTC'), item(2, 'ETH'), item(3, 'CRYPTO'), item(4, 'BTC')];
    expect(newsFor(news, 'BTC/USDT').map((n) => n.time)).toEqual([1, 3, 4]);
  });
});
