import { describe, expect, it } from 'vitest';
import { Rng } from '@trading-ml/core';
import { BUY, HOLD, SELL } from '../labels/perfect-move.js';
import { combineTimeframes } from './combine-timeframes.js';
import { actionConfidence, dqnState, dqnStateSize } from './decision-signal.js';
import type { DecisionSignal } from './decision-signal.js';
import { TradingPolicy } from './trading-policy.js';
import type { PolicyAgent } from './trading-policy.js';

const STEP = 900_000;

function signal(time: number, close: number, probabilities: [number, number, number] = [0.7, 0.2, 0.1]): DecisionSignal {
  const heads = [probabilities, [0.2, 0.3, 0.5]];
  const combined = combineTimeframes([
    { timeframe: '1h', probabilities: heads[0]!, confidence: 0.8 },
    { timeframe: '1d', probabilities: heads[1]!, confidence: 0.5 },
  ]);
  return { time, close, heads, modelConfidence: 0.8, combined, regime: 'trending', confidenceFactor: 1, sigma: 0.01, stability: 1, features: [0.1, 0.2, 0.3, 0.4] };
}

/** Test double: plays a fixed action script and records what it is taught. */
class ScriptedAgent implements PolicyAgent {
  readonly remembered: Array<{ action: number; reward: number; done: boolean; nextState: ArrayLike<number> }> = [];
  constructor(private readonly actions: number[]) {}
  act(): number {
    return this.actions.shift() ?? HOLD;
  }
  remember(t: { state: ArrayLike<number>; action: number; reward: number; nextState: ArrayLike<number>; done: boolean }): void {
    this.remembered.push(t);
  }
  trainStep(): { loss: number } {
    return { loss: 1 };
  }
}

describe('dqnState', () => {
  it('lays out probabilities, votes, confidences, heads, exposure, regime and features', () => {
    const s = signal(0, 100);
    const state = dqnState(s, 2); // exposure clipped to 1
    expect(state.length).toBe(dqnStateSize(2));
    expect(dqnStateSize(6)).toBe(35);
    const expected = [...s.combined.probabilities, ...s.combined.votes, s.combined.confidence, s.combined.headConfidence, 0.8, 0.7, 0.2, 0.1, 0.2, 0.3, 0.5, 1, 1, 0, 0, 0.1, 0.2, 0.3, 0.4];
    expected.forEach((v, i) => expect(state[i]).toBeCloseTo(v, 6));
    // votes: 1h (w̃ 2/3) picks BUY, 1d (1/3) picks SELL
    expect(actionConfidence(s, BUY)).toBeCloseTo(2 / 3, 12);
    expect(actionConfidence({ ...s, confidenceFactor: 0.5 }, SELL)).toBeCloseTo(1 / 6, 12);
  });
});

describe('TradingPolicy', () => {
  it('teaches the agent a decision only once the next decision bar has closed, with the system reward', () => {
    const agent = new ScriptedAgent([BUY, SELL, HOLD]);
    const policy = new TradingPolicy(agent, Rng.fromSeed(1), { decisionStepMs: STEP, holdBand: 0.002, explore: false, learn: true });
    const first = policy.decide(signal(0, 100), 0, 10_000, 0, 100);
    expect(first).toMatchObject({ action: BUY, gated: BUY, target: 1 });
    expect(first.confidence).toBeCloseTo(2 / 3, 12);
    expect(agent.remembered).toHaveLength(0); // not realized yet
    const second = policy.decide(signal(STEP, 101), 1, 10_100, STEP, 101);
    // BUY realized: +1 % → 10·0.01·(0.5 + 2/3)
    expect(agent.remembered).toHaveLength(1);
    expect(agent.remembered[0]!.reward).toBeCloseTo(10 * 0.01 * (0.5 + 2 / 3), 10);
    expect(agent.remembered[0]!.done).toBe(false);
    // SELL has vote share 1/3 < 0.6: gated to HOLD, position kept
    expect(second).toMatchObject({ action: SELL, gated: HOLD, target: null });
    // a gap: the next signal comes two steps later → the pending SELL ends its episode
    policy.decide(signal(3 * STEP, 99), 1, 9_900, 3 * STEP, 99);
    expect(agent.remembered).toHaveLength(2);
    expect(agent.remembered[1]!.done).toBe(true);
    // SELL, price 101 → 99 (−1.98 %): correct, confidence 1/3
    expect(agent.remembered[1]!.reward).toBeCloseTo(10 * (2 / 101) * (0.5 + 1 / 3), 10);
    expect(policy.stats).toMatchObject({ decisions: 3, dqnActions: [1, 1, 1], gatedActions: [1, 2, 0], trainSteps: 2, transitions: 2 });
  });

  it('holds without a signal and learns nothing when learning is off', () => {
    const agent = new ScriptedAgent([BUY, BUY]);
    const policy = new TradingPolicy(agent, Rng.fromSeed(1), { decisionStepMs: STEP, holdBand: 0.002, explore: false, learn: false });
    expect(policy.decide(null, 0, 10_000, 0, 100)).toEqual({ action: HOLD, gated: HOLD, confidence: 0, target: null });
    policy.decide(signal(STEP, 100), 0, 10_000, STEP, 100);
    policy.decide(signal(2 * STEP, 100), 1, 10_000, 2 * STEP, 100);
    expect(agent.remembered).toHaveLength(0);
    expect(policy.stats.transitions).toBe(1); // realized and scored, not taught
  });
});
