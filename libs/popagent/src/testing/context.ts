// Test helpers: synthetic bars and method contexts. Not part of the library build.
import type { Bar } from '@trading-ml/core';
import type { MethodContext, TradingMethod } from '../methods/types.js';

const HOUR = 3_600_000;

/** Hourly bars with the given closes; open = previous close, high/low given or ±1 % around max/min(open, close). */
export function barsFrom(closes: readonly number[], highs?: readonly number[], lows?: readonly number[]): Bar[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return {
      openTime: i * HOUR,
      closeTime: (i + 1) * HOUR,
      open,
      high: highs?.[i] ?? Math.max(open, close) * 1.01,
      low: lows?.[i] ?? Math.min(open, close) * 0.99,
      close,
      volume: 1,
    };
  });
}

/** A method context with nothing but the bar, unless overridden. */
export function contextFor(bar: Bar, extra: Partial<MethodContext> = {}): MethodContext {
  return {
    bar,
    features: null,
    volatility: null,
    sgdForecast: null,
    rlsForecast: null,
    mediumForecast: null,
    regimePosterior: null,
    sentiment: null,
    ...extra,
  };
}

/** Feeds every bar to a fresh method and returns its signal after each. */
export function signalsOf(method: TradingMethod, bars: readonly Bar[], extra: (i: number) => Partial<MethodContext> = () => ({})): number[] {
  return bars.map((bar, i) => method.signal(contextFor(bar, extra(i))));
}
