import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, StateError } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import { DecisionQueue } from './decision-queue.js';
import { RiskManager } from './risk-manager.js';

describe('RiskManager', () => {
  it('caps the position and maps SELL to flat without shorts', () => {
    const risk = new RiskManager({ maxPosition: 0.5 });
    expect(risk.targetExposure(BUY, 10_000)).toBe(0.5);
    expect(risk.targetExposure(HOLD, 10_000)).toBeNull();
    expect(risk.targetExposure(SELL, 10_000)).toBe(0);
    expect(new RiskManager({ maxPosition: 0.5, allowShort: true }).targetExposure(SELL, 10_000)).toBe(-0.5);
  });

  it('stops on a drawdown from the peak, stays flat for the cooldown, then resumes from the current equity', () => {
    const risk = new RiskManager({ maxDrawdown: 0.1, cooldownDecisions: 2 });
    expect(risk.targetExposure(BUY, 10_000)).toBe(1);
    expect(risk.targetExposure(BUY, 11_000)).toBe(1); // new peak 11 000
    expect(risk.targetExposure(BUY, 9_950)).toBe(1); // 9.5 % below: still trading
    expect(risk.targetExposure(BUY, 9_890)).toBe(0); // 10.1 % below the peak: stop
    expect(risk.stopped).toBe(true);
    expect(risk.targetExposure(BUY, 9_800)).toBe(0); // cooldown 2 → 1
    expect(risk.targetExposure(BUY, 9_700)).toBe(0); // cooldown 1 → 0, peak reset to 9 700
    expect(risk.targetExposure(BUY, 9_000)).toBe(1); // 7.2 % below 9 700: trading again
    expect(risk.stops).toBe(1);
  });

  it('restores a snapshot and rejects bad limits and states', () => {
    const a = new RiskManager({ maxDrawdown: 0.1, cooldownDecisions: 3 });
    a.targetExposure(BUY, 100);
    a.targetExposure(BUY, 80);
    const b = new RiskManager({ maxDrawdown: 0.1, cooldownDecisions: 3 });
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.snapshot()).toEqual({ peakEquity: 100, cooldownLeft: 3, stops: 1 });
    expect(() => b.restore({ peakEquity: -1, cooldownLeft: 0, stops: 0 })).toThrow(StateError);
    expect(() => new RiskManager({ maxDrawdown: 1.5 })).toThrow(ConfigError);
  });
});

describe('DecisionQueue', () => {
  it('releases a decision only once its outcome is realized, in realization order', () => {
    const queue = new DecisionQueue<string>();
    queue.push({ decidedAt: 0, realizedAt: 3_600_000, payload: 'hourly' });
    queue.push({ decidedAt: 0, realizedAt: 900_000, payload: 'quarter' });
    queue.push({ decidedAt: 900_000, realizedAt: 1_800_000, payload: 'next' });
    expect(queue.release(899_999)).toEqual([]);
    expect(queue.release(1_800_000).map((d) => d.payload)).toEqual(['quarter', 'next']);
    expect(queue.size).toBe(1);
    expect(queue.release(3_600_000).map((d) => d.payload)).toEqual(['hourly']);
    expect(() => queue.push({ decidedAt: 5, realizedAt: 5, payload: 'now' })).toThrow(DataError);
  });
});
