import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import { ConfigError, DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { loadBars } from '../load-bars.js';
import { resampleBars } from '../resample.js';
import { BUNDLED_DATA_DIR } from '../testing/fixtures.js';
import type { FeatureSnapshot } from '../types.js';
import { FeaturePipeline } from './feature-pipeline.js';

// Real 4h bars: 2022 from the bundled Binance 1h files (no outages in 2022).
const span = { start: Date.UTC(2022, 0, 1, 1), end: Date.UTC(2023, 0, 1) };
const fourHours = (symbol: string) => resampleBars(loadBars({ dataDir: BUNDLED_DATA_DIR, symbol, timeframe: '1h', ...span }).bars, '1h', '4h');
const btc = fourHours('BTC/USDT');
const eth = fourHours('ETH/USDT');

function run(bars: readonly Bar[], reference?: readonly Bar[]): FeatureSnapshot[] {
  const pipeline = new FeaturePipeline();
  return bars.map((bar, i) => pipeline.update(bar, reference?.[i] ?? null));
}

const closes = (bars: readonly Bar[], from: number, to: number) => bars.slice(from, to + 1).map((b) => b.close);

/** Textbook Wilder ADX(14) (Wilder 1978, ch. "Directional Movement"): sums for the first 14, then Wilder smoothing. */
function wilderAdx(bars: readonly Bar[], n = 14): (number | null)[] {
  const out: (number | null)[] = [null];
  let tr = 0;
  let plus = 0;
  let minus = 0;
  const dx: number[] = [];
  let adx: number | null = null;
  for (let t = 1; t < bars.length; t++) {
    const b = bars[t] as Bar;
    const p = bars[t - 1] as Bar;
    const trueRange = Math.max(b.high - b.low, Math.abs(b.high - p.close), Math.abs(b.low - p.close));
    const up = b.high - p.high;
    const down = p.low - b.low;
    const plusDm = up > down && up > 0 ? up : 0;
    const minusDm = down > up && down > 0 ? down : 0;
    if (t <= n) {
      tr += trueRange;
      plus += plusDm;
      minus += minusDm;
    } else {
      tr = tr - tr / n + trueRange;
      plus = plus - plus / n + plusDm;
      minus = minus - minus / n + minusDm;
    }
    if (t < n) {
      out.push(null);
      continue;
    }
    const plusDi = (100 * plus) / tr;
    const minusDi = (100 * minus) / tr;
    dx.push(plusDi + minusDi === 0 ? 0 : (100 * Math.abs(plusDi - minusDi)) / (plusDi + minusDi));
    if (dx.length === n) adx = dx.reduce((a, v) => a + v, 0) / n;
    else if (dx.length > n && adx !== null) adx = (adx * (n - 1) + (dx.at(-1) as number)) / n;
    out.push(adx);
  }
  return out;
}

describe('FeaturePipeline on real BTC/ETH 4h bars (2022)', () => {
  const btcFeatures = run(btc);
  const ethFeatures = run(eth, btc);

  it('the bundled 2022 slice has 2,190 4h bars, aligned pairwise', () => {
    expect(btc).toHaveLength(2190); // 365 days × 6
    expect(eth.map((b) => b.closeTime)).toEqual(btc.map((b) => b.closeTime));
  });

  it('fast group: null for the first 10 bars, then close ratios written out directly', () => {
    expect(btcFeatures.slice(0, 10).every((f) => f.fast === null && !f.updated.fast)).toBe(true);
    for (const i of [10, 11, 500, 2189]) {
      const b = btc[i] as Bar;
      const c = (k: number) => (btc[i - k] as Bar).close;
      expect(btcFeatures[i]?.fast).toEqual({
        return1: b.close / c(1) - 1,
        return5: b.close / c(5) - 1,
        intrabarVolatility: (b.high - b.low) / b.close,
        momentum: b.close / c(10) - 1,
      });
      expect(btcFeatures[i]?.time).toBe(b.closeTime);
    }
  });

  it('medium group: smaRatio vs a direct 20-bar average, dailyVolatility vs simple-statistics', () => {
    for (const i of [47, 1001, 2189]) {
      const f = btcFeatures[i];
      expect(f?.updated.medium).toBe(true);
      const window = closes(btc, i - 19, i);
      const sma = window.reduce((a, v) => a + v, 0) / 20;
      expect(f?.medium?.smaRatio).toBeCloseTo((btc[i] as Bar).close / sma - 1, 12);
      const day = closes(btc, i - 6, i);
      const logReturns = day.slice(1).map((v, k) => Math.log(v / (day[k] as number)));
      expect(f?.medium?.dailyVolatility).toBeCloseTo(sampleStandardDeviation(logReturns) * Math.sqrt(6), 12);
    }
  });

  it('medium group: trendStrength equals a textbook Wilder ADX(14)/100 once the start-up has decayed', () => {
    const reference = wilderAdx(btc);
    for (let i = 599; i < btc.length; i += 6) {
      const f = btcFeatures[i];
      expect(f?.updated.medium).toBe(true);
      expect((f?.medium?.trendStrength ?? NaN) * 100).toBeCloseTo(reference[i] as number, 6);
      expect(f?.medium?.trendStrength).toBeGreaterThanOrEqual(0);
      expect(f?.medium?.trendStrength).toBeLessThanOrEqual(1);
    }
  });

  it('slow group: longReturn, volatilityRatio and crossAssetCorrelation vs direct computation', () => {
    for (const i of [209, 1049, 2183]) {
      const f = ethFeatures[i];
      expect(f?.updated.slow).toBe(true);
      const returns = (bars: readonly Bar[], n: number) => closes(bars, i - n, i).slice(1).map((v, k, all) => v / (k === 0 ? (bars[i - n] as Bar).close : (all[k - 1] as number)) - 1);
      expect(f?.slow?.longReturn).toBeCloseTo((eth[i] as Bar).close / (eth[i - 42] as Bar).close - 1, 12);
      expect(f?.slow?.volatilityRatio).toBeCloseTo(sampleStandardDeviation(returns(eth, 42)) / sampleStandardDeviation(returns(eth, 168)), 10);
      expect(f?.slow?.crossAssetCorrelation).toBeCloseTo(sampleCorrelation(returns(eth, 42), returns(btc, 42)), 10);
    }
    // ETH and BTC 4h returns are strongly correlated in 2022
    expect(ethFeatures[2183]?.slow?.crossAssetCorrelation).toBeGreaterThan(0.5);
    // without a reference the correlation is 0
    expect(btcFeatures[2183]?.slow?.crossAssetCorrelation).toBe(0);
  });

  it('refresh cadence: medium every 6 bars, slow every 42 bars; values frozen in between', () => {
    btcFeatures.forEach((f, i) => {
      const seen = i + 1;
      expect(f.updated.medium).toBe(seen % 6 === 0 && f.medium !== null);
      expect(f.updated.slow).toBe(seen % 42 === 0 && f.slow !== null);
      if (!f.updated.medium && i > 0) expect(f.medium).toBe(btcFeatures[i - 1]?.medium);
      if (!f.updated.slow && i > 0) expect(f.slow).toBe(btcFeatures[i - 1]?.slow);
    });
    // first slow refresh: first multiple of 42 with 169 bars seen (168 returns) = bar 210
    expect(btcFeatures.findIndex((f) => f.slow !== null)).toBe(209);
    // medium needs ADX(14) (trading-signals: 27 bars) and SMA(20): first refresh at bar 30
    expect(btcFeatures.findIndex((f) => f.medium !== null)).toBe(29);
  });
});

describe('FeaturePipeline point-in-time guarantees', () => {
  it('prefix invariance: features of the first k bars do not change when later bars are altered or appended', () => {
    const base = eth.slice(0, 400);
    const ref = btc.slice(0, 400);
    const original = run(base, ref);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 399 }), fc.double({ min: 0.5, max: 2, noNaN: true }), fc.boolean(), (k, factor, append) => {
        const altered = base.map((b, i) => (i < k ? b : { ...b, open: b.open * factor, high: b.high * factor * 1.01, low: b.low * factor * 0.99, close: b.close * factor }));
        const more = append ? [...altered, ...eth.slice(400, 460)] : altered;
        const moreRef = append ? [...ref, ...btc.slice(400, 460)] : ref;
        const features = run(more, moreRef);
        expect(features.slice(0, k)).toEqual(original.slice(0, k));
      }),
      { numRuns: 25 },
    );
  });

  it('a reference bar closing later than the bar is LOOKAHEAD; an earlier one is rejected too', () => {
    const pipeline = new FeaturePipeline();
    const bar = btc[0] as Bar;
    expect(() => pipeline.update(eth[0] as Bar, btc[1] as Bar)).toThrow(expect.objectContaining({ code: 'LOOKAHEAD' }));
    const next = new FeaturePipeline();
    next.update(bar);
    expect(() => next.update(eth[1] as Bar, btc[0] as Bar)).toThrow(DataError);
  });

  it('bars must advance in time', () => {
    const pipeline = new FeaturePipeline();
    pipeline.update(btc[1] as Bar);
    expect(() => pipeline.update(btc[1] as Bar)).toThrow(expect.objectContaining({ code: 'DATA_DUPLICATE' }));
    expect(() => pipeline.update(btc[0] as Bar)).toThrow(expect.objectContaining({ code: 'DATA_ORDER' }));
    expect(pipeline.barsSeen).toBe(1);
  });

  it('custom cadence and validated options', () => {
    const pipeline = new FeaturePipeline({ barsPerDay: 24, mediumEvery: 24, slowEvery: 168 });
    const snapshots = btc.slice(0, 400).map((b) => pipeline.update(b));
    // refreshes at bars 48, 72, …, 384 (bar 24 is before ADX(14) is warm at 27 bars)
    expect(snapshots.filter((f) => f.updated.medium)).toHaveLength(Math.floor(400 / 24) - 1);
    expect(snapshots.filter((f) => f.updated.slow)).toHaveLength(1); // bar 336 (bar 168 is not warm yet)
    expect(() => new FeaturePipeline({ barsPerDay: 1 })).toThrow(ConfigError);
    expect(() => new FeaturePipeline({ mediumEvery: 0 })).toThrow(/mediumEvery/);
    expect(() => new FeaturePipeline({ slowWindow: 50, longVolatilityWindow: 40 })).toThrow(/longVolatilityWindow/);
  });
});
