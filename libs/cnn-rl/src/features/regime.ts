/** Market regime of one timeframe at one bar close. */
export type MarketRegime = 'trending' | 'ranging' | 'volatile';

/** Every regime, in the order of the one-hot feature columns. */
export const MARKET_REGIMES: readonly MarketRegime[] = ['trending', 'ranging', 'volatile'];

/** Thresholds of {@link classifyRegime}. */
export interface RegimeThresholds {
  /** σ / its recent mean at or above which the market is 'volatile'. Default 1.5. */
  readonly volatileRatio: number;
  /** Efficiency ratio at or above which a calm market is 'trending'. Default 0.35. */
  readonly trendingEfficiency: number;
}

/**
 * Defaults: volatility 50 % above its recent norm is 'volatile'; an efficiency ratio of 0.35 or more is 'trending'
 * (a driftless random walk over 14 bars has a mean efficiency ratio near 0.2).
 */
export const DEFAULT_REGIME_THRESHOLDS: RegimeThresholds = { volatileRatio: 1.5, trendingEfficiency: 0.35 };

/**
 * Classifies the market regime from two point-in-time measures. Volatility wins over trend: a violent move is
 * 'volatile' whether or not it is directional.
 *
 * @param measures - `trendStrength` (efficiency ratio ∈ [0, 1]) and `relativeVolatility` (σ / recent mean σ, > 0).
 * @param thresholds - see {@link RegimeThresholds}.
 * @returns 'volatile' when relativeVolatility ≥ volatileRatio, else 'trending' when trendStrength ≥ trendingEfficiency,
 *   else 'ranging'.
 * @throws never.
 * @see P. Kaufman (1995) "Smarter Trading" (efficiency ratio); A. Ang & G. Bekaert (2002) on volatility regimes.
 * @example
 * classifyRegime({ trendStrength: 0.5, relativeVolatility: 1.0 }); // 'trending'
 * classifyRegime({ trendStrength: 0.5, relativeVolatility: 2.0 }); // 'volatile'
 */
export function classifyRegime(
  measures: { readonly trendStrength: number; readonly relativeVolatility: number },
  thresholds: RegimeThresholds = DEFAULT_REGIME_THRESHOLDS,
): MarketRegime {
  if (measures.relativeVolatility >= thresholds.volatileRatio) return 'volatile';
  return measures.trendStrength >= thresholds.trendingEfficiency ? 'trending' : 'ranging';
}
