import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateError } from '@trading-ml/core';
import { InlineExecutor } from './inline-executor.js';
import { runTrainJob } from './trainable.js';
import type { TrainJob, TrainableModule } from './trainable.js';
import * as quadratic from './testing/quadratic-trainable.js';

const job = (overrides: Partial<TrainJob> = {}): TrainJob => ({
  memberId: 0,
  hyperparameters: { lr: 0.1, batch: 2, noise: 0.2 },
  state: null,
  steps: 5,
  step: 0,
  seed: 3,
  generation: 0,
  ...overrides,
});

describe('runTrainJob', () => {
  it('splitting a job at any point through snapshot/restore gives the unsplit result (what copies, resumes and replays rely on)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), async (a, b) => {
        const whole = await runTrainJob(quadratic, job({ steps: a + b }));
        const first = await runTrainJob(quadratic, job({ steps: a }));
        const second = await runTrainJob(quadratic, job({ steps: b, state: first.state, step: first.step }));
        expect(second).toEqual(whole);
      }),
      { numRuns: 30 },
    );
  });

  it('counts steps and rejects a non-finite score', async () => {
    expect((await runTrainJob(quadratic, job({ step: 10, steps: 4 }))).step).toBe(14);
    const nan: TrainableModule = { createTrainable: () => ({ train: () => ({ score: Number.NaN }), snapshot: () => null, restore: () => undefined }) };
    await expect(runTrainJob(nan, job())).rejects.toThrow(StateError);
    await expect(runTrainJob(nan, job({ memberId: 4 }))).rejects.toThrow(/member 4's train result: score is NaN, expected a finite number/);
  });
});

describe('InlineExecutor', () => {
  it('never mutates its jobs and hands back results that share nothing with them', async () => {
    const jobs = [job(), job({ memberId: 1, seed: 9 })];
    const first = await new InlineExecutor(quadratic).train(jobs);
    const copy = structuredClone(jobs);
    const again = await new InlineExecutor(quadratic).train(jobs);
    expect(jobs).toEqual(copy);
    expect(again).toEqual(first);
    const continued = job({ state: first[0]!.state, step: 5 });
    const before = structuredClone(continued);
    const [next] = await new InlineExecutor(quadratic).train([continued]);
    (next!.state as { theta: number[] }).theta[0] = 123;
    expect(continued).toEqual(before);
  });
});
