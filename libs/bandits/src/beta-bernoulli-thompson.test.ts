import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, Rng } from '@trading-ml/core';
import { BetaBernoulliThompson } from './beta-bernoulli-thompson.js';
import { describeBanditContract } from './contract.test-helper.js';

const SUCCESS = [0.1, 0.3, 0.5, 0.7, 0.9];

describeBanditContract({
  name: 'BetaBernoulliThompson',
  nArms: 5,
  stochastic: true,
  make: (seed) => new BetaBernoulliThompson({ nArms: 5, rng: Rng.fromSeed(seed) }),
  reward: (arm, env) => (env.bernoulli(SUCCESS[arm]!) ? 1 : 0),
});

describeBanditContract({
  name: 'BetaBernoulliThompson (discounted, Bernoulli trials)',
  nArms: 5,
  stochastic: true,
  make: (seed) => new BetaBernoulliThompson({ nArms: 5, rng: Rng.fromSeed(seed), discount: 0.9, priorAlpha: 2, fractionalRewards: 'bernoulli-trial' }),
  reward: (arm, env) => env.float() * SUCCESS[arm]!,
});

describe('BetaBernoulliThompson posterior', () => {
  it('equals the conjugate Beta update α₀ + Σr, β₀ + Σ(1 − r) for a scripted sequence', () => {
    const bandit = new BetaBernoulliThompson({ nArms: 3, rng: Rng.fromSeed(1), priorAlpha: 2, priorBeta: 3 });
    const script: Array<[number, number]> = [[0, 1], [0, 0], [2, 0.25], [0, 1], [2, 1], [1, 0]];
    for (const [arm, r] of script) bandit.update(arm, r);
    // arm 0: successes 1 + 0 + 1 = 2, failures 0 + 1 + 0 = 1 → Beta(2 + 2, 3 + 1)
    expect(bandit.posterior(0)).toEqual({ alpha: 4, beta: 4 });
    // arm 1: one failure → Beta(2, 4)
    expect(bandit.posterior(1)).toEqual({ alpha: 2, beta: 4 });
    // arm 2: rewards 0.25 and 1 → α = 2 + 1.25, β = 3 + 0.75
    expect(bandit.posterior(2)).toEqual({ alpha: 3.25, beta: 3.75 });
    expect(bandit.means()).toEqual([4 / 8, 2 / 6, 3.25 / 7]);
  });

  it('discounted: equals the closed form α₀ + Σₜ γ^(T−t)·rₜ (Raj & Kalyani 2017) for any script', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        (script, gamma) => {
          const [a0, b0] = [1.5, 0.5];
          const bandit = new BetaBernoulliThompson({ nArms: 4, rng: Rng.fromSeed(2), priorAlpha: a0, priorBeta: b0, discount: gamma });
          for (const [arm, r] of script) bandit.update(arm, r);
          const T = script.length;
          for (let i = 0; i < 4; i++) {
            // α_T − α₀ evolves as d ← γ·d + r·[arm = i] from d = 0, hence the geometric weights.
            let alpha = a0;
            let beta = b0;
            script.forEach(([arm, r], t) => {
              if (arm !== i) return;
              const w = gamma ** (T - 1 - t);
              alpha += w * r;
              beta += w * (1 - r);
            });
            const posterior = bandit.posterior(i);
            expect(posterior.alpha).toBeCloseTo(alpha, 9);
            expect(posterior.beta).toBeCloseTo(beta, 9);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('bernoulli-trial mode adds exactly one 0/1 observation per update, a success with probability r', () => {
    const bandit = new BetaBernoulliThompson({ nArms: 1, rng: Rng.fromSeed(3), fractionalRewards: 'bernoulli-trial' });
    const n = 10_000;
    let previous = bandit.posterior(0);
    const steps = new Set<string>();
    for (let t = 0; t < n; t++) {
      bandit.update(0, 0.3);
      const next = bandit.posterior(0);
      steps.add(`${next.alpha - previous.alpha},${next.beta - previous.beta}`);
      previous = next;
    }
    expect([...steps].sort()).toEqual(['0,1', '1,0']);
    // Successes ~ Binomial(10 000, 0.3): mean 3000, sd √(10 000·0.3·0.7) ≈ 45.8; allow 4 sd.
    expect(Math.abs(previous.alpha - 1 - 3000)).toBeLessThan(4 * 45.8);
  });

  it('selects arm 0 with probability P(X > Y) = 2/3 for X ~ Beta(2, 1), Y ~ Beta(1, 1)', () => {
    // P(X > Y) = E[F_Y(X)] = E[X] = 2/3 since Y is uniform.
    const bandit = new BetaBernoulliThompson({ nArms: 2, rng: Rng.fromSeed(4) });
    bandit.update(0, 1);
    const n = 20_000;
    let first = 0;
    for (let t = 0; t < n; t++) if (bandit.select()[0] === 0) first++;
    // Binomial sd √(n·(2/3)(1/3)) / n ≈ 0.0033; allow 4 sd.
    expect(Math.abs(first / n - 2 / 3)).toBeLessThan(0.014);
  });

  it('returns arms best first when posteriors are concentrated', () => {
    const p = [0.3, 0.9, 0.1, 0.7, 0.5];
    const bandit = new BetaBernoulliThompson({ nArms: 5, rng: Rng.fromSeed(5) });
    for (let t = 0; t < 2000; t++) p.forEach((pi, arm) => bandit.update(arm, pi));
    // Posterior sd ≈ √(p(1 − p)/2000) ≤ 0.012, far below the 0.2 spacing.
    for (let t = 0; t < 20; t++) expect(bandit.select(5)).toEqual([1, 3, 4, 0, 2]);
  });

  it('switches to a new best arm faster with γ = 0.95 than with γ = 1', () => {
    const before = [0.8, 0.5, 0.2];
    const after = [0.2, 0.5, 0.8];
    const change = 400;
    const window = 150;
    const shareOfNewBest = (discount: number): number => {
      let pulls = 0;
      for (let seed = 0; seed < 10; seed++) {
        const bandit = new BetaBernoulliThompson({ nArms: 3, rng: Rng.fromSeed(100 + seed), discount });
        const env = Rng.fromSeed(200 + seed);
        for (let t = 0; t < change + window; t++) {
          const [arm] = bandit.select() as [number];
          const p = (t < change ? before : after)[arm]!;
          bandit.update(arm, env.bernoulli(p) ? 1 : 0);
          if (t >= change && arm === 2) pulls++;
        }
      }
      return pulls / (10 * window);
    };
    const discounted = shareOfNewBest(0.95);
    const stationary = shareOfNewBest(1);
    expect(discounted).toBeGreaterThan(0.6);
    expect(discounted).toBeGreaterThan(stationary + 0.3);
  });
});

describe('BetaBernoulliThompson.transferFrom', () => {
  const trained = (seed: number): BetaBernoulliThompson => {
    const bandit = new BetaBernoulliThompson({ nArms: 3, rng: Rng.fromSeed(seed) });
    const env = Rng.fromSeed(seed + 50);
    for (let t = 0; t < 40; t++) {
      const [arm] = bandit.select() as [number];
      bandit.update(arm, env.float());
    }
    return bandit;
  };

  it('changes nothing at rate 0 and copies the source posterior at rate 1', () => {
    const target = trained(1);
    const source = trained(2);
    const sourceState = source.snapshot();
    const targetState = target.snapshot();
    target.transferFrom(source, 0);
    expect(target.snapshot()).toEqual(targetState);
    target.transferFrom(source, 1);
    for (let arm = 0; arm < 3; arm++) expect(target.posterior(arm)).toEqual(source.posterior(arm));
    expect(target.snapshot().rng).toEqual(targetState.rng); // the rng stays the target's own
    expect(source.snapshot()).toEqual(sourceState);
  });

  it('blends α and β linearly at intermediate rates', () => {
    const target = trained(3);
    const source = trained(4);
    const t0 = [0, 1, 2].map((arm) => target.posterior(arm));
    const s0 = [0, 1, 2].map((arm) => source.posterior(arm));
    target.transferFrom(source, 0.25);
    for (let arm = 0; arm < 3; arm++) {
      expect(target.posterior(arm).alpha).toBeCloseTo(0.75 * t0[arm]!.alpha + 0.25 * s0[arm]!.alpha, 12);
      expect(target.posterior(arm).beta).toBeCloseTo(0.75 * t0[arm]!.beta + 0.25 * s0[arm]!.beta, 12);
    }
  });

  it('rejects a different arm count or a rate outside [0, 1]', () => {
    const target = new BetaBernoulliThompson({ nArms: 3, rng: Rng.fromSeed(1) });
    const other = new BetaBernoulliThompson({ nArms: 4, rng: Rng.fromSeed(1) });
    expect(() => target.transferFrom(other as unknown as typeof target, 0.5)).toThrow(ConfigError);
    expect(() => target.transferFrom(target, 1.5)).toThrow(/Invalid rate: got 1.5/);
    expect(() => target.transferFrom(target, -0.1)).toThrow(ConfigError);
  });
});

describe('BetaBernoulliThompson validation', () => {
  it('rejects rewards outside [0, 1] naming the value', () => {
    const bandit = new BetaBernoulliThompson({ nArms: 2, rng: Rng.fromSeed(1) });
    expect(() => bandit.update(0, 1.1)).toThrow(/Invalid reward: got 1.1, expected a number in \[0, 1\]/);
    expect(() => bandit.update(0, -0.1)).toThrow(ConfigError);
  });

  it('rejects bad options naming the parameter', () => {
    const rng = Rng.fromSeed(1);
    expect(() => new BetaBernoulliThompson({ nArms: 0, rng })).toThrow(/Invalid nArms: got 0/);
    expect(() => new BetaBernoulliThompson({ nArms: 2, rng, priorAlpha: 0 })).toThrow(/Invalid priorAlpha/);
    expect(() => new BetaBernoulliThompson({ nArms: 2, rng, priorBeta: -1 })).toThrow(/Invalid priorBeta/);
    expect(() => new BetaBernoulliThompson({ nArms: 2, rng, discount: 0 })).toThrow(/Invalid discount: got 0/);
    expect(() => new BetaBernoulliThompson({ nArms: 2, rng, discount: 1.01 })).toThrow(/Invalid discount/);
    expect(() => new BetaBernoulliThompson({ nArms: 2, rng, fractionalRewards: 'round' as never })).toThrow(/Invalid fractionalRewards/);
    expect(() => new BetaBernoulliThompson({ nArms: 2, rng: undefined as unknown as Rng })).toThrow(/Invalid rng/);
  });
});
