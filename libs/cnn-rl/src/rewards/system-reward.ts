import { ConfigError } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import type { TradeAction } from '../labels/perfect-move.js';

/** Options of {@link systemReward}. */
export interface SystemRewardOptions {
  /** |price change| up to which HOLD is correct (and BUY/SELL are not credited), fraction. Default 0.002. */
  readonly holdBand?: number;
  /** Reward multiple of the price change. Default 10. */
  readonly scale?: number;
  /** Extra weight on a wrong BUY/SELL's loss (> 1 penalises mistakes more than it rewards hits). Default 1.5. */
  readonly wrongPenalty?: number;
  /** Reward of a correct HOLD (before the confidence factor). Default 0.02. */
  readonly holdReward?: number;
  /** Cost of a HOLD that missed a move beyond the band (before the confidence factor). Default 0.02. */
  readonly missedMovePenalty?: number;
}

/**
 * The trading system's reward for one decision, once its price change is known:
 * - correct BUY (Δ > band) or SELL (Δ < −band): +scale·|Δ|;
 * - wrong BUY (Δ < −band) or SELL (Δ > band): −wrongPenalty·scale·|Δ|;
 * - BUY/SELL inside the band: scale·(signed Δ) (small, either sign: the move did not justify a trade);
 * - HOLD inside the band: +holdReward; HOLD outside it: −missedMovePenalty;
 * all multiplied by (0.5 + confidence), so confident calls win and lose more.
 *
 * @param args.action - the action taken.
 * @param args.priceChange - close(t + horizon)/close(t) − 1 over the decision's horizon, fraction.
 * @param args.confidence - the confidence the action was taken with, ∈ [0, 1].
 * @param options - see {@link SystemRewardOptions}.
 * @returns the reward (dimensionless).
 * @throws ConfigError when confidence ∉ [0, 1] or an option is negative.
 * @see the issue-4 specification (reward ∝ price change × 10, scaled by 0.5 + confidence).
 * @example
 * systemReward({ action: BUY, priceChange: 0.01, confidence: 0.7 });   // 10·0.01·1.2 = 0.12
 * systemReward({ action: SELL, priceChange: 0.01, confidence: 0.7 });  // −1.5·10·0.01·1.2 = −0.18
 * systemReward({ action: HOLD, priceChange: 0.001, confidence: 0.3 }); // 0.02·0.8 = 0.016
 */
export function systemReward(args: { readonly action: TradeAction; readonly priceChange: number; readonly confidence: number }, options: SystemRewardOptions = {}): number {
  const { holdBand = 0.002, scale = 10, wrongPenalty = 1.5, holdReward = 0.02, missedMovePenalty = 0.02 } = options;
  const { action, priceChange, confidence } = args;
  if (!(confidence >= 0 && confidence <= 1)) throw new ConfigError({ parameter: 'confidence', value: confidence, expected: 'a fraction in [0, 1]' });
  for (const [parameter, value] of Object.entries({ holdBand, scale, wrongPenalty, holdReward, missedMovePenalty })) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new ConfigError({ parameter, value, expected: 'a finite number ≥ 0' });
  }
  const factor = 0.5 + confidence;
  if (action === HOLD) return (Math.abs(priceChange) <= holdBand ? holdReward : -missedMovePenalty) * factor;
  const signed = action === BUY ? priceChange : action === SELL ? -priceChange : Number.NaN;
  if (Number.isNaN(signed)) throw new ConfigError({ parameter: 'action', value: action, expected: '0 (BUY), 1 (HOLD) or 2 (SELL)' });
  if (Math.abs(priceChange) <= holdBand) return scale * signed * factor;
  return (signed > 0 ? scale * signed : wrongPenalty * scale * signed) * factor;
}
