// Throughput of one PopAgent decision on 14 arms: select(3) then 3 updates. Run by the repo's `npm run bench`.
import { Rng } from '@trading-ml/core';
import { BetaBernoulliThompson, GaussianThompson } from '@trading-ml/bandits';
import type { Bandit } from '@trading-ml/bandits';

const N_ARMS = 14;
const K = 3;
const MIN_SECONDS = 0.5;
const BATCH = 1000;

/** Decisions (select(K) + K updates) per second, measured over at least MIN_SECONDS after a short warm-up. */
function decisionsPerSecond(bandit: Bandit, rewards: Float64Array): number {
  let cursor = 0;
  const decide = (): void => {
    const arms = bandit.select(K);
    for (let j = 0; j < K; j++) {
      const arm = arms[j]!;
      bandit.update(arm, rewards[(cursor + arm) & (rewards.length - 1)]!);
      cursor = (cursor + 7) & (rewards.length - 1);
    }
  };
  const warmUntil = performance.now() + 100;
  while (performance.now() < warmUntil) for (let i = 0; i < BATCH; i++) decide();
  const start = performance.now();
  let decisions = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < BATCH; i++) decide();
    decisions += BATCH;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < MIN_SECONDS);
  return decisions / elapsed;
}

/** Precomputed rewards (a power-of-two table) so the benchmark times the bandit, not the reward draws. */
function rewardTable(draw: (rng: Rng) => number): Float64Array {
  const rng = Rng.fromSeed(7);
  return Float64Array.from({ length: 4096 }, () => draw(rng));
}

/** Runs the bandit benchmarks; each figure is decisions per second (select(3) + 3 updates, 14 arms). */
export function run(): Array<{ name: string; value: number; unit: string }> {
  const unit = 'decisions/s (select(3) + 3 updates, 14 arms)';
  const bernoulli = rewardTable((rng) => (rng.bernoulli(0.5) ? 1 : 0));
  const returns = rewardTable((rng) => rng.normal(0, 0.01));
  const cases: Array<[string, () => Bandit, Float64Array]> = [
    ['BetaBernoulliThompson', () => new BetaBernoulliThompson({ nArms: N_ARMS, rng: Rng.fromSeed(1) }), bernoulli],
    ['BetaBernoulliThompson γ=0.95', () => new BetaBernoulliThompson({ nArms: N_ARMS, rng: Rng.fromSeed(1), discount: 0.95 }), bernoulli],
    ['GaussianThompson', () => new GaussianThompson({ nArms: N_ARMS, rng: Rng.fromSeed(1), priorRate: 1e-4 }), returns],
    ['GaussianThompson γ=0.95', () => new GaussianThompson({ nArms: N_ARMS, rng: Rng.fromSeed(1), priorRate: 1e-4, discount: 0.95 }), returns],
  ];
  return cases.map(([name, make, rewards]) => ({ name: `bandits/${name}`, value: Math.round(decisionsPerSecond(make(), rewards)), unit }));
}
