/**
 * One symbol's point-in-time data over a window: feature matrices per timeframe, the CNN windows at each decision
 * time, and (for training) the perfect-move labels realized by the window's end.
 */
import { TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { buildCnnInputs, computeFeatureMatrix, headSpecs, perfectMoveLabels, realizedSamples } from '@trading-ml/cnn-rl';
import type { CnnInputs, FeatureMatrix, HeadSpec, PerfectMoveSample } from '@trading-ml/cnn-rl';
import type { MtfConfig } from './config.js';
import { loadSymbolBars } from './market-data.js';
import type { SymbolBars } from './market-data.js';

/** A symbol's data over one window. */
export interface SymbolDataset {
  readonly symbol: string;
  /** Feature matrices in head / channel order (config.timeframes). */
  readonly matrices: readonly FeatureMatrix[];
  /** The decision timeframe's matrix (regime, volatility at each decision). */
  readonly decisionMatrix: FeatureMatrix;
  /** Decision-timeframe bars with start ≤ closeTime ≤ end: what the backtest kernel steps through. */
  readonly decisionBars: readonly Bar[];
  /** CNN windows at the decision times that have one. */
  readonly inputs: CnnInputs;
  /** Labels realized by the window's end (training only; empty otherwise). */
  readonly labels: readonly PerfectMoveSample[];
  /** Decision times without a label (gap or past the end) — counted for the report. */
  readonly unlabelled: number;
  readonly heads: readonly HeadSpec[];
  readonly bars: SymbolBars;
}

/**
 * Bars of history each timeframe needs before the first decision: the feature warm-up plus the CNN window.
 * @param config - the run configuration (feature periods, sequence length).
 * @returns max(window + baselineWindow − 1, 33 (MACD), trendPeriod) + sequenceLength + 2 (slack), in bars.
 * @example
 * warmupBars(validateConfig({})); // 69 + 32 + 2 = 103
 */
export function warmupBars(config: MtfConfig): number {
  const { window, baselineWindow, trendPeriod, sequenceLength } = config.features;
  return Math.max(window + baselineWindow - 1, 33, trendPeriod) + sequenceLength + 2;
}

/** The finest of the timeframes (labels read prices from it). */
function finest(timeframes: readonly Timeframe[]): Timeframe {
  return timeframes.reduce((a, b) => (TIMEFRAME_MS[b] < TIMEFRAME_MS[a] ? b : a));
}

/**
 * Builds a symbol's dataset over [start, end].
 * @param options.config - the run configuration.
 * @param options.dataDir - folder holding crypto/.
 * @param options.symbol - 'BTC/USDT'.
 * @param options.start - first decision time, UTC ms.
 * @param options.end - last bar close, UTC ms; nothing after it is read, and labels must be realized by it.
 * @param options.withLabels - compute the perfect-move labels (training).
 * @returns the dataset.
 * @throws DataError / ConfigError from loading (missing file, window not covered).
 * @example
 * const btc = buildSymbolDataset({ config, dataDir: 'data', symbol: 'BTC/USDT', start, end, withLabels: true });
 * btc.inputs.x.length; // btc.inputs.times.length · 32 · 78
 */
export function buildSymbolDataset(options: { config: MtfConfig; dataDir: string; symbol: string; start: number; end: number; withLabels: boolean }): SymbolDataset {
  const { config, dataDir, symbol, start, end, withLabels } = options;
  const all = [...new Set<Timeframe>([...config.timeframes, config.decisionTimeframe])];
  const bars = loadSymbolBars({ dataDir, symbol, timeframes: all, start, end, warmupBars: warmupBars(config) });
  const featureOptions = { window: config.features.window, baselineWindow: config.features.baselineWindow, trendPeriod: config.features.trendPeriod };
  const byTimeframe = new Map<Timeframe, FeatureMatrix>(all.map((tf) => [tf, computeFeatureMatrix(bars.bars[tf] ?? [], tf, featureOptions)]));
  const matrices = config.timeframes.map((tf) => byTimeframe.get(tf) as FeatureMatrix);
  const decisionBars = (bars.bars[config.decisionTimeframe] ?? []).filter((bar) => bar.closeTime >= start && bar.closeTime <= end);
  const inputs = buildCnnInputs(matrices, decisionBars.map((bar) => bar.closeTime), config.features.sequenceLength);
  const heads = headSpecs(config.timeframes, { baseThreshold: config.labels.baseThreshold, scaling: config.labels.scaling, horizonBars: config.labels.horizonBars });
  let labels: PerfectMoveSample[] = [];
  let unlabelled = 0;
  if (withLabels) {
    const prices = bars.bars[finest(all)] ?? [];
    const result = perfectMoveLabels({ prices, times: inputs.times, heads, baseThreshold: config.labels.baseThreshold, holdConfidence: config.labels.holdConfidence });
    // The training set is built at `end`: only labels whose outcome is known by then.
    labels = realizedSamples(result.samples, end);
    unlabelled = inputs.times.length - labels.length;
  }
  return { symbol, matrices, decisionMatrix: byTimeframe.get(config.decisionTimeframe) as FeatureMatrix, decisionBars, inputs, labels, unlabelled, heads, bars };
}
