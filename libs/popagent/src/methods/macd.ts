import { EMA, MACD } from 'trading-signals';
import { sign } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * MACD crossover: long while the MACD line (EMA_fast − EMA_slow of the close) is above its signal line (an
 * EMA of the MACD line), short while below. signal = sign(histogram).
 * EMAs follow trading-signals: α = 2/(n+1), seeded with the first value.
 * @param options.fast / options.slow / options.signal - EMA lengths in bars (defaults 12, 26, 9).
 * @returns a streaming {@link TradingMethod} named 'macd'; 0 until `slow` closes are seen.
 * @throws never.
 * @see G. Appel (2005), "Technical Analysis: Power Tools for Active Investors".
 * @example
 * const m = createMacdMethod(); // then m.signal(ctx) once per closed bar
 */
export function createMacdMethod(options: { fast?: number; slow?: number; signal?: number } = {}): TradingMethod {
  const fast = options.fast ?? 12;
  const slow = options.slow ?? 26;
  const signalLength = options.signal ?? 9;
  const macd = new MACD(new EMA(fast), new EMA(slow), new EMA(signalLength));
  return {
    name: 'macd',
    description: `sign of the MACD(${fast}, ${slow}, ${signalLength}) histogram`,
    signal(context: MethodContext): number {
      const result = macd.add(context.bar.close);
      return result === null ? 0 : sign(result.histogram);
    },
  };
}
