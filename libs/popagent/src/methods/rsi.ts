import { RSI } from 'trading-signals';
import { clip } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * RSI contrarian: long when the relative strength index is oversold, short when overbought, linear between.
 * signal = clip((50 − RSI) / 20, −1, 1): RSI 30 → +1, RSI 70 → −1. RSI with Wilder smoothing (trading-signals).
 * @param options.period - RSI length in bars (default 14).
 * @returns a streaming {@link TradingMethod} named 'rsi'; 0 until `period + 1` closes are seen.
 * @throws never.
 * @see J. W. Wilder (1978), "New Concepts in Technical Trading Systems", ch. 6 (RSI).
 * @example
 * const m = createRsiMethod({ period: 2 });
 * // closes 10, 9, 8: every move down, RSI 0, signal +1
 */
export function createRsiMethod(options: { period?: number } = {}): TradingMethod {
  const period = options.period ?? 14;
  const rsi = new RSI(period);
  return {
    name: 'rsi',
    description: `RSI(${period}) contrarian: oversold long, overbought short`,
    signal(context: MethodContext): number {
      const value = rsi.add(context.bar.close);
      return value === null ? 0 : clip((50 - value) / 20);
    },
  };
}
