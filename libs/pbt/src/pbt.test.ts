import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { InlineExecutor } from './inline-executor.js';
import type { LineageRecord } from './lineage.js';
import { PopulationBasedTraining } from './pbt.js';
import type { PopulationBasedTrainingOptions } from './options.js';
import type { Trainable, TrainableModule, TrainExecutor, TrainJob, TrainResult } from './trainable.js';
import { RecordingExecutor } from './testing/fixtures.js';
import * as quadratic from './testing/quadratic-trainable.js';
import { quadraticSpace } from './testing/quadratic-trainable.js';

type Exploit = Extract<LineageRecord, { kind: 'exploit' }>;
const exploits = (records: readonly LineageRecord[]) => records.filter((r): r is Exploit => r.kind === 'exploit');

function options(overrides: Partial<PopulationBasedTrainingOptions> = {}): PopulationBasedTrainingOptions {
  return { population: 8, hyperparameterSpace: quadraticSpace, perturbationInterval: 4, seed: 7, executor: new InlineExecutor(quadratic), ...overrides };
}

describe('PopulationBasedTraining constructor', () => {
  it('rejects bad settings, quoting the value', () => {
    const cases: Array<[Partial<PopulationBasedTrainingOptions>, RegExp]> = [
      [{ quantileFraction: 0.6 }, /Invalid quantileFraction: got 0\.6, expected a fraction in \[0, 0\.5\]/],
      [{ perturbationInterval: 0 }, /Invalid perturbationInterval: got 0, expected a positive integer/],
      [{ population: 1 }, /Invalid population: got 1, expected an integer ≥ 2/],
      [{ burnIn: -3 }, /Invalid burnIn: got -3/],
      [{ resampleProbability: 2 }, /Invalid resampleProbability: got 2/],
      [{ perturbationFactors: [0] }, /Invalid perturbationFactors: got \[0\]/],
      [{ mode: 'sometimes' as never }, /Invalid mode: got "sometimes"/],
      [{ population: [{ lr: 0.1, batch: 4, noise: 0 }, { lr: 9, batch: 4, noise: 0 }] }, /Invalid population\[1\]\.lr: got 9/],
    ];
    for (const [override, message] of cases) {
      expect(() => new PopulationBasedTraining(options(override))).toThrow(ConfigError);
      expect(() => new PopulationBasedTraining(options(override))).toThrow(message);
    }
  });
});

describe('PopulationBasedTraining, synchronous', () => {
  it('is seeded: the same seed gives the same schedule and population, another seed another', async () => {
    const a = await new PopulationBasedTraining(options()).run({ generations: 5 });
    const b = await new PopulationBasedTraining(options()).run({ generations: 5 });
    const c = await new PopulationBasedTraining(options({ seed: 8 })).run({ generations: 5 });
    expect(b.lineage).toEqual(a.lineage);
    expect(b.members).toEqual(a.members);
    expect(exploits(a.lineage).length).toBeGreaterThan(0);
    expect(c.lineage).not.toEqual(a.lineage);
  });

  it('has the bottom quantile copy a top member’s state and explored hyperparameters, generation by generation', async () => {
    const executor = new RecordingExecutor(new InlineExecutor(quadratic));
    const results: TrainResult[][] = [];
    const inner = executor.train.bind(executor);
    executor.train = async (jobs) => {
      const r = await inner(jobs);
      results.push(structuredClone(r));
      return r;
    };
    const { lineage } = await new PopulationBasedTraining(options({ executor })).run({ generations: 4 });
    for (let generation = 1; generation < 4; generation++) {
      const decisions = lineage.filter((r) => r.generation === generation && r.kind !== 'init' && r.kind !== 'final');
      expect(decisions).toHaveLength(8); // one decision per member per generation
      // Independent ranking from the scores of that generation's results: ceil(8 · 0.25) = 2 at each end.
      const scores = results[generation - 1]!.map((r) => r.score);
      const byScore = [...scores.keys()].sort((x, y) => scores[x]! - scores[y]!);
      const done = exploits(decisions);
      expect(done.map((r) => r.memberId).sort()).toEqual(byScore.slice(0, 2).sort());
      for (const record of done) {
        expect(byScore.slice(-2)).toContain(record.donorId);
        // Next generation's job for the member starts from the donor's state with the explored hyperparameters.
        const nextJob = executor.batches[generation]![record.memberId]!;
        expect(nextJob.state).toEqual(results[generation - 1]![record.donorId]!.state);
        expect(nextJob.hyperparameters).toEqual(record.newHyperparameters);
        expect(record.donorHyperparameters).toEqual(executor.batches[generation - 1]![record.donorId]!.hyperparameters);
        expect(record.oldHyperparameters).toEqual(executor.batches[generation - 1]![record.memberId]!.hyperparameters);
        for (const [key, op] of Object.entries(record.operations)) expect(op.to).toEqual(record.newHyperparameters[key]);
      }
    }
  });

  it('makes no decision while a member is in burn-in', async () => {
    const { lineage } = await new PopulationBasedTraining(options({ burnIn: 12 })).run({ generations: 5 });
    // Interval 4: decisions at steps 4 and 8 are burn-in, at 12 and 16 exploit.
    for (const r of lineage.filter((x) => x.kind !== 'init' && x.kind !== 'final')) {
      if (r.step < 12) expect(r).toMatchObject({ kind: 'continue', quantile: 'burn-in' });
    }
    expect(exploits(lineage).every((r) => r.step >= 12)).toBe(true);
    expect(exploits(lineage).length).toBeGreaterThan(0);
  });

  it('ends with a final record per member, the trained population and its best member', async () => {
    const result = await new PopulationBasedTraining(options()).run({ totalSteps: 18 });
    // 18 steps at interval 4: 4 full intervals and a last one of 2 steps.
    expect(result.members.every((m) => m.step === 18 && m.generation === 5)).toBe(true);
    const finals = result.lineage.filter((r) => r.kind === 'final');
    expect(finals).toHaveLength(8);
    const best = Math.max(...result.members.map((m) => m.lastScore!));
    expect(result.best.lastScore).toBe(best);
    expect(result.lineage.map((r) => r.sequence)).toEqual(result.lineage.map((_, i) => i));
  });

  it('improves on the same population trained without exploit (quantileFraction 0)', async () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pbt = await new PopulationBasedTraining(options({ seed: 3 })).run({ generations: 8 });
    const alone = await new PopulationBasedTraining(options({ seed: 3, quantileFraction: 0 })).run({ generations: 8 });
    expect(exploits(alone.lineage)).toHaveLength(0);
    expect(mean(pbt.members.map((m) => m.lastScore!))).toBeGreaterThan(mean(alone.members.map((m) => m.lastScore!)));
  });

  it('ranks by a custom score function and by goal minimize', async () => {
    // Custom score: the learning rate itself; minimizing it should drive the population towards small lr.
    const custom = await new PopulationBasedTraining(options({ goal: 'minimize', score: ({ hyperparameters }) => hyperparameters['lr'] as number })).run({ generations: 6 });
    for (const r of exploits(custom.lineage)) {
      expect(r.donorScore).toBe(r.donorHyperparameters['lr']);
      expect(r.donorScore).toBeLessThan(r.score); // a donor has a better (smaller) score
    }
    for (const m of custom.members) expect(m.lastScore).toBe(m.hyperparameters['lr']);
    expect(() => new PopulationBasedTraining(options({ goal: 'most' as never }))).toThrow(/Invalid goal: got "most"/);
  });

  it('has no lookahead: changing what training does after step T changes no decision up to T', async () => {
    // Same trainable, except that after step 12 the "future" scores are scrambled.
    const scrambled: TrainableModule = {
      async createTrainable(hyperparameters, context) {
        const inner = await quadratic.createTrainable(hyperparameters, context);
        let steps = 0;
        return {
          async train(n: number) {
            const outcome = await inner.train(n);
            steps = ((inner.snapshot() as { steps: number }).steps);
            return steps > 12 ? { score: Math.cos(steps * (hyperparameters['lr'] as number) * 1e3) } : outcome;
          },
          snapshot: () => inner.snapshot(),
          restore: (state) => inner.restore(state),
        };
      },
    };
    const honest = await new PopulationBasedTraining(options()).run({ generations: 6 });
    const altered = await new PopulationBasedTraining(options({ executor: new InlineExecutor(scrambled) })).run({ generations: 6 });
    const upTo = (records: readonly LineageRecord[], step: number) => records.filter((r) => r.kind !== 'final' && r.step <= step);
    expect(upTo(altered.lineage, 12)).toEqual(upTo(honest.lineage, 12));
    expect(upTo(altered.lineage, 12).filter((r) => r.kind === 'exploit').length).toBeGreaterThan(0);
    expect(altered.lineage).not.toEqual(honest.lineage); // the later decisions did see the change
  });

  it('never copies a top member that has no state yet, and logs a skipped exploit when no top member has one (Ray #27170)', async () => {
    // Scores are fixed by the member's `rank` (outside the explored space); member 3, the best, never has a state.
    const ranked: TrainableModule = {
      createTrainable(hyperparameters, { memberId }): Trainable {
        return { train: () => ({ score: hyperparameters['rank'] as number }), snapshot: () => (memberId === 3 ? null : { memberId }), restore: () => undefined };
      },
    };
    const population = [0, 1, 2, 3].map((rank) => ({ lr: 0.01, batch: 4, noise: 0, rank }));
    const half = await new PopulationBasedTraining({ ...options({ population, executor: new InlineExecutor(ranked) }), quantileFraction: 0.5 }).run({ generations: 4 });
    expect(exploits(half.lineage).length).toBeGreaterThan(0);
    expect(exploits(half.lineage).every((r) => r.donorId !== 3)).toBe(true);
    const quarter = await new PopulationBasedTraining({ ...options({ population, executor: new InlineExecutor(ranked) }), quantileFraction: 0.25 }).run({ generations: 3 });
    const skipped = quarter.lineage.filter((r) => r.kind === 'exploit-skipped');
    expect(exploits(quarter.lineage)).toHaveLength(0);
    expect(skipped).toHaveLength(2); // member 0 at generations 1 and 2
    expect(skipped[0]).toMatchObject({ memberId: 0, reason: 'no top-quantile member (3) has a state to copy yet' });
  });
});

/**
 * An inline executor whose jobs take (memberId + 1) × 2 event-loop turns (setImmediate is FIFO, so the order is
 * the same however loaded the machine is): members reach their boundaries at different times.
 */
class StaggeredExecutor implements TrainExecutor {
  private readonly inner = new InlineExecutor(quadratic);
  async train(jobs: readonly TrainJob[]): Promise<TrainResult[]> {
    for (let i = 0; i < (jobs[0]!.memberId + 1) * 2; i++) await new Promise((resolve) => setImmediate(resolve));
    return this.inner.train(jobs);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('PopulationBasedTraining, asynchronous', () => {
  it('decides for each member as soon as it reaches a boundary, against the others’ latest scores', async () => {
    const result = await new PopulationBasedTraining(options({ mode: 'asynchronous', population: 4, quantileFraction: 0.25, executor: new StaggeredExecutor() })).run({ generations: 6 });
    const lineage = result.lineage;
    // Member 0 (fastest) is decided several times before member 3 (slowest) has its first decision.
    const firstOf3 = lineage.findIndex((r) => r.memberId === 3 && r.kind !== 'init');
    expect(lineage.slice(0, firstOf3).filter((r) => r.memberId === 0 && r.kind !== 'init').length).toBeGreaterThanOrEqual(2);
    // Each exploit's donor score is that donor's latest score when the decision was made.
    for (const r of exploits(lineage)) {
      const donorBefore = lineage.slice(0, r.sequence).filter((x) => x.memberId === r.donorId && x.kind !== 'init' && x.kind !== 'final');
      expect(donorBefore.at(-1)).toMatchObject({ score: r.donorScore, step: r.donorStep });
      expect(r.donorScore).toBeGreaterThan(r.score);
    }
    expect(exploits(lineage).length).toBeGreaterThan(0);
    expect(result.members.every((m) => m.step === 24)).toBe(true);
    expect(lineage.filter((r) => r.kind === 'final')).toHaveLength(4);
  });

  it('is reproducible with a deterministic executor', async () => {
    const a = await new PopulationBasedTraining(options({ mode: 'asynchronous' })).run({ generations: 4 });
    const b = await new PopulationBasedTraining(options({ mode: 'asynchronous' })).run({ generations: 4 });
    expect(b.lineage).toEqual(a.lineage);
    expect(exploits(a.lineage).length).toBeGreaterThan(0);
  });

  it('lets the other jobs settle and then throws the failing job’s error', async () => {
    const failing: TrainableModule = {
      createTrainable: (_h, { memberId }) => ({
        train: () => {
          if (memberId === 2) throw new Error('member 2 diverged');
          return { score: 1 };
        },
        snapshot: () => null,
        restore: () => undefined,
      }),
    };
    await expect(new PopulationBasedTraining(options({ mode: 'asynchronous', executor: new InlineExecutor(failing) })).run({ generations: 2 })).rejects.toThrow('member 2 diverged');
  });
});
