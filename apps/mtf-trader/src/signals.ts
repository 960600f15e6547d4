/**
 * The orchestrator's view at each decision time: CNN predictions combined across timeframes, the regime of the
 * decision timeframe, and the symbols coordinated through their rolling correlation (the library's DecisionSignal).
 * Everything here is computed from windows that end at or before the decision time.
 */
import { TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import {
  combineTimeframes,
  coordinateSymbols,
  FEATURE_INDEX,
  FEATURES_PER_TIMEFRAME,
  HOLD,
  latestClosedIndex,
  regimeAt,
  RollingCorrelation,
} from '@trading-ml/cnn-rl';
import type { CnnPrediction, DecisionSignal, MarketRegime, MultiTimeframeCnn } from '@trading-ml/cnn-rl';
import type { MtfConfig } from './config.js';
import type { SymbolDataset } from './dataset.js';

function sigmaAt(bars: readonly Bar[], index: number): number {
  const from = Math.max(1, index - 19);
  const returns: number[] = [];
  for (let i = from; i <= index; i++) returns.push(Math.log((bars[i] as Bar).close / (bars[i - 1] as Bar).close));
  if (returns.length < 2) return 0;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  return Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1));
}

/**
 * Predicts every window of the datasets and builds the decision signals, coordinating the symbols at the times
 * they share.
 * @param cnn - the trained CNN.
 * @param datasets - one per symbol (same timeframes).
 * @param config - the run configuration.
 * @returns per symbol, the signals by decision time (times without a warm decision-timeframe row are left out).
 * @throws ConfigError from the CNN when the windows do not fit its input size.
 * @example
 * const [btcSignals, ethSignals] = computeSignals(cnn, [btc, eth], config);
 */
export function computeSignals(cnn: MultiTimeframeCnn, datasets: readonly SymbolDataset[], config: MtfConfig): Map<number, DecisionSignal>[] {
  const { orchestrator, decisionTimeframe } = config;
  const perSymbol = datasets.map((dataset) => {
    const predictions = cnn.predict(dataset.inputs.x, dataset.inputs.times.length);
    const signals = new Map<number, Omit<DecisionSignal, 'confidenceFactor'> & { regimeFactor: number }>();
    const decisionCloses = dataset.decisionMatrix.closeTimes;
    const allDecisionBars = dataset.bars.bars[decisionTimeframe] ?? [];
    const regimes: MarketRegime[] = [];
    for (const [n, time] of dataset.inputs.times.entries()) {
      const prediction = predictions[n] as CnnPrediction;
      const combined = combineTimeframes(
        // A head's confidence: the CNN's confidence output × the head's own certainty (its largest probability), so
        // weight × confidence differs between heads (the network has one confidence output for all heads).
        config.timeframes.map((timeframe, h) => {
          const probabilities = prediction.heads[h] as number[];
          return { timeframe, probabilities, confidence: prediction.confidence * Math.max(...probabilities) };
        }),
        orchestrator.weights,
      );
      const row = latestClosedIndex(decisionCloses, time);
      if (row < 0 || dataset.decisionMatrix.valid[row] !== 1 || (decisionCloses[row] as number) <= time - TIMEFRAME_MS[decisionTimeframe]) continue;
      const regime = regimeAt(dataset.decisionMatrix, row);
      regimes.push(regime);
      const recent = regimes.slice(-12);
      const base = row * FEATURES_PER_TIMEFRAME;
      const v = dataset.decisionMatrix.values;
      signals.set(time, {
        time,
        close: (allDecisionBars[row] as Bar).close,
        heads: prediction.heads,
        modelConfidence: prediction.confidence,
        combined,
        regime,
        regimeFactor: orchestrator.regimeConfidence[regime],
        sigma: sigmaAt(allDecisionBars, row),
        stability: recent.filter((r) => r === regime).length / recent.length,
        features: [v[base + FEATURE_INDEX.volatility] as number, v[base + FEATURE_INDEX.trendStrength] as number, v[base + FEATURE_INDEX.rsi] as number, v[base + FEATURE_INDEX.logReturn] as number],
      });
    }
    return signals;
  });

  // Coordination: the rolling correlation of decision-bar log returns over the times every symbol has a bar,
  // updated before it is used at each time (a return at t is known at t).
  const coordinated = perSymbol.map(() => new Map<number, DecisionSignal>());
  const correlation = new RollingCorrelation(orchestrator.correlationWindow);
  const times = [...new Set(perSymbol.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const previousClose: (number | undefined)[] = perSymbol.map(() => undefined);
  for (const time of times) {
    const present = perSymbol.map((m) => m.get(time));
    const [a, b] = present;
    if (present.length === 2 && a !== undefined && b !== undefined) {
      if (previousClose[0] !== undefined && previousClose[1] !== undefined) correlation.push(Math.log(a.close / previousClose[0]), Math.log(b.close / previousClose[1]));
      previousClose[0] = a.close;
      previousClose[1] = b.close;
    }
    const rho = correlation.value();
    const proposals = present.map((s, i) => {
      const action = s === undefined ? HOLD : s.combined.action;
      return { symbol: datasets[i]?.symbol ?? '', action, confidence: s === undefined ? 0 : (s.combined.votes[action] as number) };
    });
    const adjusted = coordinateSymbols(proposals, () => rho, { highCorrelation: orchestrator.highCorrelation, disagreementFactor: orchestrator.disagreementFactor });
    for (const [i, s] of present.entries()) {
      if (s === undefined) continue;
      const original = proposals[i]?.confidence ?? 0;
      const coordination = original > 0 ? (adjusted[i]?.confidence ?? original) / original : 1;
      const { regimeFactor, ...rest } = s;
      coordinated[i]?.set(time, { ...rest, confidenceFactor: regimeFactor * coordination });
    }
  }
  return coordinated;
}
