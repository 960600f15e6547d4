import { describe, it, expect } from 'vitest';
import { meanFitness, windowFitness } from './fitness.js';

const window = (sharpeRatio: number, maxDrawdown: number, profitFactor: number, trades = 3) => ({ sharpeRatio, maxDrawdown, profitFactor, trades });

describe('window fitness', () => {
  it('sharpe is the Sharpe ratio; a non-finite Sharpe counts as 0', () => {
    expect(windowFitness('sharpe', window(1.3, 0.9, 0.1), 0.25)).toBe(1.3);
    expect(windowFitness('sharpe', window(Number.NaN, 0.1, 1), 0.25)).toBe(0);
  });

  it('sharpe-dd-cap keeps the Sharpe ratio within the cap and takes 10 per unit of drawdown beyond it', () => {
    expect(windowFitness('sharpe-dd-cap', window(1.5, 0.25, 1), 0.25)).toBe(1.5); // at the cap: no penalty
    // 1.5 − 10·(0.30 − 0.25) = 1.5 − 0.5 = 1.0
    expect(windowFitness('sharpe-dd-cap', window(1.5, 0.3, 1), 0.25)).toBeCloseTo(1.0, 12);
    // −0.2 − 10·(0.6 − 0.1) = −5.2
    expect(windowFitness('sharpe-dd-cap', window(-0.2, 0.6, 1), 0.1)).toBeCloseTo(-5.2, 12);
  });

  it('composite = S − 2·D + 0.5·clip(ln PF, −1, 1)', () => {
    // 1 − 2·0.1 + 0.5·ln 2 = 0.8 + 0.34657359… = 1.14657359…
    expect(windowFitness('composite', window(1, 0.1, 2), 0.25)).toBeCloseTo(0.8 + 0.5 * Math.LN2, 12);
    // PF = +∞ (no losing trade) clips to +1: 1 − 0.2 + 0.5 = 1.3; PF = 0 with trades (all losing) clips to −1: 0.3
    expect(windowFitness('composite', window(1, 0.1, Number.POSITIVE_INFINITY), 0.25)).toBeCloseTo(1.3, 12);
    expect(windowFitness('composite', window(1, 0.1, 0), 0.25)).toBeCloseTo(0.3, 12);
    // no trade at all: no profit-factor term (0 − 0 + 0)
    expect(windowFitness('composite', window(0, 0, 0, 0), 0.25)).toBe(0);
  });

  it('averages over symbols', () => {
    expect(meanFitness('sharpe', [window(1, 0, 1), window(2, 0, 1), window(-0.5, 0, 1)], 0.25)).toBeCloseTo(2.5 / 3, 12);
  });
});
