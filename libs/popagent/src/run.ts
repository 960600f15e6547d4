import { buyAndHold, NextBarOpenFillModel, runBacktest, summarizePerformance } from '@trading-ml/backtest';
import type { BacktestResult, Strategy } from '@trading-ml/backtest';
import { ConfigError, Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { checkEngineIdentity, LLM_CONDITIONS } from './conditions.js';
import { PopAgentEngine } from './engine.js';
import type { PopAgentProposal } from './engineTypes.js';
import type { LlmRunSummary, PopAgentConfig, PopAgentInput, PopAgentRunResult, SelectionSample } from './types.js';

export { LLM_CONDITIONS } from './conditions.js';
/** Starting cash of the strategy and of buy-and-hold, quote currency. */
export const INITIAL_CASH = 10_000;
/** One selection sample every this many decisions. */
export const SELECTION_EVERY = 6;
const PROGRESS_EVERY = 256;
/** Stationary-bootstrap resamples of the Sharpe interval (about 50 ms for 6 400 returns). */
export const SHARPE_RESAMPLES = 1000;

/** Options of {@link runPopAgent}. */
export interface RunPopAgentOptions {
  /** Called every few hundred bars and at the end with (bars processed, total bars). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Runs PopAgent on one symbol under one condition with a {@link PopAgentEngine}: streams every bar through the feature pipeline, the online
 * models and the method inventory; from the first bar with closeTime ≥ start to end, the population decides at
 * each close and its committed (population-average) exposure is traded through the backtest kernel
 * (next-bar-open fills with fees and slippage), alongside buy-and-hold on the same bars and fill model.
 *
 * Decision timeline at the close of bar t: features and models learn what bar t made known (labels whose last
 * bar is t), methods emit signals, agents learn from r_t (the outcome of their decision at t − 1), preference
 * transfer runs when due, agents decide, and the mean position is ordered; it fills at bar t + 1's open.
 *
 * Random streams: `Rng.fromSeed(seed).derive(symbol)`, then 'agent/i' per agent and 'metrics' for the bootstrap,
 * so conditions A and C share streams (common random numbers) and one seed reproduces the run.
 *
 * @param input - bars (with warm-up before start), optional referenceBars and news, condition, seed, config.
 * @param options - optional onProgress(done, total) callback (bars).
 * @returns the run's metrics, equity curves, exposures, selection samples and agent-step count.
 * @throws ConfigError for conditions B/D (they ask an LLM: use `runPopAgentAsync` with a reasoner), a bad config
 *   key, k larger than the inventory, or no bar between start and end; DataError from the pipeline or the kernel
 *   on out-of-order or invalid bars.
 * @see PopAgent issue (population of Thompson-sampling agents, preference transfer); W. R. Thompson (1933);
 *   D. Russo et al. (2018), "A tutorial on Thompson sampling"; V. Raj, S. Kalyani (2017).
 * @example
 * const result = runPopAgent({ symbol: 'BTC/USDT', timeframe: '4h', bars, start: Date.UTC(2022, 0, 1),
 *   end: Date.UTC(2024, 11, 1), condition: 'A', seed: 42, periodsPerYear: 2190 });
 * result.metrics.sharpeRatio; result.buyAndHold.sharpeRatio;
 */
export function runPopAgent(input: PopAgentInput, options: RunPopAgentOptions = {}): PopAgentRunResult {
  if (LLM_CONDITIONS.includes(input.condition)) {
    throw new ConfigError({
      parameter: 'condition',
      value: input.condition,
      expected: `'A' or 'C' for runPopAgent: condition ${input.condition} asks an LLM; run it with runPopAgentAsync(input, { reasoner }) (CLI: --llm-base-url and --llm-model, or --llm-cache)`,
    });
  }
  const run = prepareRun(input, options.onProgress);
  const { engine, references } = run;
  const exposure: number[] = [];
  const selections: SelectionSample[] = [];
  const strategy: Strategy = {
    onBar(bar: Bar): number {
      const proposal = engine.step(bar, references.get(bar.closeTime) ?? null);
      run.tick();
      recordSelection(selections, proposal);
      exposure.push(proposal.exposure);
      return proposal.exposure;
    },
  };
  const result = runBacktest({ bars: run.tradingBars, strategy, symbol: input.symbol, ...kernelOptions(run.config) });
  return finishRun(input, run, result, exposure, selections);
}

/** Everything `runPopAgent` and `runPopAgentAsync` set up alike: the engine (warmed up), the trading bars, progress. */
export interface PreparedRun {
  readonly engine: PopAgentEngine;
  readonly config: PopAgentConfig;
  /** Bars with start ≤ closeTime ≤ end: the decisions. */
  readonly tradingBars: readonly Bar[];
  /** Reference bars by closeTime. */
  readonly references: ReadonlyMap<number, Bar>;
  /** The headlines a run may use (time before the last decision close). */
  readonly news: PopAgentInput['news'];
  /** Counts one bar for the progress callback. */
  tick(): void;
  /** Reports the end to the progress callback. */
  done(): void;
}

/**
 * Validates the input, builds the engine and feeds it the warm-up bars (bars closing before `start`).
 * @param input - the run's input (any condition).
 * @param onProgress - called every few hundred bars with (bars processed, total).
 * @returns the prepared run.
 * @throws ConfigError / DataError as documented on {@link runPopAgent}.
 */
export function prepareRun(input: PopAgentInput, onProgress: ((done: number, total: number) => void) | undefined): PreparedRun {
  checkEngineIdentity(input);
  if (!(input.start <= input.end)) {
    throw new ConfigError({ parameter: 'start', value: input.start, expected: `a UTC ms time ≤ end (${input.end})` });
  }
  const bars = input.bars;
  let warmUpCount = 0;
  while (warmUpCount < bars.length && bars[warmUpCount]!.closeTime < input.start) warmUpCount++;
  let lastIndex = warmUpCount;
  while (lastIndex < bars.length && bars[lastIndex]!.closeTime <= input.end) lastIndex++;
  const tradingBars = bars.slice(warmUpCount, lastIndex);
  // Headlines at or after the last close are never used: the engine need not sort them.
  const until = tradingBars.length === 0 ? -Infinity : tradingBars[tradingBars.length - 1]!.closeTime;
  const news = input.news?.filter((item) => item.time < until);
  const engine = new PopAgentEngine({
    symbol: input.symbol,
    timeframe: input.timeframe,
    condition: input.condition,
    seed: input.seed,
    periodsPerYear: input.periodsPerYear,
    ...(input.config === undefined ? {} : { config: input.config }),
    ...(news === undefined ? {} : { news }),
  });
  if (tradingBars.length === 0) {
    throw new ConfigError({ parameter: 'start', value: input.start, expected: `a range [start, end] holding at least one bar close (end ${input.end})` });
  }

  const references = new Map<number, Bar>();
  for (const bar of input.referenceBars ?? []) references.set(bar.closeTime, bar);
  const total = warmUpCount + tradingBars.length;
  let processed = 0;
  const tick = () => {
    processed++;
    if (onProgress !== undefined && processed % PROGRESS_EVERY === 0) onProgress(processed, total);
  };
  for (let i = 0; i < warmUpCount; i++) {
    const bar = bars[i]!;
    engine.warmUp(bar, references.get(bar.closeTime) ?? null);
    tick();
  }
  return { engine, config: engine.config, tradingBars, references, news, tick, done: () => onProgress?.(total, total) };
}

/** The kernel's fill model and limits of a run (shared by the strategy and buy-and-hold). */
export function kernelOptions(config: PopAgentConfig): { fillModel: NextBarOpenFillModel; initialCash: number; allowShort: boolean; minRebalanceFraction: number } {
  const fillModel = new NextBarOpenFillModel({ feeRate: config.feeRate, slippageRate: config.slippageRate });
  return { fillModel, initialCash: INITIAL_CASH, allowShort: config.allowShort, minRebalanceFraction: config.rebalanceThreshold };
}

/** Keeps one selection sample every SELECTION_EVERY decisions. */
export function recordSelection(selections: SelectionSample[], proposal: PopAgentProposal): void {
  if (proposal.decision % SELECTION_EVERY === 0) {
    selections.push({ time: proposal.time, regime: proposal.regime, counts: proposal.methods.map((method) => method.selectedBy) });
  }
}

/**
 * Buy-and-hold on the same bars and fills, the performance summaries (seeded bootstrap) and the result object.
 * @param input - the run's input.
 * @param run - from {@link prepareRun}, every trading bar stepped.
 * @param result - the strategy's backtest.
 * @param exposure - the committed exposure at each decision.
 * @param selections - the selection samples.
 * @param llm - the LLM summary of a B/D run.
 * @returns the run's result.
 */
export function finishRun(
  input: PopAgentInput,
  run: PreparedRun,
  result: BacktestResult,
  exposure: readonly number[],
  selections: readonly SelectionSample[],
  llm?: LlmRunSummary,
): PopAgentRunResult {
  const { config, engine, tradingBars } = run;
  const { fillModel, initialCash } = kernelOptions(config);
  const baseline = buyAndHold({ bars: tradingBars, symbol: input.symbol, fillModel, initialCash });
  run.done();

  const metricsRng = Rng.fromSeed(input.seed).derive(input.symbol).derive('metrics');
  return {
    condition: input.condition,
    symbol: input.symbol,
    timeframe: input.timeframe,
    start: input.start,
    end: input.end,
    seed: input.seed,
    config,
    methods: [...engine.methodNames],
    metrics: summarizePerformance(result, { periodsPerYear: input.periodsPerYear, rng: metricsRng.derive('strategy'), resamples: SHARPE_RESAMPLES }),
    buyAndHold: summarizePerformance(baseline, { periodsPerYear: input.periodsPerYear, rng: metricsRng.derive('buyAndHold'), resamples: SHARPE_RESAMPLES }),
    equity: { time: result.equityCurve.time, strategy: result.equityCurve.equity, buyAndHold: baseline.equityCurve.equity },
    exposure,
    selections,
    agentSteps: config.population * engine.decisionCount,
    ...(llm === undefined ? {} : { llm }),
  };
}
