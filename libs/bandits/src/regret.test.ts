// End-to-end check on a seeded 5-arm Bernoulli problem: every policy finds the best arm and its regret is a
// small fraction of uniform random play's.
import { describe, expect, it } from 'vitest';
import { Rng } from '@trading-ml/core';
import { BetaBernoulliThompson } from './beta-bernoulli-thompson.js';
import { GaussianThompson } from './gaussian-thompson.js';
import { UCB1 } from './ucb1.js';
import type { Bandit } from './types.js';

const SUCCESS = [0.15, 0.3, 0.45, 0.5, 0.75];
const BEST = 4;
const ROUNDS = 3000;
const LAST = 500;

/** Pseudo-regret Σₜ (μ* − μ_armₜ) and the share of the last rounds spent on the best arm. */
function run(bandit: Bandit, env: Rng): { regret: number; bestShare: number } {
  let regret = 0;
  let best = 0;
  for (let t = 0; t < ROUNDS; t++) {
    const [arm] = bandit.select() as [number];
    regret += SUCCESS[BEST]! - SUCCESS[arm]!;
    if (t >= ROUNDS - LAST && arm === BEST) best++;
    bandit.update(arm, env.bernoulli(SUCCESS[arm]!) ? 1 : 0);
  }
  return { regret, bestShare: best / LAST };
}

// Uniform random play pulls each arm 1/5 of the time: expected regret T·(μ* − mean μ) = 3000·(0.75 − 0.43) = 960.
const UNIFORM_REGRET = ROUNDS * (SUCCESS[BEST]! - SUCCESS.reduce((s, p) => s + p, 0) / SUCCESS.length);

describe.each([
  ['BetaBernoulliThompson', (seed: number): Bandit => new BetaBernoulliThompson({ nArms: 5, rng: Rng.fromSeed(seed) }), 0.15],
  ['GaussianThompson', (seed: number): Bandit => new GaussianThompson({ nArms: 5, rng: Rng.fromSeed(seed), priorMean: 0.5, priorRate: 0.25 }), 0.15],
  // UCB1's √(2 ln n / nᵢ) bonus is loose for Bernoulli rewards: ≈ 2 ln T / Δᵢ² pulls per arm, ≈ 180 regret here.
  ['UCB1', (): Bandit => new UCB1({ nArms: 5 }), 0.3],
])('%s on a 5-arm Bernoulli problem', (_name, make, regretFraction) => {
  it.each([1, 2, 3])('finds the best arm and beats uniform play by far (seed %i)', (seed) => {
    const { regret, bestShare } = run(make(seed), Rng.fromSeed(1000 + seed));
    expect(bestShare).toBeGreaterThan(0.85);
    expect(regret).toBeLessThan(regretFraction * UNIFORM_REGRET);
  });
});
