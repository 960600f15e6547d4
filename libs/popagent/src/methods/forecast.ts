import { clip } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/** A forecast of a·σ per bar (a per-bar Sharpe ratio of 0.05, ≈ 2.3 a year on 4h bars) is full conviction. */
export const FORECAST_FULL_CONVICTION = 0.05;

type ForecastKey = 'sgdForecast' | 'rlsForecast' | 'mediumForecast';

const DESCRIPTIONS: Record<ForecastKey, { name: string; description: string }> = {
  sgdForecast: { name: 'sgdForecast', description: 'SGD linear forecast of the next-bar return (fast features, learns every bar)' },
  rlsForecast: { name: 'rlsForecast', description: 'RLS ridge forecast of the next-bar return (fast features, learns every bar)' },
  mediumForecast: { name: 'mediumRlsForecast', description: 'RLS forecast of the next-6-bar return (medium features, learns every 6 bars)' },
};

/**
 * Trades an online model's return forecast: signal = clip(f / FORECAST_FULL_CONVICTION, −1, 1), where f is the
 * forecast in units of the forecast volatility (a per-bar Sharpe ratio; for the medium model, of the 6-bar return
 * in units of σ·√6), made at this close from features known at this close.
 * @param source - which forecaster of the context to trade: 'sgdForecast', 'rlsForecast' or 'mediumForecast'.
 * @returns a streaming {@link TradingMethod}; 0 while the forecaster has no forecast.
 * @throws never.
 * @see R. Grinold, R. Kahn (2000), "Active Portfolio Management", ch. 10 (forecasts as risk-scaled alphas).
 * @example
 * const m = createForecastMethod('rlsForecast');
 * // context.rlsForecast = 0.02 ⇒ signal 0.4
 */
export function createForecastMethod(source: ForecastKey): TradingMethod {
  const { name, description } = DESCRIPTIONS[source];
  return {
    name,
    description,
    signal(context: MethodContext): number {
      const forecast = context[source];
      return forecast === null ? 0 : clip(forecast / FORECAST_FULL_CONVICTION);
    },
  };
}
