import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';

/** Action index shared by the CNN heads, the labels and the DQN: 0 BUY, 1 HOLD, 2 SELL. */
export type TradeAction = 0 | 1 | 2;
/** Go long / expect a rise. */
export const BUY: TradeAction = 0;
/** Stay / expect no move beyond the threshold. */
export const HOLD: TradeAction = 1;
/** Go flat or short / expect a fall. */
export const SELL: TradeAction = 2;
/** Action names by index. */
export const ACTION_NAMES = ['BUY', 'HOLD', 'SELL'] as const;

/** One CNN head: a timeframe, its forward-return horizon and its BUY/SELL threshold. */
export interface HeadSpec {
  readonly timeframe: Timeframe;
  /** Forward-return horizon, ms (default one bar of the timeframe). */
  readonly horizonMs: number;
  /** |forward return| above which the move is BUY or SELL, a fraction (0.02 = 2 %). */
  readonly threshold: number;
}

/** Options of {@link headSpecs}. */
export interface HeadSpecOptions {
  /** Threshold of a one-day horizon, fraction. Default 0.02 (2 %). */
  readonly baseThreshold?: number;
  /**
   * 'sqrt-time' (default): threshold = baseThreshold·√(horizon / 1 day), the random-walk scaling of a move's size
   * (1h 0.41 %, 15m 0.20 %, 5m 0.12 %, 1m 0.053 %); 'none': baseThreshold for every head (a 1-minute 2 % move
   * almost never happens, so short heads would only ever say HOLD).
   */
  readonly scaling?: 'sqrt-time' | 'none';
  /** Horizon in bars of each head's own timeframe. Default 1. */
  readonly horizonBars?: number;
}

const DAY_MS = TIMEFRAME_MS['1d'];

/**
 * The heads of the given timeframes with their horizons and thresholds.
 * @param timeframes - head order (the CNN's head order).
 * @param options - see {@link HeadSpecOptions}.
 * @returns one {@link HeadSpec} per timeframe.
 * @throws ConfigError on a non-positive threshold or horizon.
 * @see A. Einstein (1905) / L. Bachelier (1900): random-walk displacement grows with √time.
 * @example
 * headSpecs(['1h', '1d']); // [{ timeframe: '1h', horizonMs: 3_600_000, threshold: 0.02·√(1/24) ≈ 0.00408 }, { …, threshold: 0.02 }]
 */
export function headSpecs(timeframes: readonly Timeframe[], options: HeadSpecOptions = {}): HeadSpec[] {
  const { baseThreshold = 0.02, scaling = 'sqrt-time', horizonBars = 1 } = options;
  if (!(baseThreshold > 0 && baseThreshold < 1)) throw new ConfigError({ parameter: 'baseThreshold', value: baseThreshold, expected: 'a fraction in (0, 1)' });
  if (!Number.isInteger(horizonBars) || horizonBars < 1) throw new ConfigError({ parameter: 'horizonBars', value: horizonBars, expected: 'an integer ≥ 1' });
  if (scaling !== 'sqrt-time' && scaling !== 'none') throw new ConfigError({ parameter: 'scaling', value: scaling, expected: "'sqrt-time' or 'none'" });
  return timeframes.map((timeframe) => {
    const horizonMs = horizonBars * TIMEFRAME_MS[timeframe];
    const threshold = scaling === 'none' ? baseThreshold : baseThreshold * Math.sqrt(horizonMs / DAY_MS);
    return { timeframe, horizonMs, threshold };
  });
}

/**
 * The "perfect move" label of one forward return.
 *
 * |r| > threshold → BUY (r > 0) or SELL (r < 0) with confidence min(0.95, 10·|r|·(baseThreshold/threshold));
 * otherwise HOLD with confidence `holdConfidence`. With an unscaled threshold (threshold = baseThreshold = 2 %) the
 * confidence is the plain min(0.95, 10·|r|); a scaled head's confidence is measured in units of its own threshold,
 * so a move just over any head's threshold gets confidence 0.2.
 *
 * @param forwardReturn - close(t + horizon)/close(t) − 1, fraction.
 * @param threshold - the head's threshold, fraction > 0.
 * @param options - `baseThreshold` (default = threshold) and `holdConfidence` (default 0.3).
 * @returns the action and its confidence ∈ (0, 0.95].
 * @throws never.
 * @see the issue-4 specification ("perfect moves"); M. López de Prado (2018) ch. 3 (fixed-horizon labels).
 * @example
 * labelFromReturn(0.03, 0.02);   // { action: BUY, confidence: 0.3 }  (10·0.03)
 * labelFromReturn(-0.12, 0.02);  // { action: SELL, confidence: 0.95 } (capped)
 * labelFromReturn(0.01, 0.02);   // { action: HOLD, confidence: 0.3 }
 */
export function labelFromReturn(
  forwardReturn: number,
  threshold: number,
  options: { readonly baseThreshold?: number; readonly holdConfidence?: number } = {},
): { action: TradeAction; confidence: number } {
  const { baseThreshold = threshold, holdConfidence = 0.3 } = options;
  if (Math.abs(forwardReturn) <= threshold) return { action: HOLD, confidence: holdConfidence };
  const confidence = Math.min(0.95, 10 * Math.abs(forwardReturn) * (baseThreshold / threshold));
  return { action: forwardReturn > 0 ? BUY : SELL, confidence };
}
