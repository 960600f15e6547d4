import { ADX } from 'trading-signals';
import { sign } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * ADX trend filter: trade the direction of the dominant directional indicator (+DI vs −DI) only when the
 * average directional index says there is a trend (ADX ≥ threshold), stay flat otherwise.
 * signal = sign(+DI − −DI) if ADX ≥ threshold else 0. Wilder smoothing (trading-signals ADX).
 * @param options.period - DI/ADX length in bars (default 14); options.threshold - ADX level (default 25).
 * @returns a streaming {@link TradingMethod} named 'adxTrend'; 0 until ADX is defined (2·period bars).
 * @throws never.
 * @see J. W. Wilder (1978), "New Concepts in Technical Trading Systems", ch. 4 (directional movement).
 * @example
 * const m = createAdxTrendMethod(); // steadily rising highs and lows ⇒ ADX high, +DI > −DI ⇒ 1
 */
export function createAdxTrendMethod(options: { period?: number; threshold?: number } = {}): TradingMethod {
  const period = options.period ?? 14;
  const threshold = options.threshold ?? 25;
  const adx = new ADX(period);
  return {
    name: 'adxTrend',
    description: `direction of +DI vs −DI when ADX(${period}) ≥ ${threshold}, else flat`,
    signal(context: MethodContext): number {
      const { high, low, close } = context.bar;
      const value = adx.add({ high, low, close });
      if (value === null || value < threshold) return 0;
      const pdi = adx.pdi;
      const mdi = adx.mdi;
      return typeof pdi === 'number' && typeof mdi === 'number' ? sign(pdi - mdi) : 0;
    },
  };
}
