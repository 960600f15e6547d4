import { ConfigError } from '@trading-ml/core';

/**
 * The plain risk-adjusted PnL reward: the return the position earned over the step, minus the trading cost of the
 * position change, divided by the asset's volatility per step:
 *
 *   r = (position·Δ − feeRate·|position − previousPosition|) / max(volatility, volatilityFloor)
 *
 * A volatility-normalised reward is comparable across calm and wild periods (one unit = one σ of the asset), the
 * per-step analogue of a Sharpe ratio.
 *
 * @param args.position - exposure held over the step, signed fraction of equity (1 long, 0 flat, −1 short).
 * @param args.previousPosition - exposure before the decision.
 * @param args.priceChange - close(t + 1)/close(t) − 1, fraction.
 * @param args.volatility - σ of one-step returns (point in time), fraction > 0.
 * @param options - `feeRate` (fraction of traded notional, default 0.001) and `volatilityFloor` (default 1e-4).
 * @returns the reward in units of σ.
 * @throws ConfigError on a negative fee rate or a non-positive floor.
 * @see J. Moody & M. Saffell (2001) "Learning to trade via direct reinforcement" (risk-adjusted returns as reward).
 * @example
 * riskAdjustedPnlReward({ position: 1, previousPosition: 0, priceChange: 0.01, volatility: 0.005 }); // (0.01 − 0.001)/0.005 = 1.8
 */
export function riskAdjustedPnlReward(
  args: { readonly position: number; readonly previousPosition: number; readonly priceChange: number; readonly volatility: number },
  options: { readonly feeRate?: number; readonly volatilityFloor?: number } = {},
): number {
  const { feeRate = 0.001, volatilityFloor = 1e-4 } = options;
  if (!(feeRate >= 0 && feeRate < 1)) throw new ConfigError({ parameter: 'feeRate', value: feeRate, expected: 'a fraction in [0, 1)' });
  if (!(volatilityFloor > 0)) throw new ConfigError({ parameter: 'volatilityFloor', value: volatilityFloor, expected: 'a fraction > 0' });
  const pnl = args.position * args.priceChange - feeRate * Math.abs(args.position - args.previousPosition);
  return pnl / Math.max(args.volatility, volatilityFloor);
}
