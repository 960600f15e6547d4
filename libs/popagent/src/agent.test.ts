import { describe, expect, it } from 'vitest';
import { GaussianThompson, RegimeBaseline } from '@trading-ml/bandits';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import { BASELINE_LEARNING_RATE, PopAgentMember } from './agent.js';

const options = { nMethods: 5, methodsPerDecision: 3, discount: 0.99, rankingWindow: 4, allowShort: false };

describe('PopAgentMember', () => {
  it('holds the mean of its k distinct selected signals, clipped to [0, 1] long-only or [−1, 1]', () => {
    const signals = [0.9, -0.6, 0.3, -1, 0.5];
    for (const allowShort of [false, true]) {
      const agent = new PopAgentMember({ ...options, allowShort, rng: Rng.fromSeed(1).derive('a') });
      for (let t = 0; t < 20; t++) {
        const position = agent.decide(signals, 0.01, null);
        const arms = [...agent.selected];
        expect(new Set(arms).size).toBe(3);
        const mean = arms.reduce((sum, arm) => sum + signals[arm]!, 0) / 3;
        expect(position).toBeCloseTo(allowShort ? mean : Math.max(0, mean), 12);
        agent.realize(0.001 * (t % 3 - 1));
      }
    }
  });

  it('rewards each selected method with signal·r/σ and updates the bandit with the advantage over the regime baseline', () => {
    const rng = Rng.fromSeed(9).derive('agent/0');
    const agent = new PopAgentMember({ ...options, rng });
    // Reference: the same bandit stream and a baseline, driven by the formula written out.
    const reference = new GaussianThompson({ nArms: 5, rng: Rng.fromSeed(9).derive('agent/0'), discount: 0.99 });
    const baseline = new RegimeBaseline({ nRegimes: 3, learningRate: BASELINE_LEARNING_RATE });
    const signals = [0.2, -0.4, 0.8, 0.1, -0.9];
    const returns = [0.01, -0.02, 0.005, 0.03, -0.01, 0.002];
    const regime = [0.2, 0.3, 0.5];
    const sigma = 0.02;
    for (const r of returns) {
      agent.decide(signals, sigma, regime);
      const arms = reference.select(3);
      expect([...agent.selected]).toEqual(arms);
      agent.realize(r);
      const b = baseline.baseline(regime);
      let sum = 0;
      for (const arm of arms) {
        const reward = (signals[arm]! * r) / sigma;
        reference.update(arm, reward - b);
        sum += reward;
      }
      baseline.update(sum / 3, regime);
    }
    agent.bandit.means().forEach((m, i) => expect(m).toBeCloseTo(reference.means()[i]!, 12));
    agent.baseline.baselines().forEach((b, i) => expect(b).toBeCloseTo(baseline.baselines()[i]!, 12));
  });

  it('learns nothing before a return is realized, and averages its own reward over the ranking window', () => {
    const agent = new PopAgentMember({ ...options, rankingWindow: 2, rng: Rng.fromSeed(2) });
    expect(agent.realize(0.05)).toBeNull();
    expect(agent.trailingReward()).toBe(0);
    const signals = [1, 1, 1, 1, 1];
    const rewards: number[] = [];
    for (const r of [0.01, 0.02, -0.04]) {
      agent.decide(signals, 0.01, null);
      rewards.push(agent.realize(r)!);
    }
    // position 1 every time: rewards r/σ = 1, 2, −4; window 2 → mean of the last two = −1
    expect(rewards.map((x) => Number(x.toFixed(12)))).toEqual([1, 2, -4]);
    expect(agent.trailingReward()).toBeCloseTo(-1, 12);
    // no σ at decision time: no reward is learned
    const before = agent.bandit.means();
    agent.decide(signals, null, null);
    expect(agent.realize(0.5)).toBeNull();
    expect(agent.bandit.means()).toEqual(before);
  });

  it('setRankingWindow keeps the latest rewards; setMethodsPerDecision applies from the next decision', () => {
    const agent = new PopAgentMember({ ...options, rankingWindow: 3, rng: Rng.fromSeed(3) });
    const signals = [1, 1, 1, 1, 1];
    // position 1, σ = 0.01: rewards r/σ = 1, 2, 3, 4 → the window of 3 holds 2, 3, 4 (ring head wrapped once)
    for (const r of [0.01, 0.02, 0.03, 0.04]) {
      agent.decide(signals, 0.01, null);
      agent.realize(r);
    }
    expect(agent.trailingReward()).toBeCloseTo((2 + 3 + 4) / 3, 12);
    agent.setRankingWindow(2); // the latest two: 3, 4
    expect(agent.trailingReward()).toBeCloseTo(3.5, 12);
    agent.setRankingWindow(5); // nothing older comes back
    expect(agent.trailingReward()).toBeCloseTo(3.5, 12);
    agent.decide(signals, 0.01, null);
    agent.realize(0.05); // 3, 4, 5
    expect(agent.trailingReward()).toBeCloseTo(4, 12);
    agent.decide(signals, 0.01, null);
    expect(agent.selected.length).toBe(3);
    agent.setMethodsPerDecision(1);
    expect(agent.realize(0.01)).toBeCloseTo(1, 12); // the pending decision still pays on its own 3 arms
    agent.decide(signals, 0.01, null);
    expect(agent.selected.length).toBe(1);
    expect(() => agent.setMethodsPerDecision(6)).toThrow(ConfigError);
    expect(() => agent.setRankingWindow(0)).toThrow(ConfigError);
    expect(() => agent.setDiscount(1.5)).toThrow(ConfigError);
  });

  it('snapshot → JSON → restore continues identically (pending decision, reward ring and random stream included)', () => {
    const drive = (agent: PopAgentMember, from: number, to: number) => {
      const out: number[] = [];
      for (let t = from; t < to; t++) {
        out.push(agent.realize(0.01 * Math.sin(t)) ?? Number.NaN);
        out.push(agent.decide([0.9, -0.6, 0.3, -1, 0.5].map((x) => x * Math.cos(t)), 0.02, [0.2, 0.3, 0.5]));
      }
      return out;
    };
    const full = drive(new PopAgentMember({ ...options, rng: Rng.fromSeed(5) }), 0, 30);
    const first = new PopAgentMember({ ...options, rng: Rng.fromSeed(5) });
    drive(first, 0, 13);
    const resumed = new PopAgentMember({ ...options, rng: Rng.fromSeed(99) });
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(drive(resumed, 13, 30)).toEqual(full.slice(26));
    const bad = { ...first.snapshot(), rewards: [1, 2] };
    expect(() => resumed.restore(bad)).toThrow(StateError);
    expect(() => resumed.restore(bad)).toThrow(/field "rewards" .*rankingWindow rewards/);
  });
});
