import type { Bar } from '@trading-ml/core';
import type { FeatureSnapshot } from '@trading-ml/market-data';
import { OnlineLinearRegression, OnlineRegimeDetector, OnlineRidge, OnlineVolatility } from '@trading-ml/online-models';
import type { OnlineRegressor } from '@trading-ml/online-models';
import { DelayedLabelLearner } from './delayedLabelLearner.js';
import { FeatureScaler } from './featureScaler.js';
import type { MethodContext } from './methods/types.js';

/** Label horizon (bars) of the medium forecaster, equal to the medium feature refresh interval. */
export const MEDIUM_HORIZON = 6;
/** The slow HMM learns every this many bars (filtering runs every bar). */
export const SLOW_EVERY = 42;
/** RiskMetrics EWMA decay of the volatility forecast. */
export const VOLATILITY_DECAY = 0.94;
/** Returns the EWMA must have seen before its forecast is used (it starts from r₁², far too noisy alone). */
export const VOLATILITY_WARM_UP = 20;
/** Ridge penalty of both RLS forecasters (standardised features). */
const RIDGE_LAMBDA = 10;
/** Inputs of the medium forecaster: the 3 medium features and the 3 slow ones (0 until the slow group is warm). */
const MEDIUM_FEATURES = 6;
/** L2 penalty of the SGD forecaster. */
const SGD_L2 = 0.001;

/** Options of {@link ModelBank}; `learners` lets tests substitute (spy) regressors. */
export interface ModelBankOptions {
  readonly sgdLearningRate: number;
  readonly rlsForgettingFactor: number;
  /** Add the news sentiment as a fifth fast feature (conditions C/D). */
  readonly useSentiment: boolean;
  readonly learners?: {
    readonly sgd?: (nFeatures: number) => OnlineRegressor;
    readonly rls?: (nFeatures: number) => OnlineRegressor;
    readonly medium?: (nFeatures: number) => OnlineRegressor;
  };
}

/**
 * The online models of one run, on the feature-aligned schedule, shared by every agent:
 * - fast (every bar): EWMA volatility of 1-bar returns; SGD linear and RLS ridge forecasters of the next
 *   1-bar return (in σ units) from the standardised fast features (+ sentiment in C/D), label delay 1 bar;
 * - medium (every 6 bars, when the medium features refresh): RLS forecaster of the next 6-bar return (in
 *   σ·√6 units) from the standardised medium features and the latest slow features (long return, volatility
 *   ratio, cross-asset correlation; they change every 42 bars), label delay 6 bars;
 * - slow: the 3-state HMM regime detector of 1-bar log returns filters every bar and re-estimates every 42
 *   bars; it starts once 42 returns are known (their standard deviation sets its prior scale).
 * `step(bar, features, sentiment)` learns what became known at this close, then forecasts, and writes
 * everything into the shared {@link MethodContext}.
 * @see PopAgent issue (the 1 / 6 / 42 schedule); J. P. Morgan (1996), RiskMetrics technical document (λ = 0.94).
 * @example
 * const bank = new ModelBank({ sgdLearningRate: 0.01, rlsForgettingFactor: 0.995, useSentiment: false });
 * const ctx = bank.step(bar, features, null); // ctx.volatility, ctx.rlsForecast, ctx.regimePosterior …
 */
export class ModelBank {
  readonly volatility = new OnlineVolatility({ decay: VOLATILITY_DECAY });
  /** Created after the first SLOW_EVERY returns, whose standard deviation sets its prior scale. */
  private regimeDetector: OnlineRegimeDetector | null = null;
  private readonly firstLogReturns = new Float64Array(SLOW_EVERY);
  private logReturnsSeen = 0;
  readonly sgd: DelayedLabelLearner;
  readonly rls: DelayedLabelLearner;
  readonly medium: DelayedLabelLearner;
  private readonly fastScaler: FeatureScaler;
  private readonly mediumScaler: FeatureScaler;
  private readonly fastRaw: Float64Array;
  private readonly fastX: Float64Array;
  private readonly mediumRaw = new Float64Array(MEDIUM_FEATURES);
  private readonly mediumX = new Float64Array(MEDIUM_FEATURES);
  private readonly useSentiment: boolean;
  private index = -1;
  private previousClose = Number.NaN;
  private mediumForecast: number | null = null;
  private readonly context: {
    bar: Bar;
    features: FeatureSnapshot | null;
    volatility: number | null;
    sgdForecast: number | null;
    rlsForecast: number | null;
    mediumForecast: number | null;
    regimePosterior: readonly number[] | null;
    sentiment: number | null;
  };

  /** @param options - see {@link ModelBankOptions}. @throws ConfigError from the model constructors on bad rates. */
  constructor(options: ModelBankOptions) {
    this.useSentiment = options.useSentiment;
    const nFast = options.useSentiment ? 5 : 4;
    this.fastScaler = new FeatureScaler(nFast);
    this.fastRaw = new Float64Array(nFast);
    this.fastX = new Float64Array(nFast);
    this.mediumScaler = new FeatureScaler(MEDIUM_FEATURES);
    const sgd = options.learners?.sgd?.(nFast) ?? new OnlineLinearRegression({ nFeatures: nFast, learningRate: options.sgdLearningRate, l2: SGD_L2 });
    const rls = options.learners?.rls?.(nFast) ?? new OnlineRidge({ nFeatures: nFast, lambda: RIDGE_LAMBDA, forgettingFactor: options.rlsForgettingFactor });
    const medium = options.learners?.medium?.(MEDIUM_FEATURES) ?? new OnlineRidge({ nFeatures: MEDIUM_FEATURES, lambda: RIDGE_LAMBDA, forgettingFactor: options.rlsForgettingFactor });
    this.sgd = new DelayedLabelLearner({ learner: sgd, horizon: 1 });
    this.rls = new DelayedLabelLearner({ learner: rls, horizon: 1 });
    this.medium = new DelayedLabelLearner({ learner: medium, horizon: MEDIUM_HORIZON });
    this.context = {
      bar: { openTime: 0, closeTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
      features: null,
      volatility: null,
      sgdForecast: null,
      rlsForecast: null,
      mediumForecast: null,
      regimePosterior: null,
      sentiment: null,
    };
  }

  /**
   * Advances every model by one closed bar.
   * @param bar - the bar that just closed (time order).
   * @param features - the feature snapshot at this close (null when there is no pipeline output).
   * @param sentiment - news sentiment at this close, or null (condition A/B).
   * @returns the shared method context for this close (the same object every call).
   */
  step(bar: Bar, features: FeatureSnapshot | null, sentiment: number | null): MethodContext {
    this.index++;
    const i = this.index;
    const close = bar.close;
    const ret = close / this.previousClose - 1;
    this.previousClose = close;

    // 1. Learn what this close made known: the 1-bar return and every label that matured now.
    if (Number.isFinite(ret)) {
      this.volatility.update(ret);
      this.updateRegime(Math.log1p(ret));
    }
    this.sgd.realize(i, close);
    this.rls.realize(i, close);
    this.medium.realize(i, close);

    // 2. Forecast from what is known at this close.
    const sigma = this.volatility.nUpdates >= VOLATILITY_WARM_UP ? this.volatility.volatility() : null;
    const ctx = this.context;
    ctx.bar = bar;
    ctx.features = features;
    ctx.sentiment = sentiment;
    ctx.volatility = sigma !== null && sigma > 0 ? sigma : null;
    ctx.regimePosterior = this.regimeDetector === null ? null : this.regimeDetector.posterior();
    ctx.sgdForecast = null;
    ctx.rlsForecast = null;
    const fast = features?.fast ?? null;
    if (fast !== null && ctx.volatility !== null) {
      this.fastRaw[0] = fast.return1;
      this.fastRaw[1] = fast.return5;
      this.fastRaw[2] = fast.intrabarVolatility;
      this.fastRaw[3] = fast.momentum;
      if (this.useSentiment) this.fastRaw[4] = sentiment ?? 0;
      const x = this.fastScaler.transform(this.fastRaw, this.fastX);
      ctx.sgdForecast = this.sgd.predict(x);
      ctx.rlsForecast = this.rls.predict(x);
      this.sgd.push(x, i, close, ctx.volatility);
      this.rls.push(x, i, close, ctx.volatility);
    }
    const medium = features?.medium ?? null;
    if (medium !== null && features?.updated.medium === true && ctx.volatility !== null) {
      this.mediumRaw[0] = medium.trendStrength;
      this.mediumRaw[1] = medium.dailyVolatility;
      this.mediumRaw[2] = medium.smaRatio;
      const slow = features.slow;
      this.mediumRaw[3] = slow?.longReturn ?? 0;
      this.mediumRaw[4] = slow?.volatilityRatio ?? 0;
      this.mediumRaw[5] = slow?.crossAssetCorrelation ?? 0;
      const x = this.mediumScaler.transform(this.mediumRaw, this.mediumX);
      this.mediumForecast = this.medium.predict(x);
      this.medium.push(x, i, close, ctx.volatility * Math.sqrt(MEDIUM_HORIZON));
    }
    ctx.mediumForecast = this.mediumForecast;
    return ctx;
  }

  /** The HMM's prior scale comes from the first SLOW_EVERY log returns (all known by then), which it then replays. */
  private updateRegime(logReturn: number): void {
    if (this.regimeDetector !== null) {
      this.regimeDetector.update(logReturn);
      return;
    }
    this.firstLogReturns[this.logReturnsSeen++] = logReturn;
    if (this.logReturnsSeen < SLOW_EVERY) return;
    let mean = 0;
    for (const r of this.firstLogReturns) mean += r / SLOW_EVERY;
    let variance = 0;
    for (const r of this.firstLogReturns) variance += (r - mean) ** 2 / (SLOW_EVERY - 1);
    const returnScale = Math.sqrt(variance) > 0 ? Math.sqrt(variance) : 1e-4;
    this.regimeDetector = new OnlineRegimeDetector({ nStates: 3, learnEvery: SLOW_EVERY, returnScale });
    for (const r of this.firstLogReturns) this.regimeDetector.update(r);
  }
}
