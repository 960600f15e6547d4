import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { InlineExecutor } from './inline-executor.js';
import { PopulationBasedTraining } from './pbt.js';
import { ThreadExecutor, threadWorkerExecArgv, threadWorkerFilename } from './thread-executor.js';
import type { TrainJob } from './trainable.js';
import * as quadratic from './testing/quadratic-trainable.js';
import { quadraticModuleUrl, quadraticSpace } from './testing/quadratic-trainable.js';

const jobs: TrainJob[] = [0, 1, 2, 3].map((memberId) => ({
  memberId,
  hyperparameters: { lr: 0.05 * (memberId + 1), batch: 4, noise: 0.2 },
  state: null,
  steps: 7,
  step: 0,
  seed: 100 + memberId,
  generation: 0,
}));

describe('threadWorkerFilename / threadWorkerExecArgv', () => {
  it('picks the tsx loader next to sources and thread-worker.js next to a build', () => {
    expect(threadWorkerFilename('file:///r/libs/pbt/src/thread-executor.ts')).toBe('file:///r/libs/pbt/src/thread-worker-source.mjs');
    expect(threadWorkerFilename('file:///r/libs/pbt/dist/index.js')).toBe('file:///r/libs/pbt/dist/thread-worker.js');
  });
  it('adds the source condition once, for the sources worker only', () => {
    expect(threadWorkerExecArgv(['--import', 'tsx'], 'file:///r/src/thread-worker-source.mjs')).toEqual(['--import', 'tsx', '--conditions=@trading-ml/source']);
    expect(threadWorkerExecArgv(['-C', '@trading-ml/source'], 'file:///r/src/thread-worker-source.mjs')).toEqual(['-C', '@trading-ml/source']);
    expect(threadWorkerExecArgv([], 'file:///r/dist/thread-worker.js')).toEqual([]);
  });
});

describe('ThreadExecutor (real worker threads, TypeScript trainable module)', () => {
  const executor = new ThreadExecutor({ trainableModule: quadraticModuleUrl, threads: 2 });
  afterAll(() => executor.close());

  it('gives exactly InlineExecutor’s results, in job order', async () => {
    const threaded = await executor.train(jobs);
    const inline = await new InlineExecutor(quadratic).train(jobs);
    expect(threaded).toEqual(inline);
    expect(threaded.map((r) => r.memberId)).toEqual([0, 1, 2, 3]);
  });

  it('runs a whole PBT schedule identically to the inline executor', async () => {
    const settings = { population: 4, hyperparameterSpace: quadraticSpace, perturbationInterval: 3, seed: 31 } as const;
    const threaded = await new PopulationBasedTraining({ ...settings, executor }).run({ generations: 4 });
    const inline = await new PopulationBasedTraining({ ...settings, executor: new InlineExecutor(quadratic) }).run({ generations: 4 });
    expect(threaded.lineage).toEqual(inline.lineage);
    expect(threaded.members).toEqual(inline.members);
  });

  it('reports a module without createTrainable, and a trainable’s own error', async () => {
    const bad = new ThreadExecutor({ trainableModule: new URL('./quantiles.ts', import.meta.url).href, threads: 1 });
    try {
      await expect(bad.train(jobs.slice(0, 1))).rejects.toThrow(/quantiles\.ts: it exports no createTrainable/);
    } finally {
      await bad.close();
    }
    await expect(executor.train([{ ...jobs[0]!, state: { theta: 'nope' } }])).rejects.toThrow();
    expect(() => new ThreadExecutor({ trainableModule: quadraticModuleUrl, threads: 0 })).toThrow(ConfigError);
  });
});
