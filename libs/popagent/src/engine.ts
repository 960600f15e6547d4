import { z } from 'zod';
import { ConfigError, DataError, parseState, Rng, StateError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { FeaturePipeline } from '@trading-ml/market-data';
import type { NewsItem } from '@trading-ml/market-data';
import { BarHistory } from './barHistory.js';
import type { BarHistoryState } from './barHistory.js';
import { checkEngineIdentity, CONDITIONS } from './conditions.js';
import { validatePopAgentConfig } from './config.js';
import { updateHyperparameters } from './hyperparameters.js';
import type { TunableHyperparameters } from './hyperparameters.js';
import { createInventory } from './methods/inventory.js';
import type { MethodContext, TradingMethod } from './methods/types.js';
import { createVolatilityTargetingMethod } from './methods/volatilityTargeting.js';
import { MEDIUM_HORIZON, ModelBank, SLOW_EVERY } from './modelBank.js';
import { Population } from './population.js';
import { NewsSentiment } from './sentiment.js';
import { nestedStateError, restoreParts, withoutNegativeZero } from './state.js';
import type { Condition, PopAgentConfig } from './types.js';
import type { PopAgentEngineOptions, PopAgentEngineState, PopAgentProposal } from './engineTypes.js';

const WHAT = 'PopAgentEngine';
const REGIME_NAMES = ['bear', 'neutral', 'bull'] as const;

const stateSchema = z.object({
  kind: z.literal('popagent-engine', '"popagent-engine"'),
  version: z.literal(1, '1 (the snapshot format version)'),
  symbol: z.string(),
  timeframe: z.string(),
  condition: z.enum(CONDITIONS as [Condition, ...Condition[]]),
  periodsPerYear: z.number().positive(),
  seed: z.number().int(),
  config: z.record(z.string(), z.unknown(), 'an object of PopAgent hyperparameters'),
  bars: z.unknown(),
  models: z.unknown(),
  population: z.unknown(),
  news: z.unknown(),
});

/** The learned and indicator state of one engine; restore builds a new one and swaps it in whole. */
interface Core {
  config: PopAgentConfig;
  readonly methods: TradingMethod[];
  readonly population: Population;
  readonly models: ModelBank;
  readonly pipeline: FeaturePipeline;
  readonly history: BarHistory;
  sentiment: NewsSentiment | null;
  previousClose: number;
}

/** Index of the most probable regime; 1 (neutral) while there is no posterior. */
function argmax(values: readonly number[] | null): number {
  if (values === null) return 1;
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function checkBar(bar: Bar, reference: Bar | null): void {
  if (!Number.isSafeInteger(bar.closeTime)) {
    throw new DataError({ location: { file: 'PopAgentEngine', column: 'closeTime' }, value: bar.closeTime, expected: 'an integer UTC ms time' });
  }
  if (!Number.isFinite(bar.high) || !Number.isFinite(bar.low)) {
    throw new DataError({ location: { file: 'PopAgentEngine', column: 'high/low' }, value: [bar.high, bar.low], expected: 'finite prices' });
  }
  if (reference !== null && !(reference.close > 0 && Number.isFinite(reference.close))) {
    throw new DataError({ location: { file: 'PopAgentEngine', column: 'reference.close' }, value: reference.close, expected: 'a finite close > 0' });
  }
}

/**
 * PopAgent as a long-lived, stepwise object: the feature pipeline, the online models (delayed labels), the
 * method inventory and the population of Thompson-sampling agents of one (symbol, condition) stream. Feed it
 * every closed bar in time order: `warmUp` learns without deciding, `step` also lets the agents learn the outcome
 * of their previous decision and decide, and returns a {@link PopAgentProposal} (the committed exposure and
 * everything behind it). `runPopAgent`, live trading and PBT all drive this same object.
 *
 * `snapshot()` is plain JSON data; `restore()` into a fresh engine continues bit-identically. Indicators
 * (trading-signals EMA/Wilder smoothing, unbounded memory) cannot be serialised, so the snapshot keeps every bar
 * as columns of numbers (≈ 40 bytes a bar) and `restore` replays them through the indicator-only parts (feature
 * pipeline and methods) before setting the learned state. `setHyperparameters` changes the tunable keys mid-run
 * (PBT explore); restore-then-setHyperparameters is PBT's exploit.
 *
 * @see PopAgent issue (population, inventory, 1/6/42 schedule, conditions); M. Jaderberg et al. (2017),
 *   "Population based training of neural networks", arXiv:1711.09846 (exploit = copy state, explore = perturb).
 * @example
 * const engine = new PopAgentEngine({ symbol: 'BTC/USDT', timeframe: '4h', condition: 'A', seed: 42, periodsPerYear: 2190 });
 * for (const bar of bars.slice(0, 200)) engine.warmUp(bar);
 * const proposal = engine.step(bars[200]!); // { time, exposure, regime, forecasts, methods: [{ name, signal, selectedBy }], … }
 * const saved = JSON.stringify(engine.snapshot());
 * const copy = new PopAgentEngine({ symbol: 'BTC/USDT', timeframe: '4h', condition: 'A', seed: 42, periodsPerYear: 2190 });
 * copy.restore(JSON.parse(saved)); // copy.step(bar) === engine.step(bar), bit for bit
 */
export class PopAgentEngine {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly condition: Condition;
  readonly seed: number;
  readonly periodsPerYear: number;
  /** Names of the inventory methods, in the order of {@link PopAgentProposal.methods}. */
  readonly methodNames: readonly string[];
  private readonly news: readonly NewsItem[];
  private readonly useNews: boolean;
  private readonly signals: Float64Array;
  private readonly replayContext: { -readonly [K in keyof MethodContext]: MethodContext[K] };
  private core: Core;
  /** The method context of the latest fed bar (ModelBank reuses one object). */
  private lastContext: MethodContext | null = null;

  /**
   * @param options - see {@link PopAgentEngineOptions}.
   * @throws ConfigError for an unknown condition, an empty symbol, an unknown timeframe, a seed
   *   that is not a safe integer, periodsPerYear ≤ 0, a bad config key or value, or k larger than the inventory.
   */
  constructor(options: PopAgentEngineOptions) {
    checkEngineIdentity(options);
    this.symbol = options.symbol;
    this.timeframe = options.timeframe;
    this.condition = options.condition;
    this.seed = options.seed;
    this.periodsPerYear = options.periodsPerYear;
    this.news = options.news ?? [];
    this.useNews = options.condition === 'C' || options.condition === 'D';
    this.core = this.createCore(validatePopAgentConfig(options.config ?? {}), options.seed, new BarHistory());
    this.methodNames = Object.freeze(this.core.methods.map((method) => method.name));
    this.signals = new Float64Array(this.methodNames.length);
    this.replayContext = { bar: { openTime: 0, closeTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 }, features: null, volatility: null, sgdForecast: null, rlsForecast: null, mediumForecast: null, regimePosterior: null, sentiment: null };
  }

  /** The current configuration (after any setHyperparameters or restore), frozen. */
  get config(): PopAgentConfig {
    return this.core.config;
  }

  /** Bars fed so far (warm-up and steps). */
  get barsSeen(): number {
    return this.core.history.length;
  }

  /** Decisions made so far (steps). */
  get decisionCount(): number {
    return this.core.population.decisionCount;
  }

  /**
   * Feeds one closed bar without deciding: features, models and method indicators learn from it (and agents
   * learn the outcome of a pending decision, if a step came before).
   * @param bar - the bar that just closed; closeTime after the previous bar's (integer UTC ms), close > 0.
   * @param reference - the reference asset's bar with the same closeTime (cross-asset correlation), or null.
   * @throws DataError on out-of-order, duplicate or invalid bars, or a reference bar at another closeTime (the
   *   engine is unchanged then).
   */
  warmUp(bar: Bar, reference: Bar | null = null): void {
    const realized = this.feed(bar, reference);
    this.core.population.realize(realized);
  }

  /**
   * Feeds one closed bar, lets every agent learn the outcome of its previous decision, and decides.
   * @param bar - the bar that just closed (as for {@link PopAgentEngine.warmUp}).
   * @param reference - the reference asset's bar with the same closeTime, or null.
   * @returns the proposal at `bar.closeTime`; its exposure is meant to fill at the next bar's open.
   * @throws DataError as for {@link PopAgentEngine.warmUp}.
   */
  step(bar: Bar, reference: Bar | null = null): PopAgentProposal {
    const realized = this.feed(bar, reference);
    const core = this.core;
    const context = this.lastContext!;
    core.population.realize(realized);
    const exposure = core.population.decide(this.signals, context.volatility, context.regimePosterior);
    const counts = new Array<number>(this.signals.length).fill(0);
    for (const agent of core.population.agents) for (const arm of agent.selected) counts[arm]!++;
    const posterior = context.regimePosterior === null ? null : [...context.regimePosterior];
    return {
      time: bar.closeTime,
      decision: core.population.decisionCount - 1,
      exposure,
      regime: REGIME_NAMES[argmax(posterior)]!,
      regimePosterior: posterior,
      volatility: context.volatility,
      forecasts: { sgd: context.sgdForecast, rls: context.rlsForecast, medium: context.mediumForecast },
      sentiment: context.sentiment,
      methods: this.methodNames.map((name, m) => ({ name, signal: this.signals[m]!, selectedBy: counts[m]! })),
    };
  }

  /**
   * Changes tunable hyperparameters from the next bar on (PBT explore); the learned state is kept.
   * @param partial - any subset of the keys of {@link TUNABLE_HYPERPARAMETERS}.
   * @throws ConfigError naming a key that is not tunable or a bad value (nothing changes then).
   * @example
   * engine.setHyperparameters({ discount: 0.97, transferRate: 0.3 }); engine.config.discount; // 0.97
   */
  setHyperparameters(partial: Partial<TunableHyperparameters>): void {
    const core = this.core;
    const before = core.config;
    const next = updateHyperparameters(before, partial, this.methodNames.length);
    const changed = <K extends keyof PopAgentConfig>(key: K): PopAgentConfig[K] | undefined => (next[key] !== before[key] ? next[key] : undefined);
    core.population.setHyperparameters({
      discount: changed('discount'),
      methodsPerDecision: changed('methodsPerDecision'),
      rankingWindow: changed('rankingWindow'),
      transferEvery: changed('transferEvery'),
      transferRate: changed('transferRate'),
    });
    if (next.sgdLearningRate !== before.sgdLearningRate) core.models.setSgdLearningRate(next.sgdLearningRate);
    if (next.rlsForgettingFactor !== before.rlsForgettingFactor) core.models.setRlsForgettingFactor(next.rlsForgettingFactor);
    if (next.volatilityTarget !== before.volatilityTarget) {
      const index = this.methodNames.indexOf('volatilityTargeting');
      // Stateless: a fresh method with the new target replaces the old one.
      if (index >= 0) core.methods[index] = createVolatilityTargetingMethod({ volatilityTarget: next.volatilityTarget, periodsPerYear: this.periodsPerYear });
    }
    core.config = next;
  }

  /**
   * The complete state as plain data (JSON round-trips exactly): config, every bar seen (compact columns), every
   * model, every agent (posteriors and random streams) and the news cursor.
   * @returns a fresh object; mutating it never affects the engine. A −0 is written as 0 (JSON has none).
   */
  snapshot(): PopAgentEngineState {
    const core = this.core;
    return withoutNegativeZero<PopAgentEngineState>({
      kind: 'popagent-engine',
      version: 1,
      symbol: this.symbol,
      timeframe: this.timeframe,
      condition: this.condition,
      periodsPerYear: this.periodsPerYear,
      seed: this.seed,
      config: { ...core.config },
      bars: core.history.snapshot(),
      models: core.models.snapshot(),
      population: core.population.snapshot(),
      news: core.sentiment === null ? null : core.sentiment.snapshot(),
    });
  }

  /**
   * Makes this engine continue exactly as the snapshotted one would (its config and random streams included):
   * replays the snapshot's bars through the feature pipeline and the methods' indicators, then sets the models,
   * the agents and the news cursor. An engine that has already seen exactly the snapshot's bars (PBT members of
   * one stream) skips the replay. All or nothing: on error the engine is unchanged. The snapshot may come from
   * an engine with other hyperparameters or seed (PBT exploit), not from another symbol, timeframe, condition or
   * periodsPerYear. Condition C resumes the news after the last close seen, from this engine's `news`.
   * @param state - from {@link PopAgentEngine.snapshot}, typically through JSON.parse (untrusted).
   * @throws StateError naming the offending field (e.g. "population.agents.3.bandit.mean.2") and what was expected.
   */
  restore(state: PopAgentEngineState): void {
    const s = parseState(WHAT, stateSchema, state);
    for (const [field, own] of [['symbol', this.symbol], ['timeframe', this.timeframe], ['condition', this.condition], ['periodsPerYear', this.periodsPerYear]] as const) {
      if (s[field] !== own) throw new StateError({ what: WHAT, problem: `field "${field}" is ${JSON.stringify(s[field])}, expected ${JSON.stringify(own)} (this engine's ${field})` });
    }
    let config: PopAgentConfig;
    try {
      config = validatePopAgentConfig(s.config as Partial<PopAgentConfig>);
      if (config.methodsPerDecision > this.methodNames.length) {
        throw new ConfigError({ parameter: 'methodsPerDecision', value: config.methodsPerDecision, expected: `an integer in [1, ${this.methodNames.length}] (the inventory size)` });
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new StateError({ what: WHAT, problem: `field "config.${error.parameter}" is ${JSON.stringify(error.value)}, expected ${error.expected}`, cause: error });
    }
    let history: BarHistory;
    try {
      history = BarHistory.restore(s.bars as BarHistoryState);
    } catch (error) {
      throw error instanceof StateError ? nestedStateError(WHAT, 'bars', error) : error;
    }
    // Indicator state is a function of the bars alone: an engine that has seen exactly these bars (a PBT member of
    // the same stream) keeps its pipeline and methods; any other engine replays the bars through fresh ones.
    const sameBars = history.equals(this.core.history);
    const core = this.createCore(config, s.seed, history, sameBars ? this.core : null);
    if (!sameBars) {
      const context = this.replayContext;
      for (let i = 0; i < history.length; i++) {
        const bar = history.bar(i);
        core.pipeline.update(bar, history.reference(i));
        context.bar = bar;
        for (const method of core.methods) method.signal(context);
      }
    }
    if (history.length > 0) core.previousClose = history.bar(history.length - 1).close;
    if (this.useNews && history.length > 0) {
      if (s.news === null) throw new StateError({ what: WHAT, problem: 'field "news" is null, expected the news cursor of a condition-C engine that has seen bars' });
      core.sentiment = this.createSentiment(history.bar(0).closeTime);
    } else if (s.news !== null) {
      throw new StateError({ what: WHAT, problem: `field "news" is not null, expected null (condition ${this.condition} before any bar or without news)` });
    }
    restoreParts(WHAT, [
      ['models', core.models, s.models],
      ['population', core.population, s.population],
      ...(core.sentiment === null ? [] : [['news', core.sentiment, s.news] as const]),
    ]);
    if (core.models.barsSeen !== history.length) {
      throw new StateError({ what: WHAT, problem: `field "models.index" is ${core.models.barsSeen - 1}, expected ${history.length - 1} (one less than the bars recorded)` });
    }
    this.core = core;
  }

  /** Pipeline, models and every method's signal for one bar; records it. @returns the realized return since the previous bar. */
  private feed(bar: Bar, reference: Bar | null): number {
    checkBar(bar, reference);
    const core = this.core;
    // The pipeline validates order and prices before it changes anything, so a bad bar leaves the engine as it was.
    const features = core.pipeline.update(bar, reference);
    if (this.useNews && core.sentiment === null) core.sentiment = this.createSentiment(bar.closeTime);
    const context = core.models.step(bar, features, core.sentiment === null ? null : core.sentiment.at(bar.closeTime));
    const methods = core.methods;
    for (let m = 0; m < methods.length; m++) this.signals[m] = methods[m]!.signal(context);
    core.history.push(bar, reference);
    this.lastContext = context;
    const realized = bar.close / core.previousClose - 1;
    core.previousClose = bar.close;
    return realized;
  }

  /** Headlines older than the first bar minus 40 half-lives weigh < 1e-12 and are skipped (as runPopAgent always did). */
  private createSentiment(firstCloseTime: number): NewsSentiment {
    return new NewsSentiment({ news: this.news, symbol: this.symbol, from: firstCloseTime });
  }

  /**
   * A new core for `config`; with `indicators`, its pipeline and methods (untouched; the stateless volatility
   * targeting is made anew for this config's target) instead of fresh ones.
   */
  private createCore(config: PopAgentConfig, seed: number, history: BarHistory, indicators: Core | null = null): Core {
    const fresh = createInventory({ condition: this.condition, volatilityTarget: config.volatilityTarget, periodsPerYear: this.periodsPerYear });
    const methods = indicators === null ? fresh : indicators.methods.map((method, m) => (method.name === 'volatilityTargeting' ? fresh[m]! : method));
    if (config.methodsPerDecision > methods.length) {
      throw new ConfigError({ parameter: 'methodsPerDecision', value: config.methodsPerDecision, expected: `an integer in [1, ${methods.length}] (the inventory size)` });
    }
    const population = new Population({
      population: config.population,
      nMethods: methods.length,
      methodsPerDecision: config.methodsPerDecision,
      discount: config.discount,
      rankingWindow: config.rankingWindow,
      transferEvery: config.transferEvery,
      transferRate: config.transferRate,
      allowShort: config.allowShort,
      rng: Rng.fromSeed(seed).derive(this.symbol),
    });
    const models = new ModelBank({ sgdLearningRate: config.sgdLearningRate, rlsForgettingFactor: config.rlsForgettingFactor, useSentiment: this.useNews });
    const pipeline =
      indicators?.pipeline ??
      new FeaturePipeline({
        barsPerDay: Math.max(2, Math.round(TIMEFRAME_MS['1d'] / TIMEFRAME_MS[this.timeframe])),
        mediumEvery: MEDIUM_HORIZON,
        slowEvery: SLOW_EVERY,
      });
    return { config, methods, population, models, pipeline, history, sentiment: null, previousClose: Number.NaN };
  }
}
