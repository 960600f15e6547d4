import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, Rng } from '@trading-ml/core';
import { GaussianThompson } from './gaussian-thompson.js';
import type { NormalInverseGamma } from './gaussian-thompson.js';
import { describeBanditContract } from './contract.test-helper.js';

const MEANS = [0, 0.5, 1, -0.5, 0.2];

describeBanditContract({
  name: 'GaussianThompson',
  nArms: 5,
  stochastic: true,
  make: (seed) => new GaussianThompson({ nArms: 5, rng: Rng.fromSeed(seed) }),
  reward: (arm, env) => env.normal(MEANS[arm]!, 1),
});

describeBanditContract({
  name: 'GaussianThompson (discounted)',
  nArms: 5,
  stochastic: true,
  make: (seed) => new GaussianThompson({ nArms: 5, rng: Rng.fromSeed(seed), discount: 0.9, priorMean: 0.1, priorKappa: 0.5, priorShape: 2, priorRate: 0.3 }),
  reward: (arm, env) => env.normal(MEANS[arm]!, 0.3),
});

/**
 * Posterior of NIG(m₀, κ₀, a₀, b₀) after observations x with weights w (all 1 for the plain posterior), written
 * with the batch formulas of Murphy (2007) §6: n = Σw, x̄ = Σwx/n, κₙ = κ₀ + n, mₙ = (κ₀m₀ + n·x̄)/κₙ,
 * aₙ = a₀ + n/2, bₙ = b₀ + ½Σw(x − x̄)² + κ₀·n·(x̄ − m₀)²/(2κₙ).
 */
function batchPosterior(prior: NormalInverseGamma, xs: number[], ws: number[] = xs.map(() => 1)): NormalInverseGamma {
  const n = ws.reduce((s, w) => s + w, 0);
  if (n === 0) return prior;
  const xbar = xs.reduce((s, x, j) => s + ws[j]! * x, 0) / n;
  const scatter = xs.reduce((s, x, j) => s + ws[j]! * (x - xbar) ** 2, 0);
  const kappa = prior.kappa + n;
  return {
    mean: (prior.kappa * prior.mean + n * xbar) / kappa,
    kappa,
    shape: prior.shape + n / 2,
    rate: prior.rate + scatter / 2 + (prior.kappa * n * (xbar - prior.mean) ** 2) / (2 * kappa),
  };
}

function expectClose(actual: NormalInverseGamma, expected: NormalInverseGamma, digits = 9): void {
  expect(actual.mean).toBeCloseTo(expected.mean, digits);
  expect(actual.kappa).toBeCloseTo(expected.kappa, digits);
  expect(actual.shape).toBeCloseTo(expected.shape, digits);
  expect(actual.rate).toBeCloseTo(expected.rate, digits);
}

describe('GaussianThompson posterior', () => {
  it('equals the batch Normal-Inverse-Gamma posterior (Murphy 2007 §6) after a scripted sequence', () => {
    const prior = { mean: 0.2, kappa: 2, shape: 1.5, rate: 0.8 };
    const bandit = new GaussianThompson({ nArms: 3, rng: Rng.fromSeed(1), priorMean: 0.2, priorKappa: 2, priorShape: 1.5, priorRate: 0.8 });
    const script: Array<[number, number]> = [[0, 1.3], [1, -0.4], [0, 0.7], [0, -0.2], [1, 0.1]];
    for (const [arm, x] of script) bandit.update(arm, x);
    expectClose(bandit.posterior(0), batchPosterior(prior, [1.3, 0.7, -0.2]), 12);
    expectClose(bandit.posterior(1), batchPosterior(prior, [-0.4, 0.1]), 12);
    expect(bandit.posterior(2)).toEqual(prior);
    // arm 0 by hand: n = 3, x̄ = 0.6, κ = 5, m = (0.4 + 1.8)/5 = 0.44, a = 3, Σ(x − x̄)² = 0.49 + 0.01 + 0.64 = 1.14, b = 0.8 + ½·1.14 + 2·3·0.4²/(2·5) = 1.466
    expectClose(bandit.posterior(0), { mean: 0.44, kappa: 5, shape: 3, rate: 1.466 }, 12);
    expect(bandit.means()[0]).toBeCloseTo(0.44, 12);
  });

  it('discounted: equals the batch posterior with weights γ^(T−t) on the observations, for any script', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        (script, gamma) => {
          const prior = { mean: -0.3, kappa: 0.7, shape: 2, rate: 1.1 };
          const bandit = new GaussianThompson({ nArms: 3, rng: Rng.fromSeed(2), priorMean: -0.3, priorKappa: 0.7, priorShape: 2, priorRate: 1.1, discount: gamma });
          for (const [arm, x] of script) bandit.update(arm, x);
          const T = script.length;
          for (let i = 0; i < 3; i++) {
            // Discounting the sufficient statistics (n, Σx, Σx²) by γ per update gives observation t weight γ^(T−1−t).
            const xs = script.filter(([arm]) => arm === i).map(([, x]) => x);
            const ws = script.flatMap(([arm], t) => (arm === i ? [gamma ** (T - 1 - t)] : []));
            expectClose(bandit.posterior(i), batchPosterior(prior, xs, ws), 8);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('returns arms best first when posteriors are concentrated', () => {
    const mu = [0.3, 0.9, 0.1, 0.7, 0.5];
    const bandit = new GaussianThompson({ nArms: 5, rng: Rng.fromSeed(5), priorRate: 0.01 });
    const env = Rng.fromSeed(6);
    for (let t = 0; t < 1000; t++) mu.forEach((m, arm) => bandit.update(arm, env.normal(m, 0.1)));
    // Posterior sd of each mean ≈ 0.1/√1000 ≈ 0.003, far below the 0.2 spacing.
    for (let t = 0; t < 20; t++) expect(bandit.select(5)).toEqual([1, 3, 4, 0, 2]);
  });

  it('switches to a new best arm faster with γ = 0.95 than with γ = 1', () => {
    const before = [1, 0, -1];
    const after = [-1, 0, 1];
    const change = 400;
    const window = 150;
    const shareOfNewBest = (discount: number): number => {
      let pulls = 0;
      for (let seed = 0; seed < 10; seed++) {
        const bandit = new GaussianThompson({ nArms: 3, rng: Rng.fromSeed(100 + seed), discount });
        const env = Rng.fromSeed(200 + seed);
        for (let t = 0; t < change + window; t++) {
          const [arm] = bandit.select() as [number];
          bandit.update(arm, env.normal((t < change ? before : after)[arm]!, 1));
          if (t >= change && arm === 2) pulls++;
        }
      }
      return pulls / (10 * window);
    };
    const discounted = shareOfNewBest(0.95);
    const stationary = shareOfNewBest(1);
    expect(discounted).toBeGreaterThan(0.5);
    expect(discounted).toBeGreaterThan(stationary + 0.3);
  });
});

describe('GaussianThompson.transferFrom', () => {
  const trained = (seed: number): GaussianThompson => {
    const bandit = new GaussianThompson({ nArms: 3, rng: Rng.fromSeed(seed) });
    const env = Rng.fromSeed(seed + 50);
    for (let t = 0; t < 40; t++) {
      const [arm] = bandit.select() as [number];
      bandit.update(arm, env.normal(arm, 1));
    }
    return bandit;
  };
  const arms = [0, 1, 2];

  it('changes nothing at rate 0 and copies the source posterior at rate 1', () => {
    const target = trained(1);
    const source = trained(2);
    const sourceState = source.snapshot();
    const targetState = target.snapshot();
    target.transferFrom(source, 0);
    expect(target.snapshot()).toEqual(targetState);
    target.transferFrom(source, 1);
    for (const arm of arms) expect(target.posterior(arm)).toEqual(source.posterior(arm));
    expect(target.snapshot().rng).toEqual(targetState.rng);
    expect(source.snapshot()).toEqual(sourceState);
  });

  it('at rate ρ blends κ and a plainly and m κ-weighted, and widens b by the mean gap', () => {
    const target = trained(3);
    const source = trained(4);
    const t0 = arms.map((arm) => target.posterior(arm));
    const s0 = arms.map((arm) => source.posterior(arm));
    const rho = 0.3;
    target.transferFrom(source, rho);
    for (const arm of arms) {
      const p = t0[arm]!;
      const q = s0[arm]!;
      // Pooling two NIGs as weighted evidence: κ = (1−ρ)κ_p + ρκ_q, m = ((1−ρ)κ_p·m_p + ρκ_q·m_q)/κ,
      // a = (1−ρ)a_p + ρa_q, b = (1−ρ)b_p + ρb_q + ½·(1−ρ)κ_p·ρκ_q/κ·(m_p − m_q)² (the two-group scatter).
      const kappa = (1 - rho) * p.kappa + rho * q.kappa;
      expectClose(target.posterior(arm), {
        kappa,
        mean: ((1 - rho) * p.kappa * p.mean + rho * q.kappa * q.mean) / kappa,
        shape: (1 - rho) * p.shape + rho * q.shape,
        rate: (1 - rho) * p.rate + rho * q.rate + (0.5 * (1 - rho) * p.kappa * rho * q.kappa * (p.mean - q.mean) ** 2) / kappa,
      }, 12);
    }
  });

  it('rejects a different arm count or a rate outside [0, 1]', () => {
    const target = new GaussianThompson({ nArms: 3, rng: Rng.fromSeed(1) });
    const other = new GaussianThompson({ nArms: 2, rng: Rng.fromSeed(1) });
    expect(() => target.transferFrom(other as unknown as typeof target, 0.5)).toThrow(ConfigError);
    expect(() => target.transferFrom(target, Number.NaN)).toThrow(/Invalid rate/);
  });
});

describe('GaussianThompson validation', () => {
  it('rejects bad options naming the parameter', () => {
    const rng = Rng.fromSeed(1);
    expect(() => new GaussianThompson({ nArms: 1.5, rng })).toThrow(/Invalid nArms: got 1.5/);
    expect(() => new GaussianThompson({ nArms: 2, rng, priorMean: Infinity })).toThrow(/Invalid priorMean/);
    expect(() => new GaussianThompson({ nArms: 2, rng, priorKappa: 0 })).toThrow(/Invalid priorKappa/);
    expect(() => new GaussianThompson({ nArms: 2, rng, priorShape: -1 })).toThrow(/Invalid priorShape/);
    expect(() => new GaussianThompson({ nArms: 2, rng, priorRate: 0 })).toThrow(/Invalid priorRate/);
    expect(() => new GaussianThompson({ nArms: 2, rng, discount: 2 })).toThrow(/Invalid discount: got 2/);
  });
});
