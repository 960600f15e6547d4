import type { TradingMethod } from './types.js';

/**
 * Stay flat: a deliberate cash position (signal 0), so an agent can choose to sit out. The only constant method.
 * @returns a {@link TradingMethod} named 'stayFlat'.
 * @throws never.
 * @see the PopAgent method inventory (issue description): cash is a legitimate arm.
 * @example
 * createStayFlatMethod().signal(ctx); // 0
 */
export function createStayFlatMethod(): TradingMethod {
  return { name: 'stayFlat', description: 'hold cash', signal: () => 0 };
}
