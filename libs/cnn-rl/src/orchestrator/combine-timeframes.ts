import { ConfigError } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import type { TradeAction } from '../labels/perfect-move.js';
import { DEFAULT_TIMEFRAME_WEIGHTS } from './timeframe-weights.js';

/** One head's prediction. */
export interface TimeframePrediction {
  readonly timeframe: Timeframe;
  /** [P(BUY), P(HOLD), P(SELL)], summing to 1. */
  readonly probabilities: readonly [number, number, number] | readonly number[];
  /** The model's confidence in this prediction, ∈ [0, 1]. */
  readonly confidence: number;
}

/** The combined signal of all available heads. */
export interface CombinedSignal {
  /** Σ_k w̃_k·p_k with w̃_k = weight_k·confidence_k / Σ_j weight_j·confidence_j over the available heads. */
  readonly probabilities: readonly [number, number, number];
  /** argmax of `probabilities` (ties: HOLD, then BUY). */
  readonly action: TradeAction;
  /** probabilities[action]: how sure the weighted committee is of its choice, ∈ [0, 1]. */
  readonly confidence: number;
  /** P(BUY) − P(SELL) ∈ [−1, 1]. */
  readonly score: number;
  /** Σ weight_k·confidence_k / Σ weight_k over the available heads: the heads' average certainty. */
  readonly headConfidence: number;
  /**
   * Weighted vote share of each action: Σ_k w̃_k·[argmax p_k = action] (ties in a head's argmax: HOLD, then BUY).
   * A supermajority (e.g. ≥ 0.6) means the timeframes that carry the weight agree on the direction, however soft
   * each head's probabilities are.
   */
  readonly votes: readonly [number, number, number];
  /** The renormalised weight w̃_k of each available head. */
  readonly weights: Readonly<Partial<Record<Timeframe, number>>>;
}

/** Index of the largest of [BUY, HOLD, SELL]; ties go to HOLD, then BUY (never trade on a tie). */
function argmax(p: readonly number[]): TradeAction {
  let action: TradeAction = HOLD;
  if ((p[BUY] as number) > (p[action] as number)) action = BUY;
  if ((p[SELL] as number) > (p[action] as number)) action = SELL;
  return action;
}

/**
 * Combines per-timeframe predictions: each head weighs weight_tf × its confidence, the weights are renormalised over
 * the heads that are available (a head may be missing, e.g. no 1m data), and the weighted mean of the probability
 * vectors is the committee's distribution.
 *
 * @param predictions - the available heads (at most one per timeframe).
 * @param weights - per-timeframe weights ≥ 0. Default 1m 0.05, 5m 0.10, 15m 0.15, 1h 0.25, 4h 0.25, 1d 0.20.
 * @returns the combined signal; all HOLD with confidence 0 when every weight·confidence is 0.
 * @throws ConfigError when there are no predictions, a timeframe repeats, or a probability vector is not 3 numbers.
 * @see Dietterich (2000) "Ensemble methods in machine learning" (weighted voting of probabilistic classifiers).
 * @example
 * combineTimeframes([
 *   { timeframe: '1h', probabilities: [0.7, 0.2, 0.1], confidence: 0.8 },
 *   { timeframe: '1d', probabilities: [0.2, 0.3, 0.5], confidence: 0.5 },
 * ]);
 * // w̃_1h = 0.25·0.8/(0.25·0.8 + 0.2·0.5) = 2/3, w̃_1d = 1/3 → P = [0.5333, 0.2333, 0.2333], action BUY,
 * // votes [2/3, 0, 1/3] (1h votes BUY, 1d votes SELL)
 */
export function combineTimeframes(predictions: readonly TimeframePrediction[], weights: Readonly<Partial<Record<Timeframe, number>>> = DEFAULT_TIMEFRAME_WEIGHTS): CombinedSignal {
  if (predictions.length === 0) throw new ConfigError({ parameter: 'predictions', value: [], expected: 'at least one timeframe prediction' });
  const seen = new Set<Timeframe>();
  let total = 0;
  let baseTotal = 0;
  for (const prediction of predictions) {
    if (seen.has(prediction.timeframe)) throw new ConfigError({ parameter: 'predictions', value: prediction.timeframe, expected: 'each timeframe at most once' });
    seen.add(prediction.timeframe);
    if (prediction.probabilities.length !== 3) throw new ConfigError({ parameter: `predictions[${prediction.timeframe}].probabilities`, value: prediction.probabilities, expected: '[P(BUY), P(HOLD), P(SELL)]' });
    const weight = weights[prediction.timeframe] ?? 0;
    total += weight * prediction.confidence;
    baseTotal += weight;
  }
  const combined: [number, number, number] = [0, 0, 0];
  const votes: [number, number, number] = [0, 0, 0];
  const normalised: Partial<Record<Timeframe, number>> = {};
  if (total > 0) {
    for (const prediction of predictions) {
      const w = ((weights[prediction.timeframe] ?? 0) * prediction.confidence) / total;
      normalised[prediction.timeframe] = w;
      for (let a = 0; a < 3; a++) combined[a] = (combined[a] as number) + w * (prediction.probabilities[a] as number);
      const vote = argmax(prediction.probabilities);
      votes[vote] += w;
    }
  } else {
    combined[HOLD] = 1;
    votes[HOLD] = 1;
  }
  const action = argmax(combined);
  return {
    probabilities: combined,
    action,
    confidence: total > 0 ? combined[action] : 0,
    score: combined[BUY] - combined[SELL],
    headConfidence: baseTotal > 0 ? total / baseTotal : 0,
    votes,
    weights: normalised,
  };
}
