import { ADX, SMA } from 'trading-signals';
import { ConfigError, DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import type { FastFeatures, FeatureSnapshot, MediumFeatures, SlowFeatures } from '../types.js';
import { RollingWindow, pearson, sampleStd } from './rolling-window.js';

/** Options of {@link FeaturePipeline}. Counts are in bars. */
export interface FeaturePipelineOptions {
  /** Bars per day, for `dailyVolatility` (window and √ scaling); 6 for 4h bars, 24 for 1h bars. ≥ 2. */
  readonly barsPerDay?: number;
  /** The medium group is recomputed on every `mediumEvery`-th bar seen (default 6: one day of 4h bars). */
  readonly mediumEvery?: number;
  /** The slow group is recomputed on every `slowEvery`-th bar seen (default 42: one week of 4h bars). */
  readonly slowEvery?: number;
  /** Look-back of `longReturn`, of the short std in `volatilityRatio` and of `crossAssetCorrelation` (default 42). */
  readonly slowWindow?: number;
  /** Look-back of the long std in `volatilityRatio` (default 168). Must exceed `slowWindow`. */
  readonly longVolatilityWindow?: number;
}

const ADX_PERIOD = 14;
const SMA_PERIOD = 20;
const MOMENTUM_PERIOD = 10;
/** Fewest paired returns for which a correlation is reported (otherwise 0). */
const MIN_CORRELATION_PAIRS = 3;

function positiveInteger(parameter: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new ConfigError({ parameter, value, expected: `an integer ≥ ${minimum}` });
  }
  return value;
}

/**
 * Streaming, point-in-time feature groups for one instrument: fast (every bar), medium (every `mediumEvery`
 * bars) and slow (every `slowEvery` bars), the multi-pace inputs of PopAgent's online models.
 *
 * Each `update` sees one closed bar (and optionally the reference asset's bar with the same closeTime) and uses
 * nothing later, so the features of the first k bars never change when later bars change (prefix invariance).
 * A group is null until warm: fast after 11 bars, medium once ADX(14) and SMA(20) have values (at the next
 * medium refresh), slow after `longVolatilityWindow + 1` bars (at the next slow refresh). Between refreshes the
 * previous medium/slow values are returned with `updated.medium/slow` false; the refresh counter counts bars seen.
 *
 * Indicators: ADX (Wilder, smoothing by WSMA) and SMA from `trading-signals`; rolling std and correlation over
 * explicit windows. Returns in `dailyVolatility` are log returns; in the slow group simple returns.
 *
 * @see Wilder, J. W. (1978), New Concepts in Technical Trading Systems (ADX).
 * @see libs/market-data/src/types.ts for each field's definition.
 * @example
 * const eth = resampleBars(loadBars({ dataDir: 'data', symbol: 'ETH/USDT', timeframe: '1h' }).bars, '1h', '4h');
 * const btc = new Map(resampleBars(loadBars({ dataDir: 'data', symbol: 'BTC/USDT', timeframe: '1h' }).bars, '1h', '4h').map((b) => [b.closeTime, b]));
 * const pipeline = new FeaturePipeline({ barsPerDay: 6 });
 * const snapshots = eth.map((bar) => pipeline.update(bar, btc.get(bar.closeTime) ?? null));
 * snapshots[9].fast;              // null (needs 11 bars)
 * snapshots[29].updated.medium;   // true (first medium refresh)
 * snapshots[209].slow;            // first slow group: { longReturn, volatilityRatio, crossAssetCorrelation }
 */
export class FeaturePipeline {
  readonly barsPerDay: number;
  readonly mediumEvery: number;
  readonly slowEvery: number;
  readonly slowWindow: number;
  readonly longVolatilityWindow: number;

  readonly #closes: RollingWindow<number>;
  readonly #referenceCloses: RollingWindow<number | null>;
  readonly #adx = new ADX(ADX_PERIOD);
  readonly #sma = new SMA(SMA_PERIOD);
  #barsSeen = 0;
  #lastCloseTime = -Infinity;
  #medium: MediumFeatures | null = null;
  #slow: SlowFeatures | null = null;

  /**
   * @param options - See {@link FeaturePipelineOptions}.
   * @throws ConfigError when a count is not a positive integer, barsPerDay < 2 or longVolatilityWindow ≤ slowWindow.
   */
  constructor(options: FeaturePipelineOptions = {}) {
    this.barsPerDay = positiveInteger('barsPerDay', options.barsPerDay ?? 6, 2);
    this.mediumEvery = positiveInteger('mediumEvery', options.mediumEvery ?? 6, 1);
    this.slowEvery = positiveInteger('slowEvery', options.slowEvery ?? 42, 1);
    this.slowWindow = positiveInteger('slowWindow', options.slowWindow ?? 42, 2);
    this.longVolatilityWindow = positiveInteger('longVolatilityWindow', options.longVolatilityWindow ?? 168, this.slowWindow + 1);
    const capacity = Math.max(MOMENTUM_PERIOD, this.barsPerDay, this.slowWindow, this.longVolatilityWindow) + 1;
    this.#closes = new RollingWindow(capacity);
    this.#referenceCloses = new RollingWindow(capacity);
  }

  /** Number of bars passed to `update` so far (the refresh counter). */
  get barsSeen(): number {
    return this.#barsSeen;
  }

  /**
   * Feeds the next closed bar and returns the features known at its close.
   *
   * @param bar - The next bar; closeTime strictly after the previous bar's; close > 0.
   * @param referenceBar - The reference asset's bar with the same closeTime (e.g. BTC for ETH), or null/undefined
   *   when there is none (correlation then uses only bars that had one; 0 with fewer than 3 paired returns).
   * @returns The {@link FeatureSnapshot} at `bar.closeTime`.
   * @throws DataError 'LOOKAHEAD' when the reference bar closes after `bar`; 'DATA_INVALID' when it closes before;
   *   'DATA_ORDER' / 'DATA_DUPLICATE' when bars do not advance in time; 'DATA_INVALID' for a non-positive close.
   * @example
   * const snapshot = pipeline.update(ethBar, btcBar);
   * snapshot.fast?.return1; // ethBar.close / previous close − 1
   */
  update(bar: Bar, referenceBar?: Bar | null): FeatureSnapshot {
    this.#validate(bar, referenceBar ?? null);
    this.#lastCloseTime = bar.closeTime;
    this.#barsSeen++;
    this.#closes.push(bar.close);
    this.#referenceCloses.push(referenceBar ? referenceBar.close : null);
    this.#adx.add({ high: bar.high, low: bar.low, close: bar.close });
    this.#sma.add(bar.close);

    const fast = this.#fast(bar);
    let updatedMedium = false;
    if (this.#barsSeen % this.mediumEvery === 0) {
      const medium = this.#computeMedium(bar);
      if (medium !== null) {
        this.#medium = medium;
        updatedMedium = true;
      }
    }
    let updatedSlow = false;
    if (this.#barsSeen % this.slowEvery === 0) {
      const slow = this.#computeSlow();
      if (slow !== null) {
        this.#slow = slow;
        updatedSlow = true;
      }
    }
    return {
      time: bar.closeTime,
      fast,
      medium: this.#medium,
      slow: this.#slow,
      updated: { fast: fast !== null, medium: updatedMedium, slow: updatedSlow },
    };
  }

  #validate(bar: Bar, referenceBar: Bar | null): void {
    if (bar.closeTime <= this.#lastCloseTime) {
      throw new DataError({
        code: bar.closeTime === this.#lastCloseTime ? 'DATA_DUPLICATE' : 'DATA_ORDER',
        location: { file: 'FeaturePipeline.update', column: 'closeTime' },
        value: bar.closeTime,
        expected: `a closeTime after the previous bar's ${this.#lastCloseTime}`,
      });
    }
    if (!(bar.close > 0) || !Number.isFinite(bar.close)) {
      throw new DataError({ location: { file: 'FeaturePipeline.update', column: 'close' }, value: bar.close, expected: 'a finite close > 0' });
    }
    if (referenceBar !== null && referenceBar.closeTime !== bar.closeTime) {
      throw new DataError({
        code: referenceBar.closeTime > bar.closeTime ? 'LOOKAHEAD' : 'DATA_INVALID',
        location: { file: 'FeaturePipeline.update', column: 'referenceBar.closeTime' },
        value: referenceBar.closeTime,
        expected: `the reference bar closing at the bar's closeTime ${bar.closeTime} (or null)`,
      });
    }
  }

  #fast(bar: Bar): FastFeatures | null {
    const closes = this.#closes;
    if (closes.length < MOMENTUM_PERIOD + 1) return null;
    return {
      return1: bar.close / closes.ago(1) - 1,
      return5: bar.close / closes.ago(5) - 1,
      intrabarVolatility: (bar.high - bar.low) / bar.close,
      momentum: bar.close / closes.ago(MOMENTUM_PERIOD) - 1,
    };
  }

  #computeMedium(bar: Bar): MediumFeatures | null {
    const adx = this.#adx.getResult();
    const sma = this.#sma.getResult();
    if (adx === null || sma === null || this.#closes.length < this.barsPerDay + 1) return null;
    const closes = this.#closes.last(this.barsPerDay + 1);
    const logReturns = closes.slice(1).map((close, i) => Math.log(close / (closes[i] as number)));
    return {
      trendStrength: adx / 100,
      dailyVolatility: sampleStd(logReturns) * Math.sqrt(this.barsPerDay),
      smaRatio: bar.close / sma - 1,
    };
  }

  #computeSlow(): SlowFeatures | null {
    const long = this.longVolatilityWindow;
    if (this.#closes.length < long + 1) return null;
    const closes = this.#closes.last(long + 1);
    const returns = closes.slice(1).map((close, i) => close / (closes[i] as number) - 1);
    const shortReturns = returns.slice(-this.slowWindow);
    const longStd = sampleStd(returns);
    const newest = closes[long] as number;
    const references = this.#referenceCloses.last(this.slowWindow + 1);
    const own: number[] = [];
    const reference: number[] = [];
    for (let i = 1; i <= this.slowWindow; i++) {
      const now = references[i];
      const before = references[i - 1];
      if (now === null || now === undefined || before === null || before === undefined) continue;
      own.push(shortReturns[i - 1] as number);
      reference.push(now / before - 1);
    }
    return {
      longReturn: newest / (closes[long - this.slowWindow] as number) - 1,
      volatilityRatio: longStd === 0 ? 1 : sampleStd(shortReturns) / longStd,
      crossAssetCorrelation: own.length >= MIN_CORRELATION_PAIRS ? pearson(own, reference) : 0,
    };
  }
}
