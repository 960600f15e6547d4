/**
 * The bundled data as a read-only exchange, so `popagent live --source bundled` runs the very same live loop
 * (libs/live's LiveTrader) offline: the loop fetches "closed" bars from it exactly as it would from ccxt, and a
 * clock decides which bars exist yet. Orders are never sent to it (paper mode simulates them).
 */
import { ConfigError, ExchangeError } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import type { LiveExchange } from '@trading-ml/live';
import { loadBars, resampleBars } from '@trading-ml/market-data';

/** Amount decimals of the bundled markets: no exchange precision is known offline; 8 decimals is Binance's finest. */
const AMOUNT_DECIMALS = 8;
/** Smallest order notional, quote currency: Binance's usual spot minimum for USDT pairs. */
export const BUNDLED_MIN_NOTIONAL = 5;

/**
 * Reads one symbol's bundled hourly bars and resamples them to `timeframe`.
 *
 * @param dataDir - the data folder holding crypto/<BASE>USDT_1h.csv.gz.
 * @param symbol - 'BTC/USDT'.
 * @param timeframe - '1h', '4h' or '1d' (resampled on UTC buckets; an incomplete last bucket is dropped).
 * @returns bars in time order (UTC ms, prices in quote currency).
 * @throws DataError when the file is missing or malformed (from loadBars).
 * @example
 * const bars = loadBundledBars('data', 'ETH/USDT', '4h');
 */
export function loadBundledBars(dataDir: string, symbol: string, timeframe: Timeframe): Bar[] {
  const hourly = loadBars({ dataDir, symbol, timeframe: '1h', gapPolicy: 'keep' }).bars;
  return timeframe === '1h' ? [...hourly] : resampleBars(hourly, '1h', timeframe);
}

/**
 * A {@link LiveExchange} over bars held in memory (the bundled files): markets, amount precision and OHLCV only.
 * `fetchOHLCV` serves a bar only once `clock.now()` has reached its close, as a real exchange would, so the live
 * loop cannot see a bar before it closes even though the whole file is in memory.
 *
 * @example
 * const clock = fixedClock(Date.UTC(2024, 11, 31));
 * const exchange = new BundledExchange(new Map([['BTC/USDT', bars]]), '4h', clock);
 * await exchange.fetchOHLCV('BTC/USDT', '4h', Date.UTC(2024, 11, 30), 10); // [[openTime, o, h, l, c, v], …]
 */
export class BundledExchange implements LiveExchange {
  readonly id = 'bundled';
  private readonly bars: ReadonlyMap<string, readonly Bar[]>;
  private readonly timeframe: Timeframe;
  private readonly clock: { now(): number };

  /**
   * @param bars - per unified symbol ('BTC/USDT'), bars of `timeframe` in increasing time.
   * @param timeframe - the only timeframe served.
   * @param clock - the loop's clock (UTC ms); bars closing after `now()` are not served.
   */
  constructor(bars: ReadonlyMap<string, readonly Bar[]>, timeframe: Timeframe, clock: { now(): number }) {
    this.bars = bars;
    this.timeframe = timeframe;
    this.clock = clock;
  }

  /** The close time (UTC ms) of the newest bar every symbol has: the latest "now" the data supports. */
  get lastClose(): number {
    return Math.min(...[...this.bars.values()].map((bars) => bars[bars.length - 1]?.closeTime ?? -Infinity));
  }

  /** The close time (UTC ms) of the oldest bar every symbol has. */
  get firstClose(): number {
    return Math.max(...[...this.bars.values()].map((bars) => bars[0]?.closeTime ?? Infinity));
  }

  /** @returns the markets by symbol (nothing to download). */
  async loadMarkets(): Promise<Record<string, unknown>> {
    return Object.fromEntries([...this.bars.keys()].map((symbol) => [symbol, this.market(symbol)]));
  }

  /**
   * @param symbol - 'BTC/USDT'.
   * @returns a ccxt-shaped market: amount precision 1e-8, minimum cost {@link BUNDLED_MIN_NOTIONAL} quote.
   * @throws ConfigError for a symbol without bundled bars.
   */
  market(symbol: string): unknown {
    if (!this.bars.has(symbol)) {
      throw new ConfigError({ parameter: 'symbol', value: symbol, expected: `one of the bundled symbols ${[...this.bars.keys()].join(', ')}` });
    }
    const [base, quote] = symbol.split('/');
    return { id: symbol.replace('/', ''), symbol, base, quote, spot: true, precision: { amount: 10 ** -AMOUNT_DECIMALS }, limits: { amount: { min: 10 ** -AMOUNT_DECIMALS }, cost: { min: BUNDLED_MIN_NOTIONAL } } };
  }

  /**
   * @param symbol - a bundled symbol.
   * @param amount - base quantity.
   * @returns the amount truncated (never rounded up, as ccxt's TRUNCATE) to 8 decimals, as a decimal string.
   */
  amountToPrecision(symbol: string, amount: number): string {
    this.market(symbol);
    // toFixed(12) first, so binary noise such as 0.29999999999999998 truncates to 0.3, not 0.29999999.
    const [whole, fraction = ''] = Math.abs(amount).toFixed(12).split('.');
    const text = `${whole}.${fraction.slice(0, AMOUNT_DECIMALS)}`;
    return amount < 0 ? `-${text}` : text;
  }

  /**
   * Closed bars as ccxt OHLCV tuples.
   * @param symbol - a bundled symbol.
   * @param timeframe - must be the served timeframe.
   * @param since - first open time wanted, UTC ms (default: the first bar).
   * @param limit - most tuples returned (default 1000).
   * @returns `[openTime ms, open, high, low, close, volume]` with closeTime ≤ clock.now().
   * @throws ExchangeError (not retryable) for another timeframe or an unknown symbol.
   */
  async fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit = 1000): Promise<number[][]> {
    const bars = this.bars.get(symbol);
    if (bars === undefined) throw new ExchangeError({ exchange: this.id, retryable: false, message: `no bundled bars for ${symbol}` });
    if (timeframe !== undefined && timeframe !== this.timeframe) {
      throw new ExchangeError({ exchange: this.id, retryable: false, message: `the bundled source serves ${this.timeframe} bars, not ${timeframe}` });
    }
    const now = this.clock.now();
    const from = since ?? -Infinity;
    const out: number[][] = [];
    for (let i = firstIndexAtOrAfter(bars, from); i < bars.length && out.length < limit; i++) {
      const bar = bars[i]!;
      if (bar.closeTime > now) break;
      out.push([bar.openTime, bar.open, bar.high, bar.low, bar.close, bar.volume]);
    }
    return out;
  }

  /** @throws ExchangeError always: the bundled source is paper-only, the loop simulates its orders. */
  async createOrder(): Promise<never> {
    throw new ExchangeError({ exchange: this.id, retryable: false, message: 'the bundled data source takes no orders (paper mode simulates them)' });
  }

  /** @throws ExchangeError always (see {@link BundledExchange.createOrder}). */
  async fetchOrder(): Promise<never> {
    return this.createOrder();
  }
}

/** Index of the first bar with openTime ≥ time (binary search; bars sorted by openTime). */
function firstIndexAtOrAfter(bars: readonly Bar[], time: number): number {
  let low = 0;
  let high = bars.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (bars[middle]!.openTime < time) low = middle + 1;
    else high = middle;
  }
  return low;
}
