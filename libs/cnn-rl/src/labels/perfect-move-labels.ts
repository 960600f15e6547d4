import { ConfigError, DataError } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { latestClosedIndex } from '../features/alignment.js';
import { labelFromReturn } from './perfect-move.js';
import type { HeadSpec, TradeAction } from './perfect-move.js';

/** The labels of one decision time, one per head. */
export interface PerfectMoveSample {
  /** Decision time, UTC ms. */
  readonly time: number;
  /** Per head (head order): the perfect action. */
  readonly actions: readonly TradeAction[];
  /** Per head: the label's confidence. */
  readonly confidences: readonly number[];
  /** Per head: close(t + horizon)/close(t) − 1. */
  readonly forwardReturns: readonly number[];
  /** Per head: t + horizon, the instant its outcome is known. */
  readonly headRealizedAt: readonly number[];
  /** The latest of `headRealizedAt`: the whole sample is known from here on. */
  readonly realizedAt: number;
}

/** Output of {@link perfectMoveLabels}. */
export interface PerfectMoveLabels {
  readonly samples: readonly PerfectMoveSample[];
  /** Decision times without a label: the price at t or t + horizon is not in the series (a gap, or past its end). */
  readonly missing: readonly { readonly time: number; readonly timeframe: Timeframe; readonly at: number }[];
}

/**
 * Labels each decision time with the perfect move of every head: the forward return from the close at t to the close
 * at t + horizon, turned into BUY / HOLD / SELL by {@link labelFromReturn}.
 *
 * Prices are read from one fine bar series by exact closeTime (the bar closing at t, the bar closing at t + horizon);
 * a missing bar leaves the decision time unlabelled (listed in `missing`), nothing is interpolated. Each label
 * carries `realizedAt` = t + horizon: it may reach a learner only from then on (see {@link realizedSamples}).
 *
 * @param options.prices - a bar series whose grid divides t and every horizon (e.g. the finest timeframe loaded).
 * @param options.times - decision times, UTC ms, in the order wanted.
 * @param options.heads - the heads (see {@link headSpecs}).
 * @param options.baseThreshold - confidence scale, see {@link labelFromReturn}. Default 0.02.
 * @param options.holdConfidence - HOLD confidence. Default 0.3.
 * @returns the labelled samples and the unlabelled times.
 * @throws ConfigError when there are no heads; DataError when prices do not strictly increase in closeTime.
 * @see M. López de Prado (2018) "Advances in Financial Machine Learning", ch. 3.2 (fixed-time-horizon labels).
 * @example
 * const { samples } = perfectMoveLabels({ prices: minuteBars, times, heads: headSpecs(['1m', '1h']) });
 * samples[0].realizedAt; // samples[0].time + 1 h
 */
export function perfectMoveLabels(options: {
  readonly prices: readonly Bar[];
  readonly times: readonly number[];
  readonly heads: readonly HeadSpec[];
  readonly baseThreshold?: number;
  readonly holdConfidence?: number;
}): PerfectMoveLabels {
  const { prices, times, heads, baseThreshold = 0.02, holdConfidence = 0.3 } = options;
  if (heads.length === 0) throw new ConfigError({ parameter: 'heads', value: [], expected: 'at least one head' });
  const closeTimes = new Float64Array(prices.length);
  for (const [i, bar] of prices.entries()) {
    if (i > 0 && bar.closeTime <= (closeTimes[i - 1] as number)) {
      throw new DataError({ code: 'DATA_ORDER', location: { file: 'perfectMoveLabels prices', line: i + 1, column: 'closeTime' }, value: bar.closeTime, expected: `a closeTime after ${closeTimes[i - 1]}` });
    }
    closeTimes[i] = bar.closeTime;
  }
  const closeAt = (time: number): number | undefined => {
    const index = latestClosedIndex(closeTimes, time);
    return index >= 0 && closeTimes[index] === time ? (prices[index] as Bar).close : undefined;
  };
  const samples: PerfectMoveSample[] = [];
  const missing: Array<{ time: number; timeframe: Timeframe; at: number }> = [];
  for (const time of times) {
    const entry = closeAt(time);
    if (entry === undefined) {
      missing.push({ time, timeframe: (heads[0] as HeadSpec).timeframe, at: time });
      continue;
    }
    const actions: TradeAction[] = [];
    const confidences: number[] = [];
    const forwardReturns: number[] = [];
    const headRealizedAt: number[] = [];
    let complete = true;
    for (const head of heads) {
      const at = time + head.horizonMs;
      const exit = closeAt(at);
      if (exit === undefined) {
        missing.push({ time, timeframe: head.timeframe, at });
        complete = false;
        break;
      }
      const forwardReturn = exit / entry - 1;
      const label = labelFromReturn(forwardReturn, head.threshold, { baseThreshold, holdConfidence });
      actions.push(label.action);
      confidences.push(label.confidence);
      forwardReturns.push(forwardReturn);
      headRealizedAt.push(at);
    }
    if (complete) samples.push({ time, actions, confidences, forwardReturns, headRealizedAt, realizedAt: Math.max(...headRealizedAt) });
  }
  return { samples, missing };
}
