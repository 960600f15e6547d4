import vader from 'vader-sentiment';
import { z } from 'zod';
import { ConfigError, parseState } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';

/** Half-life of the news decay: 24 hours in ms. */
export const NEWS_HALF_LIFE_MS = 24 * 3_600_000;

/** VADER is ~0.1 ms a headline; market-wide headlines recur across symbols and conditions, so score each once. */
const compoundCache = new Map<string, number>();

/**
 * VADER compound polarity of a headline, in [−1, 1] (memoised by text).
 * @param headline - the text.
 * @returns the compound score.
 * @throws never.
 * @see C. J. Hutto, E. Gilbert (2014), "VADER", ICWSM.
 * @example
 * headlineSentiment('Bitcoin rallies to a great record high'); // > 0.5
 */
export function headlineSentiment(headline: string): number {
  let score = compoundCache.get(headline);
  if (score === undefined) {
    score = vader.SentimentIntensityAnalyzer.polarity_scores(headline).compound;
    compoundCache.set(headline, score);
  }
  return score;
}

/** A headline with its VADER compound score already computed (see {@link scoreHeadlines}). */
export interface ScoredNewsItem extends NewsItem {
  /** VADER compound score ∈ [−1, 1] of `headline`. */
  readonly sentiment: number;
}

/** The item's precomputed score when it carries a finite one, otherwise its headline scored now. */
function scoreOf(item: NewsItem | ScoredNewsItem): number {
  const given = (item as Partial<ScoredNewsItem>).sentiment;
  return typeof given === 'number' && Number.isFinite(given) ? given : headlineSentiment(item.headline);
}

/**
 * Scores every headline once, so that several runs (or worker threads) can share the scores instead of each
 * running VADER on the same text.
 *
 * @param news - headlines, any order; not modified.
 * @returns the same items, in the same order, each with its `sentiment` (VADER compound ∈ [−1, 1]).
 * @throws never.
 * @see C. J. Hutto, E. Gilbert (2014), "VADER: A parsimonious rule-based model for sentiment analysis of social media text", ICWSM.
 * @example
 * scoreHeadlines([{ time: 0, symbol: 'BTC', source: 's', headline: 'Bitcoin surges to a record high', url: '' }])[0].sentiment; // > 0
 */
export function scoreHeadlines(news: readonly NewsItem[]): ScoredNewsItem[] {
  return news.map((item) => ({ ...item, sentiment: scoreOf(item) }));
}

/** 'BTC' for 'BTC/USDT', the ticker itself for a stock symbol. */
export function baseAsset(symbol: string): string {
  const slash = symbol.indexOf('/');
  return (slash < 0 ? symbol : symbol.slice(0, slash)).toUpperCase();
}

/**
 * Plain-data state of a {@link NewsSentiment} cursor. The headlines themselves are not part of it: the restoring
 * instance gets them from its constructor and resumes after every headline older than `lastTime`.
 */
export interface NewsSentimentState {
  /** The latest query time (UTC ms), null before the first query. */
  readonly lastTime: number | null;
  /** Σ wᵢcᵢ at lastTime. */
  readonly weightedSum: number;
  /** Σ wᵢ at lastTime (≥ 0). */
  readonly weightTotal: number;
}

const stateSchema = z
  .object({ lastTime: z.number().nullable(), weightedSum: z.number(), weightTotal: z.number().nonnegative() })
  .refine((s) => s.lastTime !== null || (s.weightedSum === 0 && s.weightTotal === 0), { path: ['weightTotal'], message: '0 before the first query (lastTime null)' });

/**
 * Streaming news sentiment of one symbol: headlines about its base asset or 'CRYPTO', each scored with VADER,
 * aggregated with an exponential decay, using ONLY headlines with time < the query time.
 *
 * s(t) = Σ_{tᵢ<t} wᵢ·cᵢ / (1 + Σ_{tᵢ<t} wᵢ), wᵢ = 2^{−(t − tᵢ)/halfLife}: a decay-weighted mean of the compound
 * scores cᵢ, shrunk toward 0 by one neutral pseudo-headline so that stale news fades out.
 *
 * @see C. J. Hutto, E. Gilbert (2014), "VADER"; P. C. Tetlock (2007), "Giving content to investor sentiment".
 * @example
 * const s = new NewsSentiment({ news, symbol: 'BTC/USDT' });
 * s.at(bar.closeTime); // sentiment known at that close
 */
export class NewsSentiment {
  private readonly times: Float64Array;
  /** Kept headlines in time order; each is scored (VADER) only when folded in, so unused future news costs nothing. */
  private readonly items: readonly NewsItem[];
  private readonly halfLifeMs: number;
  private next = 0;
  private weightedSum = 0;
  private weightTotal = 0;
  private lastTime = -Infinity;

  /**
   * @param options.news - all headlines (any order, any symbol); only the symbol's base asset and 'CRYPTO' are kept.
   * @param options.symbol - 'BTC/USDT' or a ticker.
   * @param options.halfLifeMs - decay half-life in ms (default 24 h).
   * @param options.from - headlines older than `from − 40 half-lives` are skipped (their weight is < 1e-12).
   * @param options.until - headlines at or after `until` are skipped (never used anyway).
   * @throws ConfigError on a non-positive half-life.
   */
  constructor(options: { news: readonly NewsItem[]; symbol: string; halfLifeMs?: number; from?: number; until?: number }) {
    this.halfLifeMs = options.halfLifeMs ?? NEWS_HALF_LIFE_MS;
    if (!(this.halfLifeMs > 0)) throw new ConfigError({ parameter: 'halfLifeMs', value: this.halfLifeMs, expected: 'a positive duration in ms' });
    const base = baseAsset(options.symbol);
    const from = options.from === undefined ? -Infinity : options.from - 40 * this.halfLifeMs;
    const until = options.until ?? Infinity;
    const kept = options.news
      .filter((item) => (item.symbol.toUpperCase() === base || item.symbol.toUpperCase() === 'CRYPTO') && item.time >= from && item.time < until)
      .sort((a, b) => a.time - b.time);
    this.times = Float64Array.from(kept, (item) => item.time);
    this.items = kept;
  }

  /** Number of headlines kept for this symbol. */
  get size(): number {
    return this.times.length;
  }

  /**
   * Sentiment at `time` from headlines with tᵢ < time. Calls must come in non-decreasing time order.
   * @param time - UTC ms (a bar's closeTime).
   * @returns s(time) ∈ (−1, 1); 0 before the first headline.
   * @throws ConfigError when time goes backwards.
   */
  at(time: number): number {
    if (time < this.lastTime) throw new ConfigError({ parameter: 'time', value: time, expected: `≥ the previous query time ${this.lastTime}` });
    if (this.lastTime > -Infinity) {
      const decay = Math.pow(2, -(time - this.lastTime) / this.halfLifeMs);
      this.weightedSum *= decay;
      this.weightTotal *= decay;
    }
    while (this.next < this.times.length && this.times[this.next]! < time) {
      const weight = Math.pow(2, -(time - this.times[this.next]!) / this.halfLifeMs);
      this.weightedSum += weight * scoreOf(this.items[this.next]!);
      this.weightTotal += weight;
      this.next++;
    }
    this.lastTime = time;
    return this.weightedSum / (1 + this.weightTotal);
  }

  /** The cursor as plain data (see {@link NewsSentimentState}). */
  snapshot(): NewsSentimentState {
    return { lastTime: this.lastTime === -Infinity ? null : this.lastTime, weightedSum: this.weightedSum, weightTotal: this.weightTotal };
  }

  /**
   * Moves the cursor to a snapshot's: the next headline to fold in is the first one at or after `lastTime`
   * (exactly where the snapshotted instance stood when both hold the same headlines).
   * @param state - from {@link NewsSentiment.snapshot} (possibly through JSON); not modified.
   * @throws StateError naming the field when the snapshot is malformed.
   */
  restore(state: NewsSentimentState): void {
    const s = parseState('NewsSentiment', stateSchema, state);
    const lastTime = s.lastTime ?? -Infinity;
    // at(t) folds in every headline with tᵢ < t, so after at(lastTime) exactly those had been consumed.
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle]! < lastTime) low = middle + 1;
      else high = middle;
    }
    this.next = low;
    this.lastTime = lastTime;
    this.weightedSum = s.weightedSum;
    this.weightTotal = s.weightTotal;
  }
}
