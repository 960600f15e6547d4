/**
 * The reference asset's bars (BTC/USDT) for the other symbols' cross-asset features, as the ablation feeds them:
 * the reference bar closing at the same time as the symbol's bar, or null when there is none.
 */
import { TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { fetchOhlcvRange } from '@trading-ml/market-data';
import type { OhlcvExchange } from '@trading-ml/market-data';

/** Where the strategy gets the reference bar of a close. */
export interface ReferenceFeed {
  /** The reference symbol, 'BTC/USDT'; its own engine gets no reference. */
  readonly symbol: string;
  /**
   * @param closeTime - a closed bar's closeTime, UTC ms (never in the future).
   * @returns the reference bar with exactly that closeTime, or null when the source has none (a gap).
   */
  barAt(closeTime: number): Bar | null | Promise<Bar | null>;
  /** Offers a reference bar the loop already has (the reference symbol's own step), saving a fetch. */
  remember(bar: Bar): void;
}

/**
 * A reference feed over bars in memory (the bundled file).
 * @example
 * const feed = new MemoryReferenceFeed('BTC/USDT', btcBars);
 * feed.barAt(btcBars[10].closeTime); // btcBars[10]
 */
export class MemoryReferenceFeed implements ReferenceFeed {
  private readonly byClose = new Map<number, Bar>();

  /**
   * @param symbol - the reference symbol.
   * @param bars - its bars (any order).
   */
  constructor(readonly symbol: string, bars: readonly Bar[]) {
    for (const bar of bars) this.byClose.set(bar.closeTime, bar);
  }

  barAt(closeTime: number): Bar | null {
    return this.byClose.get(closeTime) ?? null;
  }

  remember(): void {
    // Every bar is already in memory.
  }
}

/** Reference bars kept in the cache of {@link ExchangeReferenceFeed}; older ones are dropped first. */
const CACHE_BARS = 5000;

/**
 * A reference feed that downloads the reference symbol's closed bars through the exchange on a cache miss (one
 * paged range download from the missed bar to the newest closed one), so a warm-up of a thousand bars costs a
 * couple of requests, not a thousand.
 *
 * @example
 * const feed = new ExchangeReferenceFeed({ exchange, symbol: 'BTC/USDT', timeframe: '4h', now: () => Date.now() });
 * await feed.barAt(Date.UTC(2026, 0, 1, 8)); // the BTC/USDT 4h bar closing then
 */
export class ExchangeReferenceFeed implements ReferenceFeed {
  readonly symbol: string;
  private readonly options: { exchange: OhlcvExchange; timeframe: Timeframe; now: () => number; retries?: number; minRetryDelayMs?: number };
  private readonly byClose = new Map<number, Bar>();

  /**
   * @param options - exchange, reference symbol, timeframe, the loop's clock (UTC ms) and the retry policy of
   *   the downloads (see fetchOhlcvRange).
   */
  constructor(options: { exchange: OhlcvExchange; symbol: string; timeframe: Timeframe; now: () => number; retries?: number; minRetryDelayMs?: number }) {
    this.symbol = options.symbol;
    this.options = options;
  }

  /**
   * @throws ExchangeError when the exchange cannot be reached after the retries (the iteration then fails and is
   *   retried at the next interval, so a feature is never silently computed without its reference).
   */
  async barAt(closeTime: number): Promise<Bar | null> {
    const hit = this.byClose.get(closeTime);
    if (hit !== undefined) return hit;
    const { exchange, timeframe, now, retries, minRetryDelayMs } = this.options;
    const barMs = TIMEFRAME_MS[timeframe];
    const time = now();
    const newestOpen = Math.floor(time / barMs) * barMs - barMs;
    if (closeTime - barMs > newestOpen) return null;
    const bars = await fetchOhlcvRange({
      exchange, symbol: this.symbol, timeframe, since: closeTime - barMs, until: newestOpen, now: time,
      ...(retries !== undefined ? { retries } : {}), ...(minRetryDelayMs !== undefined ? { minRetryDelayMs } : {}),
    });
    for (const bar of bars) this.remember(bar);
    return this.byClose.get(closeTime) ?? null;
  }

  remember(bar: Bar): void {
    this.byClose.set(bar.closeTime, bar);
    if (this.byClose.size > CACHE_BARS) {
      const oldest = Math.min(...this.byClose.keys());
      this.byClose.delete(oldest);
    }
  }
}
