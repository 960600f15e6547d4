import { SMA } from 'trading-signals';
import { sign } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * Moving-average crossover: long while the fast simple moving average of the close is above the slow one,
 * short while below. signal = sign(SMA_fast − SMA_slow).
 * @param options.fast / options.slow - lengths in bars (defaults 10 and 40).
 * @returns a streaming {@link TradingMethod} named 'maCrossover'; 0 until `slow` closes are seen.
 * @throws never.
 * @see W. Brock, J. Lakonishok, B. LeBaron (1992), "Simple technical trading rules and the stochastic properties
 *   of stock returns", J. Finance 47(5).
 * @example
 * const m = createMovingAverageCrossoverMethod({ fast: 1, slow: 2 });
 * // closes 1, 2: SMA1 = 2 > SMA2 = 1.5, signal 1
 */
export function createMovingAverageCrossoverMethod(options: { fast?: number; slow?: number } = {}): TradingMethod {
  const fastLength = options.fast ?? 10;
  const slowLength = options.slow ?? 40;
  const fast = new SMA(fastLength);
  const slow = new SMA(slowLength);
  return {
    name: 'maCrossover',
    description: `sign of SMA(${fastLength}) − SMA(${slowLength})`,
    signal(context: MethodContext): number {
      const f = fast.add(context.bar.close);
      const s = slow.add(context.bar.close);
      return f === null || s === null ? 0 : sign(f - s);
    },
  };
}
