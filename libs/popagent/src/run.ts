import { buyAndHold, NextBarOpenFillModel, runBacktest, summarizePerformance } from '@trading-ml/backtest';
import type { Strategy } from '@trading-ml/backtest';
import { ConfigError, Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { checkEngineIdentity } from './conditions.js';
import { PopAgentEngine } from './engine.js';
import type { PopAgentInput, PopAgentRunResult, SelectionSample } from './types.js';

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
 * @throws ConfigError for conditions B/D (need an LLM endpoint, `--llm-base-url`, not yet available), a bad config
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
  const engine = new PopAgentEngine({
    symbol: input.symbol,
    timeframe: input.timeframe,
    condition: input.condition,
    seed: input.seed,
    periodsPerYear: input.periodsPerYear,
    ...(input.config === undefined ? {} : { config: input.config }),
    ...(input.news === undefined ? {} : { news: input.news.filter((item) => item.time < until) }),
  });
  const config = engine.config;
  if (tradingBars.length === 0) {
    throw new ConfigError({ parameter: 'start', value: input.start, expected: `a range [start, end] holding at least one bar close (end ${input.end})` });
  }

  const references = new Map<number, Bar>();
  for (const bar of input.referenceBars ?? []) references.set(bar.closeTime, bar);
  const total = warmUpCount + tradingBars.length;
  let processed = 0;
  const progress = () => {
    processed++;
    if (options.onProgress !== undefined && processed % PROGRESS_EVERY === 0) options.onProgress(processed, total);
  };
  for (let i = 0; i < warmUpCount; i++) {
    const bar = bars[i]!;
    engine.warmUp(bar, references.get(bar.closeTime) ?? null);
    progress();
  }

  const exposure: number[] = [];
  const selections: SelectionSample[] = [];
  const strategy: Strategy = {
    onBar(bar: Bar): number {
      const proposal = engine.step(bar, references.get(bar.closeTime) ?? null);
      progress();
      if (proposal.decision % SELECTION_EVERY === 0) {
        selections.push({ time: proposal.time, regime: proposal.regime, counts: proposal.methods.map((method) => method.selectedBy) });
      }
      exposure.push(proposal.exposure);
      return proposal.exposure;
    },
  };

  const fillModel = new NextBarOpenFillModel({ feeRate: config.feeRate, slippageRate: config.slippageRate });
  const result = runBacktest({ bars: tradingBars, strategy, symbol: input.symbol, fillModel, initialCash: INITIAL_CASH, allowShort: config.allowShort, minRebalanceFraction: config.rebalanceThreshold });
  const baseline = buyAndHold({ bars: tradingBars, symbol: input.symbol, fillModel, initialCash: INITIAL_CASH });
  options.onProgress?.(total, total);

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
  };
}
