import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExchangeError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { fixedClock, roundToMarket } from '@trading-ml/live';
import { BUNDLED_MIN_NOTIONAL, BundledExchange, loadBundledBars } from './bundled-exchange.js';

const DATA = fileURLToPath(new URL('../../../../data', import.meta.url));
const H = 3_600_000;
/** Hourly bars from 2024-01-01T00:00Z with close 100 + i. */
const bars: Bar[] = Array.from({ length: 10 }, (_, i) => ({ openTime: Date.UTC(2024, 0, 1) + i * H, closeTime: Date.UTC(2024, 0, 1) + (i + 1) * H, open: 100 + i, high: 101 + i, low: 99 + i, close: 100 + i, volume: 1 }));

describe('BundledExchange', () => {
  it('serves only bars closed by the clock, from `since`, at most `limit`', async () => {
    const clock = fixedClock(bars[4]!.closeTime); // 05:00: bars 0..4 have closed
    const exchange = new BundledExchange(new Map([['BTC/USDT', bars]]), '1h', clock);
    const all = await exchange.fetchOHLCV('BTC/USDT', '1h');
    expect(all.map((row) => row[4])).toEqual([100, 101, 102, 103, 104]);
    expect(all[0]).toEqual([bars[0]!.openTime, 100, 101, 99, 100, 1]);
    expect((await exchange.fetchOHLCV('BTC/USDT', '1h', bars[2]!.openTime, 2)).map((row) => row[4])).toEqual([102, 103]);
    clock.set(bars[4]!.closeTime - 1); // one ms before bar 4 closes, it does not exist yet
    expect((await exchange.fetchOHLCV('BTC/USDT', '1h', bars[3]!.openTime)).map((row) => row[4])).toEqual([103]);
    expect(exchange.firstClose).toBe(bars[0]!.closeTime);
    expect(exchange.lastClose).toBe(bars[9]!.closeTime);
  });

  it('truncates amounts to 8 decimals (never up), checks the minimum notional, and rejects orders and unknown symbols', async () => {
    const exchange = new BundledExchange(new Map([['BTC/USDT', bars]]), '1h', fixedClock(0));
    expect(exchange.amountToPrecision('BTC/USDT', 0.123456789)).toBe('0.12345678');
    expect(exchange.amountToPrecision('BTC/USDT', 0.1 + 0.2)).toBe('0.30000000'); // 0.30000000000000004
    expect(exchange.amountToPrecision('BTC/USDT', 2.999999999)).toBe('2.99999999');
    // 0.04 BTC at 100 = 4 quote < the 5 quote minimum; 0.06 at 100 = 6 quote passes.
    expect(roundToMarket(exchange, 'BTC/USDT', 0.04, 100)).toEqual({ skip: `notional 4.00000000 below the market minimum cost ${BUNDLED_MIN_NOTIONAL}` });
    expect(roundToMarket(exchange, 'BTC/USDT', 0.06, 100)).toEqual({ quantity: 0.06 });
    expect(() => exchange.market('DOGE/USDT')).toThrow(ConfigError);
    await expect(exchange.fetchOHLCV('BTC/USDT', '4h')).rejects.toThrow(/serves 1h bars, not 4h/);
    await expect(exchange.createOrder()).rejects.toSatisfy((error: unknown) => error instanceof ExchangeError && !error.retryable);
  });

  it('loadBundledBars resamples the hourly file on UTC buckets (data/README spot check: BTC closed 2022-11-09 at 15,922.81)', () => {
    const daily = loadBundledBars(DATA, 'BTC/USDT', '1d');
    const day = daily.find((bar) => bar.openTime === Date.UTC(2022, 10, 9));
    expect(day?.close).toBe(15_922.81);
    expect(day?.low).toBe(15_588); // "day low 15,588" in data/README.md
    expect(day?.closeTime).toBe(Date.UTC(2022, 10, 10));
  });
});
