import { ConfigError } from '@trading-ml/core';
import { HOLD } from '../labels/perfect-move.js';
import type { TradeAction } from '../labels/perfect-move.js';
import type { MarketRegime } from '../features/regime.js';

/**
 * Confidence multipliers per regime: directional calls fail more often in a range (mean reversion eats breakouts)
 * and cost more when volatility is high, so the same model output is trusted less there.
 */
export const DEFAULT_REGIME_CONFIDENCE: Readonly<Record<MarketRegime, number>> = { trending: 1, ranging: 0.85, volatile: 0.7 };

/** Default minimum confidence for acting on a BUY or SELL. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;

/**
 * Regime-adapted confidence: confidence × factor[regime], clipped to [0, 1].
 * @param confidence - ∈ [0, 1].
 * @param regime - the current market regime.
 * @param factors - per-regime multipliers ≥ 0. Default {@link DEFAULT_REGIME_CONFIDENCE}.
 * @returns the adapted confidence.
 * @throws ConfigError when the factor is negative or not finite.
 * @see {@link classifyRegime}
 * @example
 * adaptConfidence(0.8, 'volatile'); // 0.56
 */
export function adaptConfidence(confidence: number, regime: MarketRegime, factors: Readonly<Record<MarketRegime, number>> = DEFAULT_REGIME_CONFIDENCE): number {
  const factor = factors[regime];
  if (!Number.isFinite(factor) || factor < 0) throw new ConfigError({ parameter: `regimeConfidence.${regime}`, value: factor, expected: 'a finite multiplier ≥ 0' });
  return Math.min(1, Math.max(0, confidence * factor));
}

/**
 * The confidence gate: a BUY or SELL is acted on only when its confidence reaches the threshold; otherwise HOLD.
 * @param action - the proposed action.
 * @param confidence - its (adapted, coordinated) confidence ∈ [0, 1].
 * @param threshold - minimum confidence, ∈ [0, 1]. Default 0.6.
 * @returns `action`, or HOLD when below the threshold.
 * @throws ConfigError when the threshold is outside [0, 1].
 * @see {@link adaptConfidence}
 * @example
 * gateAction(BUY, 0.65); // BUY
 * gateAction(BUY, 0.55); // HOLD
 */
export function gateAction(action: TradeAction, confidence: number, threshold = DEFAULT_CONFIDENCE_THRESHOLD): TradeAction {
  if (!(threshold >= 0 && threshold <= 1)) throw new ConfigError({ parameter: 'confidenceThreshold', value: threshold, expected: 'a fraction in [0, 1]' });
  return action !== HOLD && confidence >= threshold ? action : HOLD;
}
