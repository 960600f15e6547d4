import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import { riskAdjustedPnlReward } from './risk-adjusted-pnl.js';
import { systemReward } from './system-reward.js';

describe('systemReward', () => {
  it('pays 10 × the price change for a correct call, scaled by 0.5 + confidence', () => {
    expect(systemReward({ action: BUY, priceChange: 0.01, confidence: 0.7 })).toBeCloseTo(10 * 0.01 * 1.2, 12); // 0.12
    expect(systemReward({ action: SELL, priceChange: -0.02, confidence: 0.5 })).toBeCloseTo(10 * 0.02 * 1.0, 12); // 0.2
  });

  it('penalises a wrong call 1.5 × as hard', () => {
    expect(systemReward({ action: SELL, priceChange: 0.01, confidence: 0.7 })).toBeCloseTo(-1.5 * 10 * 0.01 * 1.2, 12); // −0.18
    expect(systemReward({ action: BUY, priceChange: -0.004, confidence: 0 })).toBeCloseTo(-1.5 * 10 * 0.004 * 0.5, 12); // −0.03
  });

  it('gives a small reward for a correct HOLD and a small cost for a missed move', () => {
    expect(systemReward({ action: HOLD, priceChange: 0.001, confidence: 0.3 })).toBeCloseTo(0.02 * 0.8, 12);
    expect(systemReward({ action: HOLD, priceChange: -0.01, confidence: 0.3 })).toBeCloseTo(-0.02 * 0.8, 12);
    // a trade inside the hold band earns or loses the plain 10·Δ
    expect(systemReward({ action: BUY, priceChange: -0.001, confidence: 0.5 })).toBeCloseTo(-0.01, 12);
  });

  it('rejects a confidence outside [0, 1] and negative options', () => {
    expect(() => systemReward({ action: BUY, priceChange: 0, confidence: 1.2 })).toThrow(ConfigError);
    expect(() => systemReward({ action: BUY, priceChange: 0, confidence: 0.5 }, { scale: -1 })).toThrow(/scale/);
  });
});

describe('riskAdjustedPnlReward', () => {
  it('is (position·Δ − fee·|Δposition|)/σ', () => {
    expect(riskAdjustedPnlReward({ position: 1, previousPosition: 0, priceChange: 0.01, volatility: 0.005 })).toBeCloseTo((0.01 - 0.001) / 0.005, 12); // 1.8
    expect(riskAdjustedPnlReward({ position: -1, previousPosition: 1, priceChange: 0.01, volatility: 0.01 })).toBeCloseTo((-0.01 - 0.002) / 0.01, 12); // −1.2
    expect(riskAdjustedPnlReward({ position: 0, previousPosition: 0, priceChange: 0.05, volatility: 0.01 })).toBe(0);
    // the floor keeps a dead-calm σ from blowing the reward up: 0.001/1e-4
    expect(riskAdjustedPnlReward({ position: 1, previousPosition: 1, priceChange: 0.001, volatility: 0 })).toBeCloseTo(10, 12);
    expect(() => riskAdjustedPnlReward({ position: 1, previousPosition: 0, priceChange: 0, volatility: 1 }, { feeRate: -0.1 })).toThrow(ConfigError);
  });
});
