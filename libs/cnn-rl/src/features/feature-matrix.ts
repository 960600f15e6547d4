import { BollingerBands, MACD, RSI } from 'technicalindicators';
import { ConfigError, DataError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { classifyRegime, DEFAULT_REGIME_THRESHOLDS } from './regime.js';
import type { MarketRegime, RegimeThresholds } from './regime.js';

/**
 * The per-bar feature columns of one timeframe, in channel order. Every value is scale-free so that the same
 * CNN filters read 1-minute and 1-day bars alike:
 * - `logReturn`: ln(close/prevClose) / σ, σ = sample sd of the last `window` log returns (clipped ±5);
 * - `closeZScore`: (close − mean of the last `window` closes) / their sd (clipped ±5);
 * - `range`: ln(high/low) / σ (clipped to [0, 10]);
 * - `logVolumeRatio`: ln((volume + ε)/(mean of the last `window` volumes + ε)) (clipped ±5);
 * - `rsi`: (RSI(14) − 50)/50 ∈ [−1, 1] (Wilder);
 * - `macdHistogram`: MACD(12, 26, 9) histogram / (close·σ) (clipped ±5);
 * - `bollingerPercentB`: %B(20, 2) − 0.5 (clipped ±3);
 * - `bollingerBandwidth`: (upper − lower)/middle / (σ·√window) (clipped to [0, 10]);
 * - `volatility`: ln(σ / mean σ of the last `baselineWindow` bars) (clipped ±3), the volatility level relative to
 *   its recent norm;
 * - `trendStrength`: Kaufman's efficiency ratio |close − close[−n]| / Σ|Δclose| over `trendPeriod` bars ∈ [0, 1];
 * - `regimeTrending`, `regimeRanging`, `regimeVolatile`: one-hot market regime ({@link classifyRegime}).
 */
export const FEATURE_NAMES = [
  'logReturn',
  'closeZScore',
  'range',
  'logVolumeRatio',
  'rsi',
  'macdHistogram',
  'bollingerPercentB',
  'bollingerBandwidth',
  'volatility',
  'trendStrength',
  'regimeTrending',
  'regimeRanging',
  'regimeVolatile',
] as const;

/** Number of feature channels each timeframe contributes to the CNN input. */
export const FEATURES_PER_TIMEFRAME = FEATURE_NAMES.length;

/** Column index of each feature in a {@link FeatureMatrix} row. */
export const FEATURE_INDEX: Readonly<Record<(typeof FEATURE_NAMES)[number], number>> = Object.fromEntries(
  FEATURE_NAMES.map((name, index) => [name, index]),
) as Record<(typeof FEATURE_NAMES)[number], number>;

/** Options of {@link computeFeatureMatrix}; periods in bars of the matrix's timeframe. */
export interface FeatureMatrixOptions {
  /** Rolling window of the z-scores, volume ratio and σ. Default 20. */
  readonly window?: number;
  /** Bars of σ history averaged into the volatility baseline. Default 50. */
  readonly baselineWindow?: number;
  /** Efficiency-ratio period. Default 14. */
  readonly trendPeriod?: number;
  /** Regime thresholds. Default {@link DEFAULT_REGIME_THRESHOLDS}. */
  readonly regime?: RegimeThresholds;
}

/**
 * Point-in-time features of one bar series: row i uses bars 0..i of its own contiguous segment only, so it is
 * known at `closeTimes[i]`.
 */
export interface FeatureMatrix {
  readonly timeframe: Timeframe;
  /** closeTime of each row's bar, UTC ms, strictly increasing. */
  readonly closeTimes: Float64Array;
  /** Row-major [rows, FEATURES_PER_TIMEFRAME]; rows that are not warm hold 0. */
  readonly values: Float32Array;
  /** 1 when every feature of the row is warm (enough bars since the segment start), else 0. */
  readonly valid: Uint8Array;
  /** Contiguous-segment id of each row: a gap in the bars starts a new segment and restarts every indicator. */
  readonly segment: Int32Array;
  /** Number of rows (= bars). */
  readonly rows: number;
  /** Number of leading bars of a segment whose rows are not warm. */
  readonly warmupBars: number;
}

const EPSILON = 1e-12;

function clip(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

function checkPeriod(parameter: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) throw new ConfigError({ parameter, value, expected: `an integer ≥ ${minimum} (bars)` });
  return value;
}

/** Mean and sample sd of values[from..to] inclusive. */
function meanStd(values: ArrayLike<number>, from: number, to: number): { mean: number; std: number } {
  const n = to - from + 1;
  let mean = 0;
  for (let k = from; k <= to; k++) mean += values[k] as number;
  mean /= n;
  let sum = 0;
  for (let k = from; k <= to; k++) sum += ((values[k] as number) - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(sum / (n - 1)) : 0 };
}

/**
 * Builds the feature matrix of one timeframe's bars, point in time.
 *
 * A gap (a missing bar on the timeframe's UTC grid) ends a segment: every indicator restarts after it and the
 * first `warmupBars` rows of the new segment are marked not valid. Nothing is filled across a gap.
 *
 * @param bars - bars of `timeframe`, strictly increasing openTime on its grid (gaps allowed).
 * @param timeframe - the bars' timeframe.
 * @param options - rolling periods in bars (see {@link FeatureMatrixOptions}).
 * @returns the matrix; rows align one-to-one with `bars`.
 * @throws ConfigError on a period that is not a positive integer; DataError when bars are not strictly increasing.
 * @see J. Bollinger (2001) "Bollinger on Bollinger Bands"; J. W. Wilder (1978) RSI; G. Appel (1979) MACD;
 *   P. Kaufman (1995) "Smarter Trading" (efficiency ratio).
 * @example
 * const matrix = computeFeatureMatrix(hourlyBars, '1h');
 * matrix.values[i * FEATURES_PER_TIMEFRAME + FEATURE_INDEX.rsi]; // (RSI − 50)/50 at hourlyBars[i].closeTime
 */
export function computeFeatureMatrix(bars: readonly Bar[], timeframe: Timeframe, options: FeatureMatrixOptions = {}): FeatureMatrix {
  const window = checkPeriod('window', options.window ?? 20, 2);
  const baselineWindow = checkPeriod('baselineWindow', options.baselineWindow ?? 50, 1);
  const trendPeriod = checkPeriod('trendPeriod', options.trendPeriod ?? 14, 1);
  const thresholds = options.regime ?? DEFAULT_REGIME_THRESHOLDS;
  const step = TIMEFRAME_MS[timeframe];
  const rows = bars.length;
  const F = FEATURES_PER_TIMEFRAME;
  const values = new Float32Array(rows * F);
  const valid = new Uint8Array(rows);
  const segment = new Int32Array(rows);
  const closeTimes = new Float64Array(rows);
  // σ needs `window` returns (window + 1 bars); the baseline averages `baselineWindow` σ values; MACD(12,26,9)
  // first has a histogram at bar 34. A row is warm when all of these exist.
  const sigmaStart = window;
  const warmupBars = Math.max(sigmaStart + baselineWindow - 1, 33, trendPeriod);

  const close = new Float64Array(rows);
  const logReturns = new Float64Array(rows);
  const sigmas = new Float64Array(rows);
  let segmentId = -1;
  let segmentStart = 0;
  let rsi = new RSI({ values: [], period: 14 });
  let macd = new MACD({ values: [], fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
  let bollinger = new BollingerBands({ values: [], period: 20, stdDev: 2 });

  for (let i = 0; i < rows; i++) {
    const bar = bars[i] as Bar;
    closeTimes[i] = bar.closeTime;
    close[i] = bar.close;
    if (i > 0) {
      const previous = bars[i - 1] as Bar;
      if (bar.openTime <= previous.openTime) {
        throw new DataError({ code: 'DATA_ORDER', location: { file: `computeFeatureMatrix(${timeframe})`, line: i + 1, column: 'openTime' }, value: bar.openTime, expected: `an openTime after ${previous.openTime}` });
      }
    }
    if (i === 0 || bar.openTime !== (bars[i - 1] as Bar).openTime + step) {
      segmentId++;
      segmentStart = i;
      rsi = new RSI({ values: [], period: 14 });
      macd = new MACD({ values: [], fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
      bollinger = new BollingerBands({ values: [], period: 20, stdDev: 2 });
    }
    segment[i] = segmentId;
    const age = i - segmentStart; // bars since the segment start
    logReturns[i] = age === 0 ? 0 : Math.log(bar.close / (close[i - 1] as number));
    const rsiValue = rsi.nextValue(bar.close);
    const macdValue = macd.nextValue(bar.close);
    const bandValue = bollinger.nextValue(bar.close);
    if (age < sigmaStart) continue;
    const sigma = Math.max(meanStd(logReturns, i - window + 1, i).std, EPSILON);
    sigmas[i] = sigma;
    if (age < warmupBars || rsiValue === undefined || macdValue?.histogram === undefined || bandValue === undefined) continue;

    const baseline = meanStd(sigmas, i - baselineWindow + 1, i).mean;
    const closes = meanStd(close, i - window + 1, i);
    let volumeMean = 0;
    for (let k = i - window + 1; k <= i; k++) volumeMean += (bars[k] as Bar).volume;
    volumeMean /= window;
    let path = 0;
    for (let k = i - trendPeriod + 1; k <= i; k++) path += Math.abs((close[k] as number) - (close[k - 1] as number));
    const efficiency = path > 0 ? Math.abs(bar.close - (close[i - trendPeriod] as number)) / path : 0;
    const relativeVolatility = sigma / Math.max(baseline, EPSILON);
    const regime = classifyRegime({ trendStrength: efficiency, relativeVolatility }, thresholds);
    const bandwidth = (bandValue.upper - bandValue.lower) / bandValue.middle;

    const row = i * F;
    values[row + 0] = clip((logReturns[i] as number) / sigma, -5, 5);
    values[row + 1] = closes.std > 0 ? clip((bar.close - closes.mean) / closes.std, -5, 5) : 0;
    values[row + 2] = clip(Math.log(bar.high / bar.low) / sigma, 0, 10);
    values[row + 3] = clip(Math.log((bar.volume + EPSILON) / (volumeMean + EPSILON)), -5, 5);
    values[row + 4] = (rsiValue - 50) / 50;
    values[row + 5] = clip(macdValue.histogram / (bar.close * sigma), -5, 5);
    values[row + 6] = Number.isFinite(bandValue.pb) ? clip(bandValue.pb - 0.5, -3, 3) : 0;
    values[row + 7] = clip(bandwidth / (sigma * Math.sqrt(window)), 0, 10);
    values[row + 8] = clip(Math.log(relativeVolatility), -3, 3);
    values[row + 9] = efficiency;
    values[row + 10] = regime === 'trending' ? 1 : 0;
    values[row + 11] = regime === 'ranging' ? 1 : 0;
    values[row + 12] = regime === 'volatile' ? 1 : 0;
    valid[i] = 1;
  }
  return { timeframe, closeTimes, values, valid, segment, rows, warmupBars };
}

/**
 * The regime recorded in a valid matrix row (from its one-hot columns).
 * @param matrix - a feature matrix.
 * @param row - a row index whose `valid` flag is 1.
 * @returns 'trending', 'ranging' or 'volatile'.
 * @throws DataError when the row is out of range or not warm.
 * @example
 * regimeAt(matrix, matrix.rows - 1); // 'ranging'
 */
export function regimeAt(matrix: FeatureMatrix, row: number): MarketRegime {
  if (!Number.isInteger(row) || row < 0 || row >= matrix.rows || matrix.valid[row] !== 1) {
    throw new DataError({ location: { file: `FeatureMatrix(${matrix.timeframe})`, column: 'row' }, value: row, expected: `a warm row index in [0, ${matrix.rows - 1}]` });
  }
  const base = row * FEATURES_PER_TIMEFRAME;
  if (matrix.values[base + FEATURE_INDEX.regimeVolatile] === 1) return 'volatile';
  return matrix.values[base + FEATURE_INDEX.regimeTrending] === 1 ? 'trending' : 'ranging';
}
