import { ConfigError } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';
import { baseAsset } from '../sentiment.js';

/** 24 hours in ms: the default look-back of the headlines put in a condition-D prompt. */
export const HEADLINE_WINDOW_MS = 24 * 3_600_000;

/**
 * The headlines a decision at one close may show the LLM: about the symbol's base asset or the whole market
 * ('CRYPTO'), published STRICTLY before the decision time (a headline stamped at the close itself, or later,
 * is not known yet), within a look-back window, newest first.
 *
 * @see The same point-in-time rule as `NewsSentiment` (tᵢ < t); NautilusTrader `docs/concepts/backtesting.md`.
 * @example
 * const window = new HeadlineWindow({ news, symbol: 'BTC/USDT' });
 * window.before(bar.closeTime, 8); // ≤ 8 items with time < closeTime, newest first
 */
export class HeadlineWindow {
  private readonly items: readonly NewsItem[];
  private readonly times: Float64Array;
  private readonly windowMs: number;

  /**
   * @param options.news - any headlines (any order, any symbol); not modified.
   * @param options.symbol - 'BTC/USDT' or a ticker; only its base asset's and 'CRYPTO' headlines are kept.
   * @param options.windowMs - look-back in ms (default 24 h).
   * @throws ConfigError when windowMs is not positive.
   */
  constructor(options: { news: readonly NewsItem[]; symbol: string; windowMs?: number }) {
    this.windowMs = options.windowMs ?? HEADLINE_WINDOW_MS;
    if (!(this.windowMs > 0)) throw new ConfigError({ parameter: 'headlineWindowMs', value: this.windowMs, expected: 'a positive duration in ms' });
    const base = baseAsset(options.symbol);
    // Stable sort on time: equal times keep the input order, so the prompt is the same on every run.
    this.items = options.news
      .filter((item) => item.symbol.toUpperCase() === base || item.symbol.toUpperCase() === 'CRYPTO')
      .map((item, index) => ({ item, index }))
      .sort((a, b) => a.item.time - b.item.time || a.index - b.index)
      .map(({ item }) => item);
    this.times = Float64Array.from(this.items, (item) => item.time);
  }

  /**
   * The newest headlines with `time − windowMs ≤ tᵢ < time`.
   *
   * @param time - the decision close, UTC ms.
   * @param limit - at most this many (≥ 0).
   * @returns newest first; a fresh array.
   * @throws never.
   */
  before(time: number, limit: number): NewsItem[] {
    // First index whose time is ≥ `time`: everything before it was published strictly earlier.
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle]! < time) low = middle + 1;
      else high = middle;
    }
    const out: NewsItem[] = [];
    const oldest = time - this.windowMs;
    for (let i = low - 1; i >= 0 && out.length < limit && this.times[i]! >= oldest; i--) out.push(this.items[i]!);
    return out;
  }
}
