import type { MethodContext, TradingMethod } from './types.js';

/**
 * Volatility targeting: hold a long position sized so that its forecast volatility equals the target.
 * signal = min(1, σ* / σ_t) with σ* = volatilityTarget / √periodsPerYear (per-bar target) and σ_t the EWMA
 * forecast of the next bar's return volatility known at this close. Leverage is capped at 1.
 * @param options.volatilityTarget - annualised target (0.5 = 50 %/yr); options.periodsPerYear - bars per year.
 * @returns a streaming {@link TradingMethod} named 'volatilityTargeting'; 0 until the forecast is warm.
 * @throws never.
 * @see A. Moreira, T. Muir (2017), "Volatility-managed portfolios", J. Finance 72(4).
 * @example
 * const m = createVolatilityTargetingMethod({ volatilityTarget: 0.5, periodsPerYear: 2190 });
 * // σ_t = 0.02 per bar: 0.5/√2190 / 0.02 = 0.534
 */
export function createVolatilityTargetingMethod(options: { volatilityTarget: number; periodsPerYear: number }): TradingMethod {
  const perBarTarget = options.volatilityTarget / Math.sqrt(options.periodsPerYear);
  return {
    name: 'volatilityTargeting',
    description: `long sized to ${options.volatilityTarget} annualised volatility with the EWMA forecast`,
    signal(context: MethodContext): number {
      const sigma = context.volatility;
      if (sigma === null || !(sigma > 0)) return 0;
      return Math.min(1, perBarTarget / sigma);
    },
  };
}
