import { ROC } from 'trading-signals';
import { sign } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * Time-series momentum: long when the close is above the close `period` bars ago, short when below.
 * signal = sign(ROC_period) with ROC_n = close / close[−n] − 1; 0 until `period + 1` closes are seen.
 * @param options.period - look-back in bars (default 20).
 * @returns a streaming {@link TradingMethod} named 'momentum'.
 * @throws never (invalid periods are rejected by the trading-signals constructor only when used).
 * @see T. J. Moskowitz, Y. H. Ooi, L. H. Pedersen (2012), "Time series momentum", J. Financial Economics 104(2).
 * @example
 * const m = createMomentumMethod({ period: 2 });
 * // after closes 10, 11, 12: ROC(2) = 12/10 − 1 = 0.2 > 0, so m.signal(ctx) === 1
 */
export function createMomentumMethod(options: { period?: number } = {}): TradingMethod {
  const period = options.period ?? 20;
  const roc = new ROC(period);
  return {
    name: 'momentum',
    description: `sign of the ${period}-bar rate of change (time-series momentum)`,
    signal(context: MethodContext): number {
      const value = roc.add(context.bar.close);
      return value === null ? 0 : sign(value);
    },
  };
}
