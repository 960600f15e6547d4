// The contract every Bandit must honour, run by each implementation's test file (river's estimator checks,
// trading-signals' testIndicatorContract). Not exported from the package.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import type { Bandit } from './types.js';

/** How to build and feed one bandit implementation. */
export interface BanditContractSubject<S> {
  readonly name: string;
  readonly nArms: number;
  /** A fresh bandit; stochastic ones draw from `Rng.fromSeed(seed)`. */
  make(seed: number): Bandit<S>;
  /** The environment: a realized reward for `arm`, drawn from `env`. */
  reward(arm: number, env: Rng): number;
  /** False for deterministic policies (UCB1): then different seeds may select alike. */
  readonly stochastic: boolean;
}

/** Plays `steps` rounds of select(k) then one update per selected arm; returns every selection. */
function play<S>(bandit: Bandit<S>, subject: BanditContractSubject<S>, env: Rng, steps: number, k: number): number[][] {
  const selections: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const arms = bandit.select(k);
    selections.push(arms);
    for (const arm of arms) bandit.update(arm, subject.reward(arm, env));
  }
  return selections;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Registers the contract tests for one implementation. */
export function describeBanditContract<S>(subject: BanditContractSubject<S>): void {
  const k = Math.min(3, subject.nArms);

  describe(`${subject.name} honours the Bandit contract`, () => {
    it('gives the same selections for the same seed', () => {
      const a = play(subject.make(11), subject, Rng.fromSeed(1), 150, k);
      const b = play(subject.make(11), subject, Rng.fromSeed(1), 150, k);
      expect(a).toEqual(b);
      if (subject.stochastic) {
        const c = play(subject.make(12), subject, Rng.fromSeed(1), 150, k);
        expect(c).not.toEqual(a);
      }
    });

    it('continues identically after snapshot → JSON → restore into another instance', () => {
      const original = subject.make(21);
      play(original, subject, Rng.fromSeed(2), 60, k);
      const state = clone(original.snapshot());
      const copy = subject.make(999);
      play(copy, subject, Rng.fromSeed(3), 25, k); // dirty it first: restore must replace everything
      copy.restore(state);
      expect(copy.means()).toEqual(original.means());
      expect(play(copy, subject, Rng.fromSeed(4), 80, k)).toEqual(play(original, subject, Rng.fromSeed(4), 80, k));
      expect(copy.snapshot()).toEqual(original.snapshot());
    });

    it('never selects an arm twice, and only arms in range', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: subject.nArms }), fc.integer({ min: 0, max: 40 }), (seed, kk, warmup) => {
          const bandit = subject.make(seed);
          play(bandit, subject, Rng.fromSeed(seed + 1), warmup, 1);
          const arms = bandit.select(kk);
          expect(arms).toHaveLength(kk);
          expect(new Set(arms).size).toBe(kk);
          for (const arm of arms) expect(Number.isInteger(arm) && arm >= 0 && arm < subject.nArms).toBe(true);
        }),
        { numRuns: 60 },
      );
    });

    it('does not mutate caller inputs nor alias its outputs', () => {
      const bandit = subject.make(31);
      play(bandit, subject, Rng.fromSeed(5), 30, k);
      const state = bandit.snapshot();
      const frozen = clone(state);
      const other = subject.make(32);
      other.restore(state);
      expect(state).toEqual(frozen); // restore read, did not write
      const otherBefore = other.snapshot();

      const before = bandit.snapshot();
      const outputs = [bandit.means(), bandit.select(k)];
      for (const output of outputs) output.fill(-1);
      for (const value of Object.values(state as Record<string, unknown>)) if (Array.isArray(value)) value.fill(0);
      // select consumed randomness, so compare posteriors / counts only, not the rng stream.
      const { rng: _rngAfter, ...after } = bandit.snapshot() as Record<string, unknown>;
      const { rng: _rngBefore, ...expected } = before as Record<string, unknown>;
      expect(after).toEqual(expected);
      expect(other.snapshot()).toEqual(otherBefore); // restore copied the arrays, it kept no reference
    });

    it('decides its first rounds the same whatever rewards come later (no lookahead)', () => {
      const prefix = 40;
      const run = (laterScale: number): number[][] => {
        const bandit = subject.make(41);
        const env = Rng.fromSeed(6);
        const picks: number[][] = [];
        for (let t = 0; t < prefix + 40; t++) {
          const arms = bandit.select(k);
          picks.push(arms);
          for (const arm of arms) {
            const r = subject.reward(arm, env);
            bandit.update(arm, t < prefix ? r : r * laterScale);
          }
        }
        return picks.slice(0, prefix + 1);
      };
      expect(run(1)).toEqual(run(0));
    });

    it('rejects malformed snapshots with StateError and keeps its state', () => {
      const bandit = subject.make(51);
      play(bandit, subject, Rng.fromSeed(7), 20, k);
      const valid = clone(bandit.snapshot()) as Record<string, unknown>;
      // Each malformed snapshot with the field its error message must name ('' when there is no single field).
      const bad: [unknown, string][] = [[null, ''], [42, ''], ['state', ''], [[], ''], [{}, ''], [{ ...valid, kind: 'something-else' }, 'kind'], [{ ...valid, nArms: subject.nArms + 1 }, 'nArms']];
      for (const [key, value] of Object.entries(valid)) {
        const { [key]: _dropped, ...without } = valid;
        bad.push([without, key]);
        if (Array.isArray(value)) {
          bad.push([{ ...valid, [key]: value.slice(1) }, key]);
          bad.push([{ ...valid, [key]: [...value.slice(1), 'x'] }, key]);
          bad.push([{ ...valid, [key]: [...value.slice(1), null] }, key]); // how JSON writes NaN
        } else if (typeof value === 'number') {
          bad.push([{ ...valid, [key]: 'x' }, key]);
          bad.push([{ ...valid, [key]: null }, key]);
        } else if (typeof value === 'object' && value !== null) {
          bad.push([{ ...valid, [key]: { junk: true } }, key]);
        }
      }
      const before = bandit.snapshot();
      for (const [state, field] of bad) {
        expect(() => bandit.restore(state as S), JSON.stringify(state)).toThrow(StateError);
        expect(() => bandit.restore(state as S), JSON.stringify(state)).toThrow(field === '' ? /Cannot restore/ : `field "${field}`);
      }
      expect(bandit.snapshot()).toEqual(before);
    });

    it('rejects a bad k, arm or reward with a ConfigError naming the value', () => {
      const bandit = subject.make(61);
      for (const badK of [0, subject.nArms + 1, 1.5, Number.NaN]) {
        expect(() => bandit.select(badK)).toThrow(ConfigError);
        expect(() => bandit.select(badK)).toThrow(new RegExp(`got ${String(JSON.stringify(badK))}`));
      }
      for (const badArm of [-1, subject.nArms, 0.5]) {
        expect(() => bandit.update(badArm, subject.reward(0, Rng.fromSeed(1)))).toThrow(/Invalid arm: got/);
      }
      for (const badReward of [Number.NaN, Infinity, -Infinity]) {
        expect(() => bandit.update(0, badReward)).toThrow(ConfigError);
      }
    });
  });
}
