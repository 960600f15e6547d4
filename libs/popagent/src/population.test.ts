import { describe, expect, it } from 'vitest';
import { Rng, StateError } from '@trading-ml/core';
import { Population } from './population.js';

const base = {
  population: 6,
  nMethods: 8,
  methodsPerDecision: 3,
  discount: 0.99,
  rankingWindow: 10,
  transferEvery: 1_000_000,
  transferRate: 0.3,
  allowShort: true,
};

function drive(pop: Population, steps: number, seed: number): number[] {
  const rng = Rng.fromSeed(seed);
  const committed: number[] = [];
  const signals = new Float64Array(8);
  for (let t = 0; t < steps; t++) {
    pop.realize(rng.normal(0.001, 0.02));
    for (let m = 0; m < 8; m++) signals[m] = Math.max(-1, Math.min(1, rng.normal(0, 0.6)));
    const positions: number[] = [];
    const exposure = pop.decide(signals, 0.02, [0.2, 0.5, 0.3]);
    for (const agent of pop.agents) positions.push(agent.position);
    expect(exposure).toBeCloseTo(positions.reduce((a, b) => a + b, 0) / positions.length, 12);
    committed.push(exposure);
  }
  return committed;
}

describe('Population', () => {
  it('commits the average of the agent positions', () => {
    const pop = new Population({ ...base, rng: Rng.fromSeed(1) });
    drive(pop, 50, 2);
    expect(pop.decisionCount).toBe(50);
  });

  it('preference transfer moves every other agent’s posterior means toward the best agent’s', () => {
    const pop = new Population({ ...base, rng: Rng.fromSeed(4) });
    drive(pop, 80, 3);
    const trailing = pop.agents.map((a) => a.trailingReward());
    const best = trailing.indexOf(Math.max(...trailing));
    expect(pop.bestAgent()).toBe(best);
    const before = pop.agents.map((a) => a.bandit.means());
    const bestMeans = before[best]!;
    expect(pop.transfer()).toBe(best);
    const after = pop.agents.map((a) => a.bandit.means());
    expect(after[best]).toEqual(bestMeans);
    let moved = 0;
    pop.agents.forEach((_, i) => {
      if (i === best) return;
      for (let arm = 0; arm < 8; arm++) {
        const d0 = Math.abs(before[i]![arm]! - bestMeans[arm]!);
        const d1 = Math.abs(after[i]![arm]! - bestMeans[arm]!);
        expect(d1).toBeLessThanOrEqual(d0 + 1e-15);
        if (d1 < d0 - 1e-12) moved++;
      }
    });
    expect(moved).toBeGreaterThan(0);
  });

  it('transfers every `transferEvery` decisions, from the best by trailing realized reward', () => {
    const pop = new Population({ ...base, transferEvery: 5, rng: Rng.fromSeed(7) });
    drive(pop, 5, 1);
    expect(pop.lastTransferSource).toBe(-1);
    drive(pop, 1, 2); // the 6th decision: 5 decisions done, transfer first
    expect(pop.lastTransferSource).toBeGreaterThanOrEqual(0);
  });

  it('same seed gives the same decisions; agent streams differ', () => {
    const a = drive(new Population({ ...base, rng: Rng.fromSeed(11) }), 40, 5);
    const b = drive(new Population({ ...base, rng: Rng.fromSeed(11) }), 40, 5);
    const c = drive(new Population({ ...base, rng: Rng.fromSeed(12) }), 40, 5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('snapshot → JSON → restore continues identically; a corrupted agent leaves every agent as it was', () => {
    const first = new Population({ ...base, transferEvery: 7, rng: Rng.fromSeed(21) });
    drive(first, 17, 8);
    const state = JSON.parse(JSON.stringify(first.snapshot()));
    const resumed = new Population({ ...base, rng: Rng.fromSeed(1) });
    const untouched = JSON.stringify(resumed.snapshot());
    const corrupted = JSON.parse(JSON.stringify(state));
    corrupted.agents[4].baseline.baselines = [0, 'x', 0];
    expect(() => resumed.restore(corrupted)).toThrow(StateError);
    expect(() => resumed.restore(corrupted)).toThrow(/field "agents.4.baseline.baselines.1" is "x"/);
    expect(JSON.stringify(resumed.snapshot())).toBe(untouched); // agents 0–3 were rolled back
    resumed.restore(state);
    expect(resumed.decisionCount).toBe(17);
    // The uninterrupted reference: the same population driven 17 steps, then both get the same 23 further inputs.
    const reference = new Population({ ...base, transferEvery: 7, rng: Rng.fromSeed(21) });
    drive(reference, 17, 8);
    expect(drive(resumed, 23, 9)).toEqual(drive(reference, 23, 9));
  });
});
