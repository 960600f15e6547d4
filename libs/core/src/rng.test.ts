import { describe, expect, it } from 'vitest';
import { mean, sampleVariance } from 'simple-statistics';
import { Rng } from './rng.js';
import { ConfigError, StateError } from './errors.js';

const draws = (n: number, f: () => number) => Array.from({ length: n }, f);

describe('Rng', () => {
  it('reproduces a stream from the same seed and differs across seeds', () => {
    const a = draws(5, ((r) => () => r.float())(Rng.fromSeed(7)));
    const b = draws(5, ((r) => () => r.float())(Rng.fromSeed(7)));
    const c = draws(5, ((r) => () => r.float())(Rng.fromSeed(8)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('derives streams that depend on the label, not on parent consumption', () => {
    const p1 = Rng.fromSeed(1);
    const p2 = Rng.fromSeed(1);
    draws(100, () => p2.float());
    expect(p1.derive('x').float()).toBe(p2.derive('x').float());
    expect(p1.derive('x').float()).not.toBe(p1.derive('y').float());
    expect(p1.derive('a').derive('b').path).toBe('a/b');
  });

  it('continues identically after snapshot and restore (including the cached normal)', () => {
    const r = Rng.fromSeed(3);
    r.normal();
    const state = JSON.parse(JSON.stringify(r.snapshot()));
    const copy = Rng.restore(state);
    expect(draws(10, () => copy.normal())).toEqual(draws(10, () => r.normal()));
  });

  it('rejects a bad seed and a malformed state with typed errors', () => {
    expect(() => Rng.fromSeed(1.5)).toThrow(ConfigError);
    expect(() => Rng.restore({ seed: 1, path: '', generator: [1], spareNormal: null })).toThrow(StateError);
  });

  // Reference moments: Normal(m, s²); Gamma(k, θ) mean kθ, variance kθ²; Beta(a, b) mean a/(a+b),
  // variance ab/((a+b)²(a+b+1)) (any probability textbook, e.g. Casella & Berger, Table of distributions).
  it.each([
    ['normal(2, 3)', (r: Rng) => r.normal(2, 3), 2, 9],
    ['gamma(0.5, 2)', (r: Rng) => r.gamma(0.5, 2), 1, 2],
    ['gamma(4, 1.5)', (r: Rng) => r.gamma(4, 1.5), 6, 9],
    ['beta(2, 5)', (r: Rng) => r.beta(2, 5), 2 / 7, 10 / (49 * 8)],
    ['float()', (r: Rng) => r.float(), 0.5, 1 / 12],
  ])('%s matches its mean and variance', (_name, draw, m, v) => {
    const r = Rng.fromSeed(11);
    const xs = draws(200_000, () => draw(r));
    expect(mean(xs)).toBeCloseTo(m, 1);
    expect(Math.abs(sampleVariance(xs) - v) / v).toBeLessThan(0.03);
  });

  it('int() covers [min, max] inclusively and uniformly', () => {
    const r = Rng.fromSeed(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(0, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('rejects non-positive gamma shapes', () => {
    expect(() => Rng.fromSeed(1).gamma(0)).toThrow(ConfigError);
  });
});
