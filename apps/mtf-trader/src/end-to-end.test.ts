import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@trading-ml/core';
import { initBackend } from '@trading-ml/cnn-rl';
import { DEFAULT_DATA_DIR, runCli } from './cli.js';
import { loadConfigFile } from './config.js';
import { loadModels } from './models.js';
import { parseRunOptions } from './options.js';
import { runTrading } from './trade.js';

// Small models on short windows of the real bundled data: seconds, not minutes.
const folder = mkdtempSync(join(tmpdir(), 'mtf-e2e-'));
const configFile = join(folder, 'tiny.yaml');
writeFileSync(
  configFile,
  `decisionTimeframe: 1h
timeframes: [5m, 15m, 1h, 4h]
train: { start: '2024-08-12', end: '2024-08-19' }
trade: { start: '2024-10-10', end: '2024-10-13' }
features: { sequenceLength: 6 }
cnn: { filters: [4], headUnits: [4], confidenceUnits: [4], epochs: 2, batchSize: 32, patience: 1 }
dqn: { hiddenUnits: [8], batchSize: 8, episodes: 1, targetSyncInterval: 20 }
orchestrator: { correlationWindow: 12, confidenceThreshold: 0.3 }
`,
);
const models = join(folder, 'models');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string; results?: Record<string, unknown> }> {
  let stdout = '';
  let stderr = '';
  const outcome = await runCli(argv, { write: (t) => void (stdout += t), writeError: (t) => void (stderr += t) });
  return { ...outcome, stdout, stderr };
}

describe('mtf-trader end to end (train → trade)', () => {
  beforeAll(async () => {
    const train = await cli(['--mode', 'train', '--symbols', 'BTC,ETH', '--config', configFile, '--models-dir', models, '--out', join(folder, 'train'), '--backend', 'cpu']);
    expect(train.stderr).toBe('');
    expect(train.exitCode).toBe(0);
  }, 120_000);

  it('trains: saves the models and writes the curves and the report', () => {
    for (const file of ['manifest.json', 'cnn/cnn.json', 'cnn/cnn.weights.bin', 'dqn-BTC-USDT/online.json', 'dqn-ETH-USDT/target.json']) expect(existsSync(join(models, file))).toBe(true);
    const curve = readFileSync(join(folder, 'train', 'cnn-training.csv'), 'utf8').trim().split('\n');
    expect(curve[0]).toBe('epoch,loss,val_loss,accuracy_5m,accuracy_15m,accuracy_1h,accuracy_4h');
    expect(curve.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(folder, 'train', 'dqn-training.csv'), 'utf8')).toMatch(/^symbol,episode,.*\nBTC\/USDT,1,/);
    expect(readFileSync(join(folder, 'train', 'report.html'), 'utf8')).toContain('<svg');
  });

  it('trades: loads the models, runs the kernel next to buy-and-hold and writes results.json', async () => {
    const out = join(folder, 'trade');
    const run = await cli(['--mode', 'trade', '--symbols', 'BTC,ETH', '--config', configFile, '--models-dir', models, '--out', out, '--backend', 'cpu']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^tfjs backend: cpu/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { symbols: Array<{ symbol: string; bars: number; system: { totalReturn: number; maxDrawdown: number }; buyAndHold: { totalReturn: number; fills: number } }> };
    expect(results.symbols.map((s) => s.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    const btc = results.symbols[0]!;
    expect(btc.bars).toBe(73); // hourly closes 2024-10-10 00:00 .. 2024-10-13 00:00, both ends included
    expect(btc.buyAndHold.fills).toBe(1);
    expect(Number.isFinite(btc.system.totalReturn)).toBe(true);
    expect(btc.system.maxDrawdown).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 60_000);

  it('trades with --no-load-models by training first into its own models folder', async () => {
    const fresh = join(folder, 'fresh-models');
    const run = await cli(['--mode', 'trade', '--no-load-models', '--symbols', 'BTC', '--config', configFile, '--models-dir', fresh, '--out', join(folder, 'trade-fresh'), '--backend', 'cpu', '--seed', '3']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('--no-load-models: training first');
    expect(existsSync(join(fresh, 'manifest.json'))).toBe(true);
    expect((run.results as { symbols: unknown[] }).symbols).toHaveLength(1);
  }, 60_000);

  it('decides nothing before T differently when the data after T is added (no lookahead, online learning included)', async () => {
    await initBackend({ prefer: 'cpu' });
    const tiny = loadConfigFile(configFile);
    // gate wide open: every DQN BUY trades, so the decisions compared below actually vary
    const config = { ...tiny, orchestrator: { ...tiny.orchestrator, confidenceThreshold: 0 } };
    const run = async (end: number) => {
      const options = parseRunOptions({ mode: 'trade', symbols: 'BTC', modelsDir: models });
      const loaded = await loadModels(models, config, options.symbols, 1); // fresh weights: online learning mutates them
      const ctx = { config, options, io: { write: () => {}, writeError: () => {} }, rng: Rng.fromSeed(7), backend: { name: 'cpu' as const, reason: '' }, dataDir: DEFAULT_DATA_DIR };
      const [btc] = runTrading(ctx, loaded, { start: Date.UTC(2024, 9, 10), end });
      loaded.cnn.dispose();
      loaded.dqns.forEach((d) => d.dispose());
      return btc!.strategyResult.decisions;
    };
    const T = Date.UTC(2024, 9, 11, 12);
    const short = await run(T);
    const long = await run(Date.UTC(2024, 9, 13));
    expect(short.length).toBe(37); // closes 2024-10-10 00:00 .. 2024-10-11 12:00
    expect(short.some((d) => d.targetExposure > 0)).toBe(true); // it does trade, so the comparison has teeth
    expect(long.slice(0, short.length)).toEqual(short);
  }, 60_000);
});
