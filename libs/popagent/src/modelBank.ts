import { z } from 'zod';
import { ConfigError, parseState, StateError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import type { FeatureSnapshot } from '@trading-ml/market-data';
import { OnlineLinearRegression, OnlineRegimeDetector, OnlineRidge, OnlineVolatility } from '@trading-ml/online-models';
import type { OnlineRegressor } from '@trading-ml/online-models';
import { DelayedLabelLearner } from './delayedLabelLearner.js';
import type { DelayedLabelLearnerState } from './delayedLabelLearner.js';
import { FeatureScaler } from './featureScaler.js';
import type { FeatureScalerState } from './featureScaler.js';
import type { MethodContext } from './methods/types.js';
import { nestedStateError, restoreParts } from './state.js';

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

/** Plain-data state of a {@link ModelBank}; the learners' states are their own snapshots. */
export interface ModelBankState {
  /** Index of the latest bar (−1 before the first). */
  readonly index: number;
  /** Close of the latest bar, null before the first. */
  readonly previousClose: number | null;
  /** The latest medium forecast (it holds between medium refreshes), or null. */
  readonly mediumForecast: number | null;
  readonly volatility: unknown;
  /** The HMM's snapshot, null until SLOW_EVERY returns are known. */
  readonly regimeDetector: unknown;
  /** The log returns collected for the HMM's prior scale while it does not exist yet ([] once it does). */
  readonly firstLogReturns: number[];
  readonly sgd: DelayedLabelLearnerState;
  readonly rls: DelayedLabelLearnerState;
  readonly medium: DelayedLabelLearnerState;
  readonly fastScaler: FeatureScalerState;
  readonly mediumScaler: FeatureScalerState;
}

const stateSchema = z
  .object({
    index: z.number().int().min(-1),
    previousClose: z.number().positive().nullable(),
    mediumForecast: z.number().nullable(),
    volatility: z.unknown(),
    regimeDetector: z.unknown(),
    firstLogReturns: z.array(z.number()).max(SLOW_EVERY - 1, `at most ${SLOW_EVERY - 1} returns (the HMM starts at ${SLOW_EVERY})`),
    sgd: z.unknown(),
    rls: z.unknown(),
    medium: z.unknown(),
    fastScaler: z.unknown(),
    mediumScaler: z.unknown(),
  })
  .refine((s) => s.regimeDetector === null || s.firstLogReturns.length === 0, { path: ['firstLogReturns'], message: '[] once the regime detector exists' });

/** Sets one number field of a learner through its own snapshot/restore (the learners have no setters). */
function setLearnerField(learner: OnlineRegressor, field: string, parameter: string, value: number): void {
  const state = learner.snapshot();
  if (state === null || typeof state !== 'object' || !(field in state)) {
    throw new ConfigError({ parameter, value, expected: `a learner whose snapshot has "${field}" (not a substituted learner)` });
  }
  learner.restore({ ...(state as Record<string, unknown>), [field]: value });
}

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
 * everything into the shared {@link MethodContext}. `snapshot()`/`restore()` copy every model as plain data.
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

  /** Bars stepped so far. */
  get barsSeen(): number {
    return this.index + 1;
  }

  /**
   * Changes the SGD learning rate from the next update on (PBT explore).
   * @param learningRate - η ∈ (0, 1].
   * @throws ConfigError when the SGD learner rejects it or is a substituted learner without `learningRate`.
   */
  setSgdLearningRate(learningRate: number): void {
    setLearnerField(this.sgd.learner, 'learningRate', 'sgdLearningRate', learningRate);
  }

  /**
   * Changes the forgetting factor of both RLS forecasters from the next update on (PBT explore).
   * @param forgettingFactor - β ∈ (0, 1].
   * @throws ConfigError when a learner is a substituted one without `forgettingFactor`.
   */
  setRlsForgettingFactor(forgettingFactor: number): void {
    setLearnerField(this.rls.learner, 'forgettingFactor', 'rlsForgettingFactor', forgettingFactor);
    setLearnerField(this.medium.learner, 'forgettingFactor', 'rlsForgettingFactor', forgettingFactor);
  }

  /** The complete state as plain data (every learner's snapshot included). */
  snapshot(): ModelBankState {
    return {
      index: this.index,
      previousClose: Number.isNaN(this.previousClose) ? null : this.previousClose,
      mediumForecast: this.mediumForecast,
      volatility: this.volatility.snapshot(),
      regimeDetector: this.regimeDetector === null ? null : this.regimeDetector.snapshot(),
      firstLogReturns: this.regimeDetector === null ? Array.from(this.firstLogReturns.subarray(0, this.logReturnsSeen)) : [],
      sgd: this.sgd.snapshot(),
      rls: this.rls.snapshot(),
      medium: this.medium.snapshot(),
      fastScaler: this.fastScaler.snapshot(),
      mediumScaler: this.mediumScaler.snapshot(),
    };
  }

  /**
   * Replaces every model's state with a snapshot's (all or nothing).
   * @param state - from {@link ModelBank.snapshot} (possibly through JSON); not modified.
   * @throws StateError naming the field (e.g. "rls.learner.weights.2") when it does not fit this bank.
   */
  restore(state: ModelBankState): void {
    const s = parseState('ModelBank', stateSchema, state);
    let detector: OnlineRegimeDetector | null = null;
    if (s.regimeDetector !== null) {
      // The prior scale is part of the detector's snapshot; the constructor's one is overwritten.
      detector = new OnlineRegimeDetector({ nStates: 3, learnEvery: SLOW_EVERY, returnScale: 1 });
      try {
        detector.restore(s.regimeDetector as never);
      } catch (error) {
        throw error instanceof StateError ? nestedStateError('ModelBank', 'regimeDetector', error) : error;
      }
    }
    restoreParts('ModelBank', [
      ['volatility', this.volatility, s.volatility],
      ['sgd', this.sgd, s.sgd],
      ['rls', this.rls, s.rls],
      ['medium', this.medium, s.medium],
      ['fastScaler', this.fastScaler, s.fastScaler],
      ['mediumScaler', this.mediumScaler, s.mediumScaler],
    ]);
    this.index = s.index;
    this.previousClose = s.previousClose ?? Number.NaN;
    this.mediumForecast = s.mediumForecast;
    this.regimeDetector = detector;
    this.firstLogReturns.fill(0);
    this.firstLogReturns.set(s.firstLogReturns);
    this.logReturnsSeen = detector === null ? s.firstLogReturns.length : SLOW_EVERY;
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
