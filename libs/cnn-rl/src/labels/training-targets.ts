import { ConfigError } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { DEFAULT_TIMEFRAME_WEIGHTS } from '../orchestrator/timeframe-weights.js';
import type { PerfectMoveSample } from './perfect-move-labels.js';

/** The CNN's training targets. */
export interface TrainingTargets {
  /** Row-major [N, H] perfect actions (0 BUY, 1 HOLD, 2 SELL). */
  readonly actions: Int32Array;
  /** [N] sample confidence: the timeframe-weighted mean of the heads' label confidences. */
  readonly confidence: Float32Array;
}

/**
 * Packs labelled samples into the arrays the CNN's `fit` takes. The CNN has one confidence output per sample, so
 * the per-head label confidences are averaged with the orchestrator's timeframe weights (renormalised over the
 * heads present): the sample confidence says how clear the move is on the timeframes that matter most.
 *
 * @param samples - labelled samples (all with the same heads, in `timeframes` order).
 * @param timeframes - head order.
 * @param weights - timeframe weights. Default {@link DEFAULT_TIMEFRAME_WEIGHTS}.
 * @returns actions [N, H] and confidence [N].
 * @throws ConfigError when a sample has a different number of heads, or the weights of the heads sum to 0.
 * @see {@link perfectMoveLabels}
 * @example
 * const { actions, confidence } = toTrainingTargets(samples, ['1h', '1d']);
 */
export function toTrainingTargets(samples: readonly PerfectMoveSample[], timeframes: readonly Timeframe[], weights: Readonly<Partial<Record<Timeframe, number>>> = DEFAULT_TIMEFRAME_WEIGHTS): TrainingTargets {
  const H = timeframes.length;
  const headWeights = timeframes.map((tf) => weights[tf] ?? 0);
  const total = headWeights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new ConfigError({ parameter: 'weights', value: weights, expected: `positive weights for some of ${timeframes.join(', ')}` });
  const actions = new Int32Array(samples.length * H);
  const confidence = new Float32Array(samples.length);
  for (const [n, sample] of samples.entries()) {
    if (sample.actions.length !== H) throw new ConfigError({ parameter: `samples[${n}].actions`, value: sample.actions.length, expected: `${H} heads` });
    let sum = 0;
    for (let h = 0; h < H; h++) {
      actions[n * H + h] = sample.actions[h] as number;
      sum += (headWeights[h] as number) * (sample.confidences[h] as number);
    }
    confidence[n] = sum / total;
  }
  return { actions, confidence };
}
