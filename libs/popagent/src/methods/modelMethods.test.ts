import { describe, expect, it } from 'vitest';
import { barsFrom, contextFor } from '../testing/context.js';
import { createForecastMethod, FORECAST_FULL_CONVICTION } from './forecast.js';
import { createNewsSentimentMethod } from './newsSentiment.js';
import { createRegimeFilterMethod } from './regimeFilter.js';
import { createStayFlatMethod } from './stayFlat.js';
import { createVolatilityTargetingMethod } from './volatilityTargeting.js';

const bar = barsFrom([100])[0]!;

describe('volatilityTargeting', () => {
  it('holds σ*/σ_t long with σ* = target/√periodsPerYear, capped at 1', () => {
    const m = createVolatilityTargetingMethod({ volatilityTarget: 0.5, periodsPerYear: 2190 });
    // √2190 = 46.7974, 0.5/46.7974 = 0.0106843, / 0.02 = 0.534217
    expect(m.signal(contextFor(bar, { volatility: 0.02 }))).toBeCloseTo(0.5 / Math.sqrt(2190) / 0.02, 12);
    expect(m.signal(contextFor(bar, { volatility: 0.02 }))).toBeCloseTo(0.534217, 5);
    expect(m.signal(contextFor(bar, { volatility: 0.001 }))).toBe(1);
    expect(m.signal(contextFor(bar, { volatility: null }))).toBe(0);
  });
});

describe('forecast methods', () => {
  it('scale the forecast by the full-conviction level and clip', () => {
    const m = createForecastMethod('rlsForecast');
    expect(m.signal(contextFor(bar, { rlsForecast: 0.02 }))).toBeCloseTo(0.02 / FORECAST_FULL_CONVICTION, 12);
    expect(m.signal(contextFor(bar, { rlsForecast: -1 }))).toBe(-1);
    expect(m.signal(contextFor(bar, { rlsForecast: null }))).toBe(0);
    // each method reads its own forecaster only
    expect(createForecastMethod('sgdForecast').signal(contextFor(bar, { rlsForecast: 0.02, sgdForecast: -0.01 }))).toBeCloseTo(-0.2, 12);
    expect(createForecastMethod('mediumForecast').signal(contextFor(bar, { mediumForecast: 0.01 }))).toBeCloseTo(0.2, 12);
    expect(createForecastMethod('mediumForecast').name).toBe('mediumRlsForecast');
  });
});

describe('hmmRegime', () => {
  it('is P(bull) − P(bear)', () => {
    const m = createRegimeFilterMethod();
    expect(m.signal(contextFor(bar, { regimePosterior: [0.1, 0.2, 0.7] }))).toBeCloseTo(0.6, 12);
    expect(m.signal(contextFor(bar, { regimePosterior: [0.9, 0.1, 0] }))).toBeCloseTo(-0.9, 12);
    expect(m.signal(contextFor(bar, { regimePosterior: null }))).toBe(0);
  });
});

describe('stayFlat and newsSentiment', () => {
  it('stay flat is always cash; news sentiment is s/0.25 clipped', () => {
    expect(createStayFlatMethod().signal(contextFor(bar, { sgdForecast: 1, volatility: 0.01 }))).toBe(0);
    const news = createNewsSentimentMethod();
    expect(news.signal(contextFor(bar, { sentiment: 0.1 }))).toBeCloseTo(0.4, 12);
    expect(news.signal(contextFor(bar, { sentiment: -0.5 }))).toBe(-1);
    expect(news.signal(contextFor(bar, { sentiment: null }))).toBe(0);
  });
});
