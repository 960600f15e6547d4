import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateError } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import { coordinateSymbols } from './coordinate-symbols.js';
import { RollingCorrelation } from './rolling-correlation.js';

describe('RollingCorrelation', () => {
  it('matches the textbook Pearson r on a hand example and forgets the oldest pair', () => {
    const rho = new RollingCorrelation(3);
    rho.push(1, 2);
    rho.push(2, 4);
    expect(rho.value()).toBeNull(); // window not full
    rho.push(3, 7);
    // x̄ = 2, ȳ = 13/3; Σdxdy = (−1)(−7/3) + 0 + (1)(8/3) = 5; Σdx² = 2; Σdy² = 49/9 + 1/9 + 64/9 = 114/9
    expect(rho.value()).toBeCloseTo(5 / Math.sqrt(2 * (114 / 9)), 12);
    rho.push(4, 1); // window now (2,4), (3,7), (4,1)
    // x̄ = 3, ȳ = 4: Σdxdy = (−1)(0) + 0 + (1)(−3) = −3; Σdx² = 2; Σdy² = 0 + 9 + 9 = 18 → −3/6
    expect(rho.value()).toBeCloseTo(-0.5, 12);
  });

  it('stays within [−1, 1] (property) and restores a snapshot exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 5, maxLength: 40 }), (pairs) => {
        const rho = new RollingCorrelation(5);
        for (const [x, y] of pairs) rho.push(x, y);
        const value = rho.value();
        return value === null || (value >= -1 - 1e-12 && value <= 1 + 1e-12);
      }),
    );
    const a = new RollingCorrelation(4);
    [1, 3, 2, 5, 4].forEach((x, i) => a.push(x, i));
    const b = new RollingCorrelation(4);
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    a.push(9, 9);
    b.push(9, 9);
    expect(b.value()).toBe(a.value());
    expect(() => b.restore({ window: 4, x: [1], y: [] })).toThrow(StateError);
    expect(() => new RollingCorrelation(5).restore(a.snapshot())).toThrow(/window 5/);
  });
});

describe('coordinateSymbols', () => {
  const btcBuy = { symbol: 'BTC/USDT', action: BUY, confidence: 0.8 };
  const ethSell = { symbol: 'ETH/USDT', action: SELL, confidence: 0.7 };

  it('halves both confidences when highly correlated symbols point opposite ways', () => {
    const [btc, eth] = coordinateSymbols([btcBuy, ethSell], () => 0.85);
    expect(btc!.confidence).toBeCloseTo(0.4, 12);
    expect(eth!.confidence).toBeCloseTo(0.35, 12);
  });

  it('leaves agreeing signals, HOLDs, weak or unknown correlation unchanged', () => {
    expect(coordinateSymbols([btcBuy, { ...ethSell, action: BUY }], () => 0.95).map((s) => s.confidence)).toEqual([0.8, 0.7]);
    expect(coordinateSymbols([btcBuy, { ...ethSell, action: HOLD }], () => 0.95).map((s) => s.confidence)).toEqual([0.8, 0.7]);
    expect(coordinateSymbols([btcBuy, ethSell], () => 0.5).map((s) => s.confidence)).toEqual([0.8, 0.7]);
    expect(coordinateSymbols([btcBuy, ethSell], () => null).map((s) => s.confidence)).toEqual([0.8, 0.7]);
    expect(() => coordinateSymbols([btcBuy], () => 1, { disagreementFactor: 2 })).toThrow(/disagreementFactor/);
  });
});
