import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { UCB1 } from './ucb1.js';
import { describeBanditContract } from './contract.test-helper.js';

const SUCCESS = [0.1, 0.3, 0.5, 0.7, 0.9];

describeBanditContract({
  name: 'UCB1',
  nArms: 5,
  stochastic: false,
  make: () => new UCB1({ nArms: 5 }),
  reward: (arm, env) => (env.bernoulli(SUCCESS[arm]!) ? 1 : 0),
});

describe('UCB1', () => {
  it('plays unplayed arms first, lowest index first', () => {
    const bandit = new UCB1({ nArms: 4 });
    expect(bandit.select()).toEqual([0]);
    expect(bandit.select(3)).toEqual([0, 1, 2]);
    bandit.update(0, 1);
    bandit.update(2, 0);
    expect(bandit.select(2)).toEqual([1, 3]);
    expect(bandit.select(4)).toEqual([1, 3, 0, 2]);
  });

  it('computes the index x̄ᵢ + c·√(ln n / nᵢ) of Auer et al. (2002) on a hand-worked example', () => {
    const script: Array<[number, number]> = [[0, 1], [0, 0], [1, 1], [2, 0], [2, 0], [2, 1]];
    const bandit = new UCB1({ nArms: 3 });
    for (const [arm, r] of script) bandit.update(arm, r);
    // n = 6, ln 6 = 1.791759469228055; (n₀, x̄₀) = (2, 0.5), (n₁, x̄₁) = (1, 1), (n₂, x̄₂) = (3, 1/3).
    // c = √2: 0.5 + √(2·1.7917595/2) = 1.8385662; 1 + √(2·1.7917595) = 2.8930185; 1/3 + √(2·1.7917595/3) = 1.4262681
    const bounds = bandit.upperConfidenceBounds();
    expect(bounds[0]).toBeCloseTo(1.8385662, 6);
    expect(bounds[1]).toBeCloseTo(2.8930185, 6);
    expect(bounds[2]).toBeCloseTo(1.4262681, 6);
    expect(bandit.select(3)).toEqual([1, 0, 2]);
    expect(bandit.means()).toEqual([0.5, 1, 1 / 3]);

    const narrow = new UCB1({ nArms: 3, exploration: 0.5 });
    for (const [arm, r] of script) narrow.update(arm, r);
    // c = 0.5: 0.5 + 0.5·√(1.7917595/2) = 0.9732546; 1 + 0.5·√1.7917595 = 1.6692831; 1/3 + 0.5·√(1.7917595/3) = 0.7197441
    const narrowBounds = narrow.upperConfidenceBounds();
    expect(narrowBounds[0]).toBeCloseTo(0.9732546, 6);
    expect(narrowBounds[1]).toBeCloseTo(1.6692831, 6);
    expect(narrowBounds[2]).toBeCloseTo(0.7197441, 6);
  });

  it('lets the exploration bonus outweigh a higher mean for a rarely played arm', () => {
    const explore = new UCB1({ nArms: 2 });
    const greedy = new UCB1({ nArms: 2, exploration: 0 });
    for (const bandit of [explore, greedy]) {
      for (let t = 0; t < 10; t++) bandit.update(0, t < 6 ? 1 : 0); // x̄₀ = 0.6 over 10 pulls
      bandit.update(1, 0.3); // x̄₁ = 0.3 over 1 pull
    }
    // n = 11: 0.6 + √(2 ln 11 / 10) ≈ 1.2925 < 0.3 + √(2 ln 11) ≈ 2.4899, while c = 0 picks the higher mean.
    expect(explore.select()).toEqual([1]);
    expect(greedy.select()).toEqual([0]);
  });

  it('breaks ties toward the lower index', () => {
    const bandit = new UCB1({ nArms: 3 });
    for (const arm of [0, 1, 2]) bandit.update(arm, 0.5);
    expect(bandit.select(3)).toEqual([0, 1, 2]);
  });

  it('reports 0 as the mean of an arm never played', () => {
    const bandit = new UCB1({ nArms: 2 });
    bandit.update(1, 0.25);
    expect(bandit.means()).toEqual([0, 0.25]);
    expect(bandit.upperConfidenceBounds()[0]).toBe(Infinity);
  });

  it('rejects a negative or non-finite exploration constant', () => {
    expect(() => new UCB1({ nArms: 2, exploration: -1 })).toThrow(/Invalid exploration: got -1/);
    expect(() => new UCB1({ nArms: 2, exploration: Number.NaN })).toThrow(ConfigError);
    expect(() => new UCB1({ nArms: 0 })).toThrow(/Invalid nArms/);
  });
});
