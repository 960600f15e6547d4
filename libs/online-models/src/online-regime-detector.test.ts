import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, NotWarmError, Rng } from '@trading-ml/core';
import { OnlineRegimeDetector } from './online-regime-detector.js';
import { REGIMES } from './types.js';
import { runEstimatorContract } from './contract.test-helper.js';

/** Gaussian density written out: N(r; μ, σ²) = exp(−(r − μ)²/(2σ²)) / √(2πσ²). */
const gaussian = (r: number, mean: number, variance: number): number =>
  Math.exp(-((r - mean) ** 2) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);

/** Every state path of length t over k states (k^t of them). */
function paths(k: number, t: number): number[][] {
  if (t === 0) return [[]];
  return paths(k, t - 1).flatMap((p) => Array.from({ length: k }, (_, s) => [...p, s]));
}

interface Hmm {
  readonly means: readonly number[];
  readonly variances: readonly number[];
  readonly transition: readonly (readonly number[])[];
}

/** Joint P(s_1..s_t, r_1..t) of a path with a uniform initial state (Rabiner 1989, eq. 17 for one path). */
function pathProbability(hmm: Hmm, path: readonly number[], rs: readonly number[]): number {
  let p = 1 / hmm.means.length;
  path.forEach((s, i) => {
    if (i > 0) p *= hmm.transition[path[i - 1]!]![s]!;
    if (i < rs.length) p *= gaussian(rs[i]!, hmm.means[s]!, hmm.variances[s]!);
  });
  return p;
}

/** P(s_last = k | r_1..t) by brute-force enumeration; paths one longer than rs give the one-step-ahead prediction. */
function bruteForceMarginal(hmm: Hmm, rs: readonly number[], length: number): number[] {
  const k = hmm.means.length;
  const totals = new Array<number>(k).fill(0);
  for (const path of paths(k, length)) totals[path[length - 1]!] = totals[path[length - 1]!]! + pathProbability(hmm, path, rs);
  const sum = totals.reduce((a, b) => a + b, 0);
  return totals.map((v) => v / sum);
}

/** The prior transition matrix the detector builds from `stickiness`, written out independently. */
const stickyMatrix = (k: number, stickiness: number): number[][] =>
  Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? stickiness : (1 - stickiness) / (k - 1))));

/** Seeded 3-regime Markov chain with Gaussian returns. */
function regimeSwitching(seed: number, n: number): { states: number[]; returns: number[] } {
  const rng = Rng.fromSeed(seed).derive('regimes');
  const means = [-0.015, 0, 0.015];
  const sds = [0.01, 0.004, 0.008];
  const states: number[] = [];
  const returns: number[] = [];
  let s = 1;
  for (let t = 0; t < n; t++) {
    if (t > 0 && !rng.bernoulli(0.98)) s = (s + rng.int(1, 2)) % 3;
    states.push(s);
    returns.push(rng.normal(means[s]!, sds[s]!));
  }
  return { states, returns };
}

runEstimatorContract('OnlineRegimeDetector', {
  create: () => new OnlineRegimeDetector({ returnScale: 0.012, learnEvery: 5 }),
  inputs: (seed) => regimeSwitching(seed, 60).returns,
  alter: (_r, rng) => rng.normal(0, 0.05),
  step: (detector, r) => [...detector.predict(), ...detector.update(r)],
  peek: (detector) => [detector.predict(), detector.posterior(), detector.parameters(), detector.nUpdates > 0 ? detector.regime() : null],
});

describe('OnlineRegimeDetector', () => {
  it('filters and predicts exactly like brute-force enumeration over all 3^T paths (learning off)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 0.4, max: 0.99, noNaN: true }),
        (rs, stickiness) => {
          const hmm: Hmm = { means: [-0.02, 0.001, 0.015], variances: [4e-4, 1e-4, 2e-4], transition: stickyMatrix(3, stickiness) };
          const detector = new OnlineRegimeDetector({
            learnEvery: 0,
            stickiness,
            initialMeans: hmm.means,
            initialVariances: hmm.variances,
          });
          detector.predict().forEach((p) => expect(p).toBeCloseTo(1 / 3, 15));
          rs.forEach((r, t) => {
            const filtered = detector.update(r);
            const expected = bruteForceMarginal(hmm, rs.slice(0, t + 1), t + 1);
            filtered.forEach((p, s) => expect(p).toBeCloseTo(expected[s]!, 12));
            const ahead = bruteForceMarginal(hmm, rs.slice(0, t + 1), t + 2);
            detector.predict().forEach((p, s) => expect(p).toBeCloseTo(ahead[s]!, 12));
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('learns by the Normal-Gamma and Dirichlet posteriors computed from brute-force weights', () => {
    // learnEvery = 2: statistics from r₁ (forgotten once) and r₂, parameters estimated once, after r₂.
    const means = [-0.02, 0, 0.02];
    const variances = [4e-4, 1e-4, 4e-4];
    const stickiness = 0.9;
    const [f, w, tw] = [0.9, 4, 20]; // forgetting, priorWeight, transitionPriorWeight
    const rs = [0.012, 0.006];
    const hmm: Hmm = { means, variances, transition: stickyMatrix(3, stickiness) };
    const detector = new OnlineRegimeDetector({ learnEvery: 2, forgetting: f, priorWeight: w, transitionPriorWeight: tw, stickiness, initialMeans: means, initialVariances: variances });
    detector.update(rs[0]!);
    expect(detector.parameters().means).toEqual(means); // not yet learned
    detector.update(rs[1]!);

    const g1 = bruteForceMarginal(hmm, rs.slice(0, 1), 1); // P(s₁ | r₁): weights at t = 1
    const g2 = bruteForceMarginal(hmm, rs, 2); // P(s₂ | r₁, r₂): weights at t = 2
    const learned = detector.parameters();
    for (let s = 0; s < 3; s++) {
      // Murphy (2007) §3: κₙ = κ₀ + W, μₙ = (κ₀μ₀ + Wx̄)/κₙ, aₙ = a₀ + W/2, bₙ = b₀ + S/2 + κ₀W(x̄ − μ₀)²/(2κₙ), σ² = bₙ/aₙ.
      const weight = f * g1[s]! + g2[s]!;
      const xBar = (f * g1[s]! * rs[0]! + g2[s]! * rs[1]!) / weight;
      const squares = f * g1[s]! * (rs[0]! - xBar) ** 2 + g2[s]! * (rs[1]! - xBar) ** 2;
      const [kappa0, a0] = [w, w / 2];
      const b0 = a0 * variances[s]!;
      const kappaN = kappa0 + weight;
      expect(learned.means[s]).toBeCloseTo((kappa0 * means[s]! + weight * xBar) / kappaN, 14);
      const bN = b0 + squares / 2 + (kappa0 * weight * (xBar - means[s]!) ** 2) / (2 * kappaN);
      expect(learned.variances[s]! / ((bN / (a0 + weight / 2)))).toBeCloseTo(1, 12);
    }
    // Dirichlet row posterior mean with counts ξᵢⱼ = P(s₁ = i, s₂ = j | r₁, r₂) by enumeration.
    const joint = paths(3, 2).map((p) => pathProbability(hmm, p, rs));
    const total = joint.reduce((a, b) => a + b, 0);
    for (let i = 0; i < 3; i++) {
      const row = [0, 1, 2].map((j) => tw * hmm.transition[i]![j]! + joint[i * 3 + j]! / total);
      const rowSum = row.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => expect(learned.transition[i]![j]).toBeCloseTo(v / rowSum, 14));
    }
  });

  it('re-sorts the states when learned means cross, keeping labels ordered by mean', () => {
    // A wide bear state and a narrow bull state: a return of +0.5 is explained by the wide state, whose mean then
    // jumps above the bull mean; the states swap labels and the posterior follows them.
    const detector = new OnlineRegimeDetector({ nStates: 2, initialMeans: [-0.01, 0.01], initialVariances: [1, 1e-4], priorWeight: 0.1 });
    expect(detector.regimes).toEqual(['bear', 'bull']);
    const posterior = detector.update(0.5);
    const { means, variances } = detector.parameters();
    expect(means[0]).toBeLessThan(means[1]!);
    expect(means[1]).toBeGreaterThan(0.4);
    expect(variances[1]).toBeGreaterThan(variances[0]!);
    expect(posterior[1]).toBeGreaterThan(0.99);
    expect(detector.regime()).toBe('bull');
  });

  it('recovers seeded regime-switching data far better than chance', () => {
    const { states, returns } = regimeSwitching(42, 3000);
    const detector = new OnlineRegimeDetector({ returnScale: 0.012 });
    let hits = 0;
    returns.forEach((r, t) => {
      detector.update(r);
      if (detector.regime() === REGIMES[states[t]!]) hits++;
    });
    const frequencies = [0, 1, 2].map((s) => states.filter((v) => v === s).length / states.length);
    const accuracy = hits / returns.length;
    expect(accuracy).toBeGreaterThan(Math.max(...frequencies) + 0.25); // majority-class baseline + a wide margin
    expect(accuracy).toBeGreaterThan(0.9); // chance is 1/3
    const learned = detector.parameters().means; // true means −0.015, 0, 0.015
    expect(Math.abs(learned[0]! + 0.015)).toBeLessThan(0.003);
    expect(Math.abs(learned[1]!)).toBeLessThan(0.002);
    expect(Math.abs(learned[2]! - 0.015)).toBeLessThan(0.003);
  });

  it('keeps a normalised, finite posterior and finite parameters on extreme inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 3 }), (rs, learnEvery) => {
        const detector = new OnlineRegimeDetector({ returnScale: 0.01, learnEvery, forgetting: 0.9 });
        for (const r of rs) {
          const posterior = detector.update(r);
          expect(posterior.every((p) => Number.isFinite(p) && p >= 0)).toBe(true);
          expect(posterior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          expect(detector.predict().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        }
        const { means, variances, transition } = detector.parameters();
        expect([...means, ...variances, ...transition.flat()].every(Number.isFinite)).toBe(true);
        expect(variances.every((v) => v > 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
    const detector = new OnlineRegimeDetector({ returnScale: 0.01 });
    for (const r of [...new Array<number>(500).fill(0), 1e6, -1e6, 5e-324, 1.7e308, -1.7e308, 0]) {
      const posterior = detector.update(r);
      expect(posterior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(posterior.some(Number.isNaN)).toBe(false);
    }
  });

  it('throws NotWarmError from regime() before the first update', () => {
    const detector = new OnlineRegimeDetector({ returnScale: 0.01 });
    expect(() => detector.regime()).toThrow(NotWarmError);
    expect(detector.posterior()).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => new OnlineRegimeDetector()).toThrow(/returnScale: got undefined/);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01, nStates: 4 })).toThrow(/nStates: got 4, expected an integer in \[2, 3\]/);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01, stickiness: 1 })).toThrow(/stickiness: got 1/);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01, learnEvery: -1 })).toThrow(/learnEvery: got -1/);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01, forgetting: 0 })).toThrow(/forgetting: got 0/);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01, priorWeight: 0 })).toThrow(/priorWeight: got 0/);
    expect(() => new OnlineRegimeDetector({ returnScale: -0.01 })).toThrow(/returnScale: got -0.01/);
    expect(() => new OnlineRegimeDetector({ initialMeans: [0, -1, 1], initialVariances: [1, 1, 1] })).toThrow(/initialMeans/);
    expect(() => new OnlineRegimeDetector({ initialMeans: [-1, 0, 1], initialVariances: [1, 0, 1] })).toThrow(/initialVariances/);
    expect(() => new OnlineRegimeDetector({ initialMeans: [-1, 1], initialVariances: [1, 1] })).toThrow(ConfigError);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01 }).update(Number.NaN)).toThrow(ConfigError);
  });

  it('rejects unordered means and probabilities that do not sum to 1 on restore, naming the field', () => {
    const detector = new OnlineRegimeDetector({ returnScale: 0.01 });
    detector.update(0.02);
    const snapshot = detector.snapshot();
    expect(() => detector.restore({ ...snapshot, means: [0.01, 0, 0.02] })).toThrow(/field "means" is \[0.01,0,0.02\], expected ascending/);
    const transition = [snapshot.transition[0]!, [0.5, 0.4, 0], snapshot.transition[2]!];
    expect(() => detector.restore({ ...snapshot, transition })).toThrow(/field "transition.1" is \[0.5,0.4,0\], expected probabilities that sum to 1/);
    expect(() => detector.restore({ ...snapshot, filtered: [0.5, 0.5, 0.5] })).toThrow(/field "filtered"/);
    expect(() => new OnlineRegimeDetector({ returnScale: 0.01, nStates: 2 }).restore(snapshot)).toThrow(/field "nStates" is 3/);
    expect(detector.snapshot()).toStrictEqual(snapshot);
  });
});
