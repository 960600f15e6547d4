import { DonchianChannels } from 'trading-signals';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * Donchian channel breakout (the Turtle rule): go long when the close breaks above the highest high of the
 * previous `period` bars, short (flat when long-only is traded) when it breaks below their lowest low, and
 * otherwise keep the last breakout's direction. The channel excludes the current bar.
 * @param options.period - channel length in bars (default 20).
 * @returns a streaming {@link TradingMethod} named 'donchianBreakout'; 0 until a first breakout.
 * @throws never.
 * @see R. D. Donchian (1960), "High finance in copper", Financial Analysts Journal 16(6); C. Faith (2007), "Way of the Turtle".
 * @example
 * const m = createDonchianMethod({ period: 2 });
 * // highs 10, 11 then a close of 12 > 11: signal 1
 */
export function createDonchianMethod(options: { period?: number } = {}): TradingMethod {
  const period = options.period ?? 20;
  const channel = new DonchianChannels(period);
  let state = 0;
  return {
    name: 'donchianBreakout',
    description: `breakout of the previous ${period}-bar high/low channel`,
    signal(context: MethodContext): number {
      const { high, low, close } = context.bar;
      const previous = channel.getResult();
      if (previous !== null) {
        if (close > previous.upper) state = 1;
        else if (close < previous.lower) state = -1;
      }
      channel.add({ high, low });
      return state;
    },
  };
}
