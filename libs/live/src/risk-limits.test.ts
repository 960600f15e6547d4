import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { gateTarget, limitOrderQuantity, parseRiskLimits, roundToMarket } from './risk-limits.js';
import type { RiskState } from './risk-limits.js';

const DAY1 = Date.UTC(2024, 0, 1, 5);
const DAY2 = Date.UTC(2024, 0, 2, 1);
const state = (over: Partial<RiskState> = {}): RiskState => ({ peakEquity: 10_000, day: '2024-01-01', dayStartEquity: 10_000, halted: null, ...over });

describe('parseRiskLimits', () => {
  it('accepts partial limits and rejects bad values naming the limit', () => {
    expect(parseRiskLimits({ maxDrawdown: 0.2 })).toEqual({ maxDrawdown: 0.2 });
    expect(() => parseRiskLimits({ maxDrawdown: 1.5 })).toThrow(/Invalid risk.maxDrawdown: got 1.5, expected a fraction in \(0, 1\)/);
    expect(() => parseRiskLimits({ maxOrderNotional: -5 })).toThrow(/Invalid risk.maxOrderNotional: got -5, expected a finite number > 0/);
    expect(() => parseRiskLimits({ maxLoss: 1 })).toThrow(ConfigError);
  });
});

describe('gateTarget', () => {
  it('tracks the peak and the UTC day start', () => {
    const first = gateTarget({}, null, { time: DAY1, totalEquity: 10_000, target: 0.5, held: 0 });
    expect(first).toEqual({ state: state(), target: 0.5, reason: null });
    const up = gateTarget({}, first.state, { time: DAY1 + 3_600_000, totalEquity: 10_500, target: 0.5, held: 0.5 });
    expect(up.state).toEqual(state({ peakEquity: 10_500 }));
    const nextDay = gateTarget({}, up.state, { time: DAY2, totalEquity: 10_200, target: 0.5, held: 0.5 });
    expect(nextDay.state).toEqual({ peakEquity: 10_500, day: '2024-01-02', dayStartEquity: 10_200, halted: null });
  });

  it('kill switch: 20.01 % below the peak with maxDrawdown 0.2 flattens and stays halted', () => {
    const hit = gateTarget({ maxDrawdown: 0.2 }, state(), { time: DAY1, totalEquity: 7_999, target: 1, held: 0.9 });
    expect(hit.target).toBe(0);
    expect(hit.state.halted).toMatch(/^drawdown 20.01% from peak 10000.00 exceeds maxDrawdown 20.00%/);
    const later = gateTarget({ maxDrawdown: 0.2 }, hit.state, { time: DAY2, totalEquity: 9_000, target: 1, held: 0 });
    expect(later.target).toBe(0); // a recovery does not lift it
    expect(gateTarget({ maxDrawdown: 0.2 }, state(), { time: DAY1, totalEquity: 8_001, target: 1, held: 0.9 }).target).toBe(1);
  });

  it('daily loss stop: below the day start by more than maxDailyLoss, targets may only move toward flat', () => {
    const s = state({ dayStartEquity: 10_000 });
    const limits = { maxDailyLoss: 0.05 };
    const input = { time: DAY1, totalEquity: 9_400 }; // −6 %
    expect(gateTarget(limits, s, { ...input, target: 1, held: 0.4 }).target).toBe(0.4); // cannot add
    expect(gateTarget(limits, s, { ...input, target: 0.1, held: 0.4 }).target).toBe(0.1); // may reduce
    expect(gateTarget(limits, s, { ...input, target: -0.3, held: 0.4 }).target).toBe(0); // may not flip
    expect(gateTarget(limits, s, { ...input, target: 1, held: 0.4 }).reason).toMatch(/daily loss stop: 6.00% below/);
    // the next UTC day starts afresh from the equity at its first close
    expect(gateTarget(limits, s, { time: DAY2, totalEquity: 9_400, target: 1, held: 0.4 }).target).toBe(1);
  });
});

describe('limitOrderQuantity', () => {
  const base = { price: 100, position: 0, otherExposure: 0, totalEquity: 10_000 };
  it('caps one order at maxOrderNotional (quantity = notional / price)', () => {
    expect(limitOrderQuantity({ maxOrderNotional: 500 }, { ...base, side: 'buy', quantity: 10 })).toEqual({ quantity: 5, notes: ['capped by maxOrderNotional 500'] });
  });
  it('caps the resulting position at maxSymbolNotional', () => {
    // hold 30 (3 000 USDT), limit 4 000 → may buy 10 more
    expect(limitOrderQuantity({ maxSymbolNotional: 4_000 }, { ...base, position: 30, side: 'buy', quantity: 25 }).quantity).toBeCloseTo(10, 12);
  });
  it('caps the total exposure over all symbols as a fraction of equity', () => {
    // others hold 6 000 of 10 000 equity, limit 0.8 → 2 000 USDT of room = 20 units
    expect(limitOrderQuantity({ maxTotalExposure: 0.8 }, { ...base, otherExposure: 6_000, side: 'buy', quantity: 50 }).quantity).toBeCloseTo(20, 12);
    expect(limitOrderQuantity({ maxTotalExposure: 0.5 }, { ...base, otherExposure: 6_000, side: 'buy', quantity: 50 }).quantity).toBe(0);
  });
  it('never blocks an order that reduces the position', () => {
    expect(limitOrderQuantity({ maxSymbolNotional: 100, maxTotalExposure: 0.01 }, { ...base, position: 50, otherExposure: 9_000, side: 'sell', quantity: 50 })).toEqual({ quantity: 50, notes: [] });
  });
});

describe('roundToMarket', () => {
  const market = (step: number, minAmount: number, minCost: number) => ({
    market: () => ({ limits: { amount: { min: minAmount }, cost: { min: minCost } } }),
    amountToPrecision: (_s: string, amount: number) => String(Math.floor(amount / step + 1e-9) * step),
  });
  it('truncates to the step and checks minimum amount and cost', () => {
    expect(roundToMarket(market(0.001, 0.001, 5), 'X/USDT', 0.12345, 100)).toEqual({ quantity: 0.123 });
    expect(roundToMarket(market(0.001, 0.001, 5), 'X/USDT', 0.0009, 100)).toEqual({ skip: 'quantity 0.0009 rounds to 0, below the market minimum amount 0.001' });
    expect(roundToMarket(market(0.001, 0.001, 5), 'X/USDT', 0.04, 100)).toEqual({ skip: 'notional 4.00000000 below the market minimum cost 5' });
  });
});
