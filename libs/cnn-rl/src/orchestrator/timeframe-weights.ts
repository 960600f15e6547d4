import type { Timeframe } from '@trading-ml/core';

/**
 * How much each timeframe's head counts when the predictions are combined (before multiplying by the head's own
 * confidence): longer timeframes carry more weight, their moves are larger than fees and less noisy. Sums to 1.
 */
export const DEFAULT_TIMEFRAME_WEIGHTS: Readonly<Record<Timeframe, number>> = {
  '1m': 0.05,
  '5m': 0.1,
  '15m': 0.15,
  '1h': 0.25,
  '4h': 0.25,
  '1d': 0.2,
};
