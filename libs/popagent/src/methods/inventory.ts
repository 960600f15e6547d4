import type { Condition } from '../types.js';
import { createAdxTrendMethod } from './adxTrend.js';
import { createBollingerMethod } from './bollinger.js';
import { createDonchianMethod } from './donchian.js';
import { createForecastMethod } from './forecast.js';
import { createMacdMethod } from './macd.js';
import { createMeanReversionMethod } from './meanReversion.js';
import { createMomentumMethod } from './momentum.js';
import { createMovingAverageCrossoverMethod } from './movingAverageCrossover.js';
import { createNewsSentimentMethod } from './newsSentiment.js';
import { createRegimeFilterMethod } from './regimeFilter.js';
import { createRsiMethod } from './rsi.js';
import { createStayFlatMethod } from './stayFlat.js';
import type { TradingMethod } from './types.js';
import { createVolatilityTargetingMethod } from './volatilityTargeting.js';

/**
 * Builds the fresh (stateful) method inventory shared by every agent of a run: 13 price/model methods, the
 * deliberate cash position, and in conditions C/D the news-sentiment method.
 * @param options.condition - 'A'/'B' price only; 'C'/'D' add 'newsSentiment'.
 * @param options.volatilityTarget - annualised target of the volatility-targeting method.
 * @param options.periodsPerYear - bars per year (annualisation of the target).
 * @returns the methods, in the order used by `SelectionSample.counts`.
 * @throws never.
 * @see the PopAgent method inventory (issue description).
 * @example
 * createInventory({ condition: 'A', volatilityTarget: 0.5, periodsPerYear: 2190 }).length; // 14
 */
export function createInventory(options: { condition: Condition; volatilityTarget: number; periodsPerYear: number }): TradingMethod[] {
  const methods: TradingMethod[] = [
    createMomentumMethod(),
    createMeanReversionMethod(),
    createDonchianMethod(),
    createMacdMethod(),
    createRsiMethod(),
    createBollingerMethod(),
    createAdxTrendMethod(),
    createMovingAverageCrossoverMethod(),
    createVolatilityTargetingMethod({ volatilityTarget: options.volatilityTarget, periodsPerYear: options.periodsPerYear }),
    createForecastMethod('sgdForecast'),
    createForecastMethod('rlsForecast'),
    createForecastMethod('mediumForecast'),
    createRegimeFilterMethod(),
    createStayFlatMethod(),
  ];
  if (options.condition === 'C' || options.condition === 'D') methods.push(createNewsSentimentMethod());
  return methods;
}
