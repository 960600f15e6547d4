import type { MethodContext, TradingMethod } from './types.js';

/**
 * HMM regime filter: long in a bull regime, short (flat when long-only) in a bear regime, weighted by the
 * filtered posterior: signal = P(bull) − P(bear), in [−1, 1].
 * @returns a streaming {@link TradingMethod} named 'hmmRegime'; 0 until the detector has a posterior.
 * @throws never.
 * @see J. D. Hamilton (1989), "A new approach to the economic analysis of nonstationary time series and the
 *   business cycle", Econometrica 57(2).
 * @example
 * const m = createRegimeFilterMethod();
 * // posterior [0.1, 0.2, 0.7] ⇒ 0.6
 */
export function createRegimeFilterMethod(): TradingMethod {
  return {
    name: 'hmmRegime',
    description: 'P(bull) − P(bear) of the 3-state HMM filtered posterior',
    signal(context: MethodContext): number {
      const p = context.regimePosterior;
      if (p === null) return 0;
      return (p[2] ?? 0) - (p[0] ?? 0);
    },
  };
}
