import { buyAndHold, NextBarOpenFillModel, runBacktest, summarizePerformance } from '@trading-ml/backtest';
import type { Strategy } from '@trading-ml/backtest';
import { ConfigError, Rng, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { FeaturePipeline } from '@trading-ml/market-data';
import { validatePopAgentConfig } from './config.js';
import { createInventory } from './methods/inventory.js';
import { MEDIUM_HORIZON, ModelBank, SLOW_EVERY } from './modelBank.js';
import { Population } from './population.js';
import { NewsSentiment } from './sentiment.js';
import type { Condition, PopAgentInput, PopAgentRunResult, SelectionSample } from './types.js';

/** Conditions that need an LLM endpoint (a later issue); `runPopAgent` rejects them with a ConfigError. */
export const LLM_CONDITIONS: readonly Condition[] = ['B', 'D'];
/** Starting cash of the strategy and of buy-and-hold, quote currency. */
export const INITIAL_CASH = 10_000;
/** One selection sample every this many decisions. */
export const SELECTION_EVERY = 6;
const REGIME_NAMES = ['bear', 'neutral', 'bull'] as const;
const CONDITIONS: readonly Condition[] = ['A', 'B', 'C', 'D'];
const PROGRESS_EVERY = 256;
/** Stationary-bootstrap resamples of the Sharpe interval (about 50 ms for 6 400 returns). */
export const SHARPE_RESAMPLES = 1000;

/** Options of {@link runPopAgent}. */
export interface RunPopAgentOptions {
  /** Called every few hundred bars and at the end with (bars processed, total bars). */
  readonly onProgress?: (done: number, total: number) => void;
}

function checkInput(input: PopAgentInput): void {
  if (!CONDITIONS.includes(input.condition)) {
    throw new ConfigError({ parameter: 'condition', value: input.condition, expected: "one of 'A', 'B', 'C', 'D'" });
  }
  if (LLM_CONDITIONS.includes(input.condition)) {
    throw new ConfigError({
      parameter: 'condition',
      value: input.condition,
      expected:
        `'A' or 'C': condition ${input.condition} needs an LLM endpoint (--llm-base-url), which is not yet available ` +
        '(LLM reasoning over the selected methods is a later issue)',
    });
  }
  if (typeof input.symbol !== 'string' || input.symbol.length === 0) {
    throw new ConfigError({ parameter: 'symbol', value: input.symbol, expected: "a non-empty symbol such as 'BTC/USDT'" });
  }
  if (!(input.timeframe in TIMEFRAME_MS)) {
    throw new ConfigError({ parameter: 'timeframe', value: input.timeframe, expected: `one of ${Object.keys(TIMEFRAME_MS).join(', ')}` });
  }
  if (!Number.isSafeInteger(input.seed)) throw new ConfigError({ parameter: 'seed', value: input.seed, expected: 'a safe integer' });
  if (!(input.periodsPerYear > 0) || !Number.isFinite(input.periodsPerYear)) {
    throw new ConfigError({ parameter: 'periodsPerYear', value: input.periodsPerYear, expected: 'a positive number of bars per year (2190 for 4h crypto)' });
  }
  if (!(input.start <= input.end)) {
    throw new ConfigError({ parameter: 'start', value: input.start, expected: `a UTC ms time ≤ end (${input.end})` });
  }
}

function argmax(values: readonly number[] | null): number {
  if (values === null) return 1;
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Runs PopAgent on one symbol under one condition: streams every bar through the feature pipeline, the online
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
  checkInput(input);
  const config = validatePopAgentConfig(input.config ?? {});
  const methods = createInventory({ condition: input.condition, volatilityTarget: config.volatilityTarget, periodsPerYear: input.periodsPerYear });
  if (config.methodsPerDecision > methods.length) {
    throw new ConfigError({ parameter: 'methodsPerDecision', value: config.methodsPerDecision, expected: `an integer in [1, ${methods.length}] (the inventory size)` });
  }

  const bars = input.bars;
  let warmUpCount = 0;
  while (warmUpCount < bars.length && bars[warmUpCount]!.closeTime < input.start) warmUpCount++;
  let lastIndex = warmUpCount;
  while (lastIndex < bars.length && bars[lastIndex]!.closeTime <= input.end) lastIndex++;
  const tradingBars = bars.slice(warmUpCount, lastIndex);
  if (tradingBars.length === 0) {
    throw new ConfigError({ parameter: 'start', value: input.start, expected: `a range [start, end] holding at least one bar close (end ${input.end})` });
  }

  const root = Rng.fromSeed(input.seed).derive(input.symbol);
  const population = new Population({
    population: config.population,
    nMethods: methods.length,
    methodsPerDecision: config.methodsPerDecision,
    discount: config.discount,
    rankingWindow: config.rankingWindow,
    transferEvery: config.transferEvery,
    transferRate: config.transferRate,
    allowShort: config.allowShort,
    rng: root,
  });
  const useNews = input.condition === 'C' || input.condition === 'D';
  const models = new ModelBank({ sgdLearningRate: config.sgdLearningRate, rlsForgettingFactor: config.rlsForgettingFactor, useSentiment: useNews });
  const pipeline = new FeaturePipeline({
    barsPerDay: Math.max(2, Math.round(TIMEFRAME_MS['1d'] / TIMEFRAME_MS[input.timeframe])),
    mediumEvery: MEDIUM_HORIZON,
    slowEvery: SLOW_EVERY,
  });
  const references = new Map<number, Bar>();
  for (const bar of input.referenceBars ?? []) references.set(bar.closeTime, bar);
  const sentiment = useNews
    ? new NewsSentiment({ news: input.news ?? [], symbol: input.symbol, from: bars[0]!.closeTime, until: tradingBars[tradingBars.length - 1]!.closeTime })
    : null;

  const nMethods = methods.length;
  const signals = new Float64Array(nMethods);
  const total = warmUpCount + tradingBars.length;
  let processed = 0;
  let previousClose = Number.NaN;
  const step = (bar: Bar) => {
    const features = pipeline.update(bar, references.get(bar.closeTime) ?? null);
    const context = models.step(bar, features, sentiment === null ? null : sentiment.at(bar.closeTime));
    for (let m = 0; m < nMethods; m++) signals[m] = methods[m]!.signal(context);
    processed++;
    if (options.onProgress !== undefined && processed % PROGRESS_EVERY === 0) options.onProgress(processed, total);
    return context;
  };
  for (let i = 0; i < warmUpCount; i++) {
    step(bars[i]!);
    previousClose = bars[i]!.close;
  }

  const exposure: number[] = [];
  const selections: SelectionSample[] = [];
  const strategy: Strategy = {
    onBar(bar: Bar): number {
      const context = step(bar);
      population.realize(bar.close / previousClose - 1);
      previousClose = bar.close;
      const decision = population.decide(signals, context.volatility, context.regimePosterior);
      if ((population.decisionCount - 1) % SELECTION_EVERY === 0) {
        const counts = new Array<number>(nMethods).fill(0);
        for (const agent of population.agents) for (const arm of agent.selected) counts[arm]!++;
        selections.push({ time: bar.closeTime, regime: REGIME_NAMES[argmax(context.regimePosterior)]!, counts });
      }
      exposure.push(decision);
      return decision;
    },
  };

  const fillModel = new NextBarOpenFillModel({ feeRate: config.feeRate, slippageRate: config.slippageRate });
  const result = runBacktest({ bars: tradingBars, strategy, symbol: input.symbol, fillModel, initialCash: INITIAL_CASH, allowShort: config.allowShort, minRebalanceFraction: config.rebalanceThreshold });
  const baseline = buyAndHold({ bars: tradingBars, symbol: input.symbol, fillModel, initialCash: INITIAL_CASH });
  options.onProgress?.(total, total);

  const metricsRng = root.derive('metrics');
  return {
    condition: input.condition,
    symbol: input.symbol,
    timeframe: input.timeframe,
    start: input.start,
    end: input.end,
    seed: input.seed,
    config,
    methods: methods.map((method) => method.name),
    metrics: summarizePerformance(result, { periodsPerYear: input.periodsPerYear, rng: metricsRng.derive('strategy'), resamples: SHARPE_RESAMPLES }),
    buyAndHold: summarizePerformance(baseline, { periodsPerYear: input.periodsPerYear, rng: metricsRng.derive('buyAndHold'), resamples: SHARPE_RESAMPLES }),
    equity: { time: result.equityCurve.time, strategy: result.equityCurve.equity, buyAndHold: baseline.equityCurve.equity },
    exposure,
    selections,
    agentSteps: config.population * population.decisionCount,
  };
}
