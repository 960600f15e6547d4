import { BollingerBands } from 'trading-signals';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * Bollinger band breakout: go long when the close closes above the upper band (SMA_n + m·σ_n), short when it
 * closes below the lower band, and exit to flat when the close crosses back over the middle band.
 * σ_n is the population standard deviation of the last n closes (this one included), as in trading-signals.
 * @param options.period - band length in bars (default 20); options.deviations - m (default 2).
 * @returns a streaming {@link TradingMethod} named 'bollingerBreakout'; 0 until n closes are seen.
 * @throws never.
 * @see J. Bollinger (2001), "Bollinger on Bollinger Bands", McGraw-Hill.
 * @example
 * const m = createBollingerMethod({ period: 3, deviations: 1 });
 * // closes 1, 1, 4: mean 2, σ = √2, upper 3.41 < 4, signal 1
 */
export function createBollingerMethod(options: { period?: number; deviations?: number } = {}): TradingMethod {
  const period = options.period ?? 20;
  const deviations = options.deviations ?? 2;
  const bands = new BollingerBands(period, deviations);
  let state = 0;
  return {
    name: 'bollingerBreakout',
    description: `close outside the ${period}-bar ${deviations}σ Bollinger bands, exit at the middle band`,
    signal(context: MethodContext): number {
      const close = context.bar.close;
      const result = bands.add(close);
      if (result === null) return 0;
      if (close > result.upper) state = 1;
      else if (close < result.lower) state = -1;
      else if ((state > 0 && close < result.middle) || (state < 0 && close > result.middle)) state = 0;
      return state;
    },
  };
}
