import type { Bar, Timeframe } from '@trading-ml/core';

/** A run of missing bars inside a series: bars that should exist between two present ones. */
export interface Gap {
  /** openTime of the first missing bar, UTC ms. */
  readonly from: number;
  /** openTime of the last missing bar, UTC ms. */
  readonly to: number;
  /** Number of missing bars. */
  readonly missingBars: number;
}

/**
 * What to do with gaps when loading: 'keep' leaves them as gaps and reports them (default; real exchange
 * outages are never filled), 'error' throws a DataError naming the file and the first gap.
 */
export type GapPolicy = 'keep' | 'error';

/** A validated, time-ordered series of bars of one instrument. */
export interface BarSeries {
  /** 'BTC/USDT' for crypto, the ticker ('TSLA') for stocks. */
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bars: readonly Bar[];
  readonly gaps: readonly Gap[];
  /** Path of the file the bars came from. */
  readonly source: string;
}

/** One headline about one symbol. */
export interface NewsItem {
  /** Publication time, UTC ms. Known from this instant on (never before). */
  readonly time: number;
  /** 'BTC', 'ETH', …, a stock ticker, or 'CRYPTO' for market-wide crypto news. */
  readonly symbol: string;
  readonly source: string;
  readonly headline: string;
  /** Link to the article; '' for the few rows whose source gave none. */
  readonly url: string;
}

/** Fast group: refreshed every bar. */
export interface FastFeatures {
  /** close/prevClose − 1. */
  readonly return1: number;
  /** close/close[−5] − 1. */
  readonly return5: number;
  /** (high − low)/close of the bar. */
  readonly intrabarVolatility: number;
  /** Rate of change over 10 bars, close/close[−10] − 1. */
  readonly momentum: number;
}

/** Medium group: refreshed every 6 bars (one day of 4h bars). */
export interface MediumFeatures {
  /** ADX(14)/100 ∈ [0, 1] (Wilder). */
  readonly trendStrength: number;
  /** Standard deviation of 1-bar log returns over the last day, scaled to one day (× √barsPerDay). */
  readonly dailyVolatility: number;
  /** close/SMA(20) − 1. */
  readonly smaRatio: number;
}

/** Slow group: refreshed every 42 bars (one week of 4h bars). */
export interface SlowFeatures {
  /** close/close[−42] − 1. */
  readonly longReturn: number;
  /** Std of returns over the last 42 bars divided by the std over the last 168 bars (>1: volatility rising). */
  readonly volatilityRatio: number;
  /** Pearson correlation of 1-bar returns with the reference asset over the last 42 bars; 0 when there is no reference. */
  readonly crossAssetCorrelation: number;
}

/**
 * Point-in-time features at one bar close. A group is null until it is warm. A group's values only change on
 * the bars where its `updated` flag is true (fast every bar, medium every 6, slow every 42 bars), the pace at
 * which PopAgent's online models learn from them.
 */
export interface FeatureSnapshot {
  /** closeTime of the bar the features were computed at; every input is at or before it. */
  readonly time: number;
  readonly fast: FastFeatures | null;
  readonly medium: MediumFeatures | null;
  readonly slow: SlowFeatures | null;
  readonly updated: { readonly fast: boolean; readonly medium: boolean; readonly slow: boolean };
}
