import { ConfigError } from '@trading-ml/core';
import type { MarketRegime } from '../features/regime.js';
import type { TradeAction } from '../labels/perfect-move.js';
import type { CombinedSignal } from './combine-timeframes.js';

/** Everything the trading policy reads at one decision time of one symbol (all known at `time`). */
export interface DecisionSignal {
  /** Decision time (a decision bar's close), UTC ms. */
  readonly time: number;
  /** Close of the decision bar: the reference price of the decision's reward. */
  readonly close: number;
  /** Per head, [P(BUY), P(HOLD), P(SELL)] (the CNN's output, head order). */
  readonly heads: readonly (readonly number[])[];
  /** The CNN's confidence output ∈ [0, 1]. */
  readonly modelConfidence: number;
  /** The heads combined by {@link combineTimeframes}. */
  readonly combined: CombinedSignal;
  /** Regime of the decision timeframe at `time`. */
  readonly regime: MarketRegime;
  /** Regime confidence multiplier × cross-symbol coordination multiplier, ≥ 0. */
  readonly confidenceFactor: number;
  /** σ of the decision timeframe's recent one-bar returns (fraction; for the risk-adjusted reward). */
  readonly sigma: number;
  /** Share of recent decisions whose regime equals this one ∈ [0, 1] (drives exploration). */
  readonly stability: number;
  /** Extra decision-timeframe features appended to the state (e.g. volatility, trend strength, RSI, last return). */
  readonly features: readonly number[];
}

/**
 * Length of the DQN state for H heads and F extra features.
 * @param heads - H.
 * @param features - F. Default 4.
 * @returns 3 + 3 + 3 + 3H + 1 + 3 + F.
 * @example
 * dqnStateSize(6); // 35
 */
export function dqnStateSize(heads: number, features = 4): number {
  return 3 + 3 + 3 + 3 * heads + 1 + 3 + features;
}

/**
 * The DQN state at a decision: combined probabilities (3), weighted votes (3), combined confidence × factor, head
 * confidence, model confidence, every head's probabilities (3H), the exposure held now (clipped to [−1, 1]), the
 * regime one-hot (trending, ranging, volatile) and the extra features.
 * @param signal - the decision signal.
 * @param exposure - signed exposure held now, fraction of equity.
 * @returns a new Float32Array of {@link dqnStateSize} entries.
 * @throws ConfigError when a head is not 3 probabilities.
 * @example
 * const state = dqnState(signal, 0); // feed to DuelingDoubleDqn.act
 */
export function dqnState(signal: DecisionSignal, exposure: number): Float32Array {
  const state = new Float32Array(dqnStateSize(signal.heads.length, signal.features.length));
  let k = 0;
  for (const p of signal.combined.probabilities) state[k++] = p;
  for (const v of signal.combined.votes) state[k++] = v;
  state[k++] = signal.combined.confidence * signal.confidenceFactor;
  state[k++] = signal.combined.headConfidence;
  state[k++] = signal.modelConfidence;
  for (const [h, head] of signal.heads.entries()) {
    if (head.length !== 3) throw new ConfigError({ parameter: `signal.heads[${h}]`, value: head, expected: '[P(BUY), P(HOLD), P(SELL)]' });
    for (const p of head) state[k++] = p;
  }
  state[k++] = Math.max(-1, Math.min(1, exposure));
  state[k++] = signal.regime === 'trending' ? 1 : 0;
  state[k++] = signal.regime === 'ranging' ? 1 : 0;
  state[k++] = signal.regime === 'volatile' ? 1 : 0;
  for (const f of signal.features) state[k++] = f;
  return state;
}

/**
 * The confidence of taking `action`: the weighted vote share of the timeframes whose head picks it (weight ×
 * head confidence, renormalised), times the regime and coordination factors, clipped to [0, 1]. With a 0.6 gate a
 * BUY needs 60 % of the weight behind it in a trending market, 0.6/0.85 = 71 % when ranging, 86 % when volatile.
 * @param signal - the decision signal.
 * @param action - the proposed action.
 * @returns the confidence ∈ [0, 1].
 * @example
 * actionConfidence(signal, BUY); // votes[BUY] · confidenceFactor
 */
export function actionConfidence(signal: DecisionSignal, action: TradeAction): number {
  return Math.min(1, Math.max(0, (signal.combined.votes[action] as number) * signal.confidenceFactor));
}
