/**
 * Market-data primitives shared by every library.
 *
 * Time convention (NautilusTrader, `docs/concepts/backtesting.md`): a bar's values are known at its close,
 * `closeTime = openTime + duration`, never before. All times are UTC epoch milliseconds.
 */

/** Bar durations the toolkit understands, written the way ccxt writes them. */
export type Timeframe = '1m' | '5m' | '15m' | '1h' | '4h' | '1d';

/** Every supported timeframe, shortest first. */
export const TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

/** Duration of each timeframe in milliseconds. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** Bars per year for a market that trades around the clock (crypto: 8760 hourly, 2190 four-hour bars). */
export const PERIODS_PER_YEAR_24_7: Readonly<Record<Timeframe, number>> = {
  '1m': 525_600,
  '5m': 105_120,
  '15m': 35_040,
  '1h': 8_760,
  '4h': 2_190,
  '1d': 365,
};

/** Trading days per year of a US equity exchange, the usual annualisation for daily stock bars. */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * One OHLCV candle. Prices in quote currency, volume in base-asset units.
 * `closeTime` is the instant the bar is complete (openTime + duration): the earliest time any of its values
 * may be used.
 */
export interface Bar {
  /** UTC epoch ms at which the bar opens. */
  readonly openTime: number;
  /** UTC epoch ms at which the bar closes and its values become known (openTime + duration). */
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Base-asset volume traded during the bar. */
  readonly volume: number;
}

/** Type guard for {@link Timeframe}. */
export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === 'string' && (TIMEFRAMES as readonly string[]).includes(value);
}
