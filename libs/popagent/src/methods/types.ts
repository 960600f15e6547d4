import type { Bar } from '@trading-ml/core';
import type { FeatureSnapshot } from '@trading-ml/market-data';

/**
 * Everything a trading method may look at when the bar `bar` has just closed. Every value is known at
 * `bar.closeTime`: forecasts were made from features at or before it, the volatility forecast from returns up
 * to it, and the sentiment from headlines published strictly before it. The run reuses one context object per
 * bar (no per-bar allocation), so a method must not keep a reference to it.
 */
export interface MethodContext {
  /** The bar that just closed. */
  readonly bar: Bar;
  /** Point-in-time features at this close (groups are null until warm). */
  readonly features: FeatureSnapshot | null;
  /** EWMA forecast of the standard deviation of the next 1-bar simple return, or null until warm. */
  readonly volatility: number | null;
  /** SGD linear forecast of the next 1-bar return in units of `volatility` (a per-bar Sharpe), or null. */
  readonly sgdForecast: number | null;
  /** RLS ridge forecast of the next 1-bar return in units of `volatility`, or null. */
  readonly rlsForecast: number | null;
  /** Medium RLS forecast of the next-6-bar return in units of `volatility·√6`, or null. */
  readonly mediumForecast: number | null;
  /** HMM filtered posterior [P(bear), P(neutral), P(bull)] at this close, or null until warm. */
  readonly regimePosterior: readonly number[] | null;
  /** Decayed VADER news sentiment in [−1, 1] (conditions C/D), or null when news is not used. */
  readonly sentiment: number | null;
}

/**
 * One streaming trading method of the inventory. `signal` is called exactly once per closed bar, in time
 * order, and returns the method's target exposure in [−1, 1] (+1 fully long, 0 flat, −1 fully short). It
 * returns 0 (flat) while its indicators are warming up.
 *
 * Any state a method keeps must be a function of the bars alone (`bar.high`, `bar.low`, `bar.close`); model
 * outputs in the context may only be used statelessly. `PopAgentEngine.restore` rebuilds method state by
 * replaying the recorded bars with a context that holds nothing but the bar.
 */
export interface TradingMethod {
  /** Short identifier, e.g. 'momentum'. */
  readonly name: string;
  /** One-line description of the rule. */
  readonly description: string;
  /** Consumes the bar that just closed and returns the target exposure in [−1, 1]. */
  signal(context: MethodContext): number;
}
