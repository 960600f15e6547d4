import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import type { PopAgentInput } from '@trading-ml/popagent';
import { createRunPool, dispatchOrder, workerExecArgv, workerFilename } from './run-pool.js';

/** A run input that only carries what dispatchOrder looks at: condition C gets `headlines` news items. */
function input(condition: 'A' | 'C', headlines: number): PopAgentInput {
  const news = Array.from({ length: headlines }, (_, i) => ({ time: i, symbol: 'ETH', source: 's', headline: `h${i}`, url: 'u' }));
  return {
    symbol: 'ETH/USDT',
    timeframe: '4h',
    bars: [],
    ...(condition === 'C' ? { news } : {}),
    start: 0,
    end: 1,
    condition,
    seed: 1,
    periodsPerYear: 2190,
  };
}

describe('workerFilename', () => {
  it('picks the sources loader next to a TypeScript module and run-worker.js next to a built one', () => {
    expect(workerFilename('file:///repo/apps/popagent-cli/src/run-pool.ts')).toBe('file:///repo/apps/popagent-cli/src/run-worker-source.mjs');
    expect(workerFilename('file:///repo/apps/popagent-cli/dist/main.js')).toBe('file:///repo/apps/popagent-cli/dist/run-worker.js');
    expect(workerFilename('file:///repo/apps/popagent-cli/dist/chunk-ABC123.js')).toBe('file:///repo/apps/popagent-cli/dist/run-worker.js');
  });
});

describe('workerExecArgv', () => {
  const tsxArgv = ['--require', '/r/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///r/node_modules/tsx/dist/loader.mjs'];

  it('keeps the tsx hooks and adds the source condition for a TypeScript worker when it is missing', () => {
    expect(workerExecArgv(tsxArgv, 'file:///r/src/run-worker-source.mjs')).toEqual([...tsxArgv, '--conditions=@trading-ml/source']);
  });

  it('does not add the source condition twice, in any of node’s spellings', () => {
    for (const given of [['--conditions=@trading-ml/source'], ['--conditions', '@trading-ml/source'], ['-C', '@trading-ml/source'], ['-C=@trading-ml/source']]) {
      expect(workerExecArgv([...given, '--import', 'tsx'], 'file:///r/src/run-worker-source.mjs')).toEqual([...given, '--import', 'tsx']);
    }
  });

  it('leaves the flags of a built (.js) worker alone, and never changes its input', () => {
    const argv = ['--enable-source-maps'];
    expect(workerExecArgv(argv, 'file:///r/dist/run-worker.js')).toEqual(['--enable-source-maps']);
    workerExecArgv(argv, 'file:///r/src/run-worker-source.mjs');
    expect(argv).toEqual(['--enable-source-maps']);
  });
});

describe('dispatchOrder', () => {
  it('hands out the runs that read news first, most headlines first, then the others in input order', () => {
    const inputs = [input('A', 0), input('A', 0), input('C', 2), input('C', 5), input('A', 0), input('C', 2)];
    expect(dispatchOrder(inputs)).toEqual([3, 2, 5, 0, 1, 4]);
  });

  it('is a permutation of the indices', () => {
    const inputs = [input('C', 1), input('A', 0), input('C', 3)];
    expect([...dispatchOrder(inputs)].sort()).toEqual([0, 1, 2]);
    expect(dispatchOrder([])).toEqual([]);
  });
});

/** A small valid run: 80 synthetic 4h bars (a smooth wave), decisions from bar 40 on, 2 agents. */
function validInput(): PopAgentInput {
  const hour = 3_600_000;
  const bars = Array.from({ length: 80 }, (_, i) => {
    const close = 100 * (1 + 0.05 * Math.sin(i / 5));
    const open = 100 * (1 + 0.05 * Math.sin((i - 1) / 5));
    return { openTime: i * 4 * hour, closeTime: (i + 1) * 4 * hour, open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: 10 };
  });
  return { symbol: 'ETH/USDT', timeframe: '4h', bars, start: bars[40]!.closeTime, end: bars[79]!.closeTime, condition: 'A', seed: 3, periodsPerYear: 2190, config: { population: 2 } };
}

describe('createRunPool (real worker threads)', () => {
  it('rejects with the typed error the run throws in-process (a ConfigError stays a ConfigError)', async () => {
    const pool = createRunPool(2);
    try {
      // runPopAgent rejects an empty symbol while validating its input.
      const failure = await pool.run([validInput(), { ...validInput(), symbol: '' }], () => undefined).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).parameter).toBe('symbol');
    } finally {
      await pool.destroy();
    }
  }, 60_000);

  it('rejects, instead of waiting forever, when the worker module cannot load', async () => {
    // The run is valid, so running it again in-process succeeds and the worker's own error is reported.
    const folder = mkdtempSync(join(tmpdir(), 'popagent-bad-worker-'));
    writeFileSync(join(folder, 'run-worker-source.mjs'), "throw new Error('no worker here');\n");
    const pool = createRunPool(2, pathToFileURL(join(folder, 'run-pool.ts')).href);
    try {
      await expect(pool.run([validInput()], () => undefined)).rejects.toThrow(/(a worker thread failed|run A ETH\/USDT failed in a worker thread) .*no worker here/);
    } finally {
      await pool.destroy();
    }
  }, 60_000);
});
