/**
 * `--mode train`: datasets from the training window, the CNN (pooled over symbols, early stopping, checkpoints),
 * then one DQN per symbol on the CNN's outputs over the part of the window the CNN did not see.
 *
 * Phases of the window [start, end]:
 * ```
 * start ───────── CNN rows (labels realized by the cutoff) ───────── cutoff ───── DQN episodes ───── end
 * ```
 * The CNN's training set is built at the cutoff (every label realized by then); the DQN then learns from decisions on
 * CNN outputs it was not trained on, each transition realized one decision bar later.
 */
import { join } from 'node:path';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Rng } from '@trading-ml/core';
import { assertRealized, dqnStateSize, DuelingDoubleDqn, MultiTimeframeCnn, realizedSamples, toTrainingTargets, TradingPolicy } from '@trading-ml/cnn-rl';
import type { CnnEpochMetrics, DecisionSignal, PerfectMoveSample } from '@trading-ml/cnn-rl';
import type { MtfConfig } from './config.js';
import { buildSymbolDataset } from './dataset.js';
import type { SymbolDataset } from './dataset.js';
import { dqnDir, writeManifest } from './models.js';
import { policyOptions } from './policy-options.js';
import { computeSignals } from './signals.js';
import type { RunContext } from './run-context.js';
import { TrainingLog } from './training-log.js';

/** One DQN episode's summary. */
export interface DqnEpisodeRow {
  readonly symbol: string;
  readonly episode: number;
  readonly decisions: number;
  readonly trainSteps: number;
  readonly meanLoss: number;
  readonly rewardSum: number;
  readonly buy: number;
  readonly hold: number;
  readonly sell: number;
  /** Simulated equity multiple at the end of the episode (close-to-close, fees on exposure changes). */
  readonly equity: number;
  /** Loss of every train step of the episode. */
  readonly losses: readonly number[];
}

/** What a train run produced. */
export interface TrainOutcome {
  readonly cnn: MultiTimeframeCnn;
  readonly dqns: DuelingDoubleDqn[];
  readonly cnnEpochs: readonly CnnEpochMetrics[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly dqnEpisodes: readonly DqnEpisodeRow[];
  readonly cnnRows: number;
  readonly cutoff: number;
  readonly datasets: readonly SymbolDataset[];
}

/** Pools the symbols' labelled windows, in time order, realized by `asOf`. */
function pooledRows(datasets: readonly SymbolDataset[], asOf: number): { x: Float32Array; samples: PerfectMoveSample[] } {
  const rows: Array<{ dataset: SymbolDataset; index: number; sample: PerfectMoveSample }> = [];
  for (const dataset of datasets) {
    const indexOf = new Map(dataset.inputs.times.map((t, i) => [t, i]));
    for (const sample of realizedSamples(dataset.labels, asOf)) {
      const index = indexOf.get(sample.time);
      if (index !== undefined) rows.push({ dataset, index, sample });
    }
  }
  rows.sort((a, b) => a.sample.time - b.sample.time);
  const size = (datasets[0]?.inputs.sequenceLength ?? 0) * (datasets[0]?.inputs.channels ?? 0);
  const x = new Float32Array(rows.length * size);
  for (const [n, row] of rows.entries()) x.set(row.dataset.inputs.x.subarray(row.index * size, (row.index + 1) * size), n * size);
  const samples = rows.map((r) => r.sample);
  assertRealized(samples, asOf); // the lookahead rule, checked where the training set is built
  return { x, samples };
}

/**
 * Runs the training phases and saves the models to `ctx.options.modelsDir`.
 * @param ctx - the run context.
 * @param window - training window [start, end], UTC ms.
 * @returns the trained models (still in memory) and the curves.
 * @throws ConfigError when the window yields no CNN rows; DataError from loading.
 * @example
 * const outcome = await runTraining(ctx, { start: Date.UTC(2024, 6, 26, 16), end: Date.UTC(2024, 7, 25, 14) });
 */
export async function runTraining(ctx: RunContext, window: { start: number; end: number }): Promise<TrainOutcome> {
  const { config, options, io, rng } = ctx;
  const log = new TrainingLog(ctx);
  io.write(`train window ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}, decisions every ${config.decisionTimeframe}\n`);
  const datasets = options.symbols.map((symbol) => buildSymbolDataset({ config, dataDir: ctx.dataDir, symbol, start: window.start, end: window.end, withLabels: true }));
  for (const d of datasets) {
    io.write(`  ${d.symbol}: ${d.decisionBars.length} decision bars, ${d.inputs.times.length} windows (${d.inputs.skipped.length} skipped: no point-in-time window), ${d.labels.length} labelled\n`);
  }
  // Phase 1: the CNN on the first trainFraction of the window, labels realized by the cutoff.
  const cutoff = window.start + Math.floor((window.end - window.start) * config.cnn.trainFraction / TIMEFRAME_MS[config.decisionTimeframe]) * TIMEFRAME_MS[config.decisionTimeframe];
  const { x, samples } = pooledRows(datasets, cutoff);
  if (samples.length < 2) throw new ConfigError({ parameter: 'train window', value: `${samples.length} labelled rows`, expected: 'a window long enough for at least 2 labelled CNN rows (see data/README.md for the bundled windows)' });
  const targets = toTrainingTargets(samples, config.timeframes, config.orchestrator.weights);
  const first = datasets[0] as SymbolDataset;
  const cnn = new MultiTimeframeCnn({
    timeframes: config.timeframes,
    sequenceLength: first.inputs.sequenceLength,
    channels: first.inputs.channels,
    filters: config.cnn.filters,
    headUnits: config.cnn.headUnits,
    confidenceUnits: config.cnn.confidenceUnits,
    dropout: config.cnn.dropout,
    learningRate: config.cnn.learningRate,
    seed: rng.derive('cnn'),
  });
  io.write(`CNN: ${samples.length} rows (realized by ${new Date(cutoff).toISOString()}), input [${first.inputs.sequenceLength}, ${first.inputs.channels}], ${config.timeframes.length} heads\n`);
  let best = Infinity;
  const history = await cnn.fit(
    { x, actions: targets.actions, confidence: targets.confidence },
    {
      epochs: config.cnn.epochs,
      batchSize: config.cnn.batchSize,
      validationFraction: config.cnn.validationFraction,
      patience: config.cnn.patience,
      onEpoch: async (epoch, metrics) => {
        log.cnnEpoch(epoch, metrics);
        const monitored = Number.isNaN(metrics.valLoss) ? metrics.loss : metrics.valLoss;
        io.write(`  epoch ${epoch + 1}: loss ${metrics.loss.toFixed(4)} val ${metrics.valLoss.toFixed(4)} acc ${metrics.accuracy.map((a) => a.toFixed(2)).join('/')}\n`);
        if (monitored < best) {
          best = monitored;
          await cnn.save(join(options.modelsDir, 'checkpoints', 'cnn')); // best-so-far checkpoint
        }
      },
    },
  );
  await cnn.save(join(options.modelsDir, 'cnn'));
  io.write(`  best epoch ${history.bestEpoch + 1}${history.stoppedEarly ? ' (stopped early)' : ''}\n`);

  // Phase 2: one DQN per symbol on the CNN's outputs after the cutoff.
  const signals = computeSignals(cnn, datasets, config);
  const dqns: DuelingDoubleDqn[] = [];
  const episodes: DqnEpisodeRow[] = [];
  for (const [i, dataset] of datasets.entries()) {
    const symbolSignals = signals[i] as Map<number, DecisionSignal>;
    const dqn = new DuelingDoubleDqn({
      stateSize: dqnStateSize(config.timeframes.length),
      hiddenUnits: config.dqn.hiddenUnits,
      learningRate: config.dqn.learningRate,
      gamma: config.dqn.gamma,
      batchSize: config.dqn.batchSize,
      targetSyncInterval: config.dqn.targetSyncInterval,
      replayCapacity: config.dqn.replayCapacity,
      seed: rng.derive(`dqn/${dataset.symbol}`),
    });
    const bars = dataset.decisionBars.filter((bar) => bar.closeTime > cutoff);
    for (let episode = 0; episode < config.dqn.episodes; episode++) {
      const row = runEpisode(dqn, config, rng.derive(`explore/${dataset.symbol}/${episode}`), bars, symbolSignals);
      const summary = { symbol: dataset.symbol, episode: episode + 1, ...row };
      episodes.push(summary);
      log.dqnEpisode(summary);
      io.write(`DQN ${dataset.symbol} episode ${episode + 1}: ${row.decisions} decisions, ${row.trainSteps} train steps, mean loss ${row.meanLoss.toFixed(4)}, reward ${row.rewardSum.toFixed(3)}, B/H/S ${row.buy}/${row.hold}/${row.sell}\n`);
    }
    await dqn.save(dqnDir(options.modelsDir, dataset.symbol));
    dqns.push(dqn);
  }
  writeManifest(options.modelsDir, {
    version: 1,
    timeframes: [...config.timeframes],
    decisionTimeframe: config.decisionTimeframe,
    sequenceLength: first.inputs.sequenceLength,
    channels: first.inputs.channels,
    features: { window: config.features.window, baselineWindow: config.features.baselineWindow, trendPeriod: config.features.trendPeriod },
    stateSize: dqnStateSize(config.timeframes.length),
    symbols: [...options.symbols],
    trainWindow: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
    seed: options.seed,
  });
  log.close();
  return { cnn, dqns, cnnEpochs: history.epochs, bestEpoch: history.bestEpoch, stoppedEarly: history.stoppedEarly, dqnEpisodes: episodes, cnnRows: samples.length, cutoff, datasets };
}

/** One pass of the policy over the DQN part of the window (simulated fills at the close, fees on changes). */
function runEpisode(dqn: DuelingDoubleDqn, config: MtfConfig, rng: Rng, bars: readonly Bar[], signals: Map<number, DecisionSignal>): Omit<DqnEpisodeRow, 'symbol' | 'episode'> {
  const policy = new TradingPolicy(dqn, rng, policyOptions(config, { explore: true, learn: true }));
  let exposure = 0;
  let equity = 1;
  let previousClose: number | null = null;
  for (const bar of bars) {
    if (previousClose !== null) equity *= 1 + exposure * (bar.close / previousClose - 1);
    previousClose = bar.close;
    const decision = policy.decide(signals.get(bar.closeTime) ?? null, exposure, equity, bar.closeTime, bar.close);
    const next = decision.target ?? exposure;
    equity *= 1 - config.execution.feeRate * Math.abs(next - exposure);
    exposure = next;
  }
  const s = policy.stats;
  return { decisions: s.decisions, trainSteps: s.trainSteps, meanLoss: s.trainSteps > 0 ? s.lossSum / s.trainSteps : Number.NaN, rewardSum: s.rewardSum, buy: s.dqnActions[0], hold: s.dqnActions[1], sell: s.dqnActions[2], equity, losses: s.losses };
}
