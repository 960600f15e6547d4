/**
 * The models folder: `cnn/` (one CNN for all symbols), `dqn-<BASE>-<QUOTE>/` (one DQN per symbol) and
 * `manifest.json`, which records what the models were trained on so a trade run refuses incompatible ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, DataError, TIMEFRAMES } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { DuelingDoubleDqn, MultiTimeframeCnn } from '@trading-ml/cnn-rl';
import { writeFileAtomic } from './atomic-write.js';
import type { MtfConfig } from './config.js';

const manifestSchema = z.object({
  version: z.literal(1),
  timeframes: z.array(z.enum(TIMEFRAMES as [Timeframe, ...Timeframe[]])),
  decisionTimeframe: z.enum(TIMEFRAMES as [Timeframe, ...Timeframe[]]),
  sequenceLength: z.int(),
  channels: z.int(),
  features: z.object({ window: z.int(), baselineWindow: z.int(), trendPeriod: z.int() }),
  stateSize: z.int(),
  symbols: z.array(z.string()),
  trainWindow: z.object({ start: z.string(), end: z.string() }),
  seed: z.int(),
});

/** What the models were trained on. */
export type ModelManifest = z.output<typeof manifestSchema>;

/** Folder of a symbol's DQN: 'BTC/USDT' → `<dir>/dqn-BTC-USDT`. */
export function dqnDir(modelsDir: string, symbol: string): string {
  return join(modelsDir, `dqn-${symbol.replace('/', '-')}`);
}

/** Writes the manifest atomically. */
export function writeManifest(modelsDir: string, manifest: ModelManifest): void {
  writeFileAtomic(join(modelsDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The models of a trade run. */
export interface LoadedModels {
  readonly cnn: MultiTimeframeCnn;
  readonly dqns: readonly DuelingDoubleDqn[];
  readonly manifest: ModelManifest;
}

/**
 * Loads the CNN and one DQN per symbol, after checking the manifest against the configuration.
 * @param modelsDir - the folder written by a train run.
 * @param config - this run's configuration.
 * @param symbols - the symbols to trade.
 * @param seed - seed for any further CNN training.
 * @returns the models.
 * @throws ConfigError '--models-dir' when the folder has no manifest, or it was trained with other timeframes,
 *   window length, features, decision timeframe or without one of the symbols (train first, or --no-load-models).
 * @example
 * const { cnn, dqns } = await loadModels('out/mtf/models', config, ['BTC/USDT'], 42);
 */
export async function loadModels(modelsDir: string, config: MtfConfig, symbols: readonly string[], seed: number): Promise<LoadedModels> {
  const path = join(modelsDir, 'manifest.json');
  if (!existsSync(path)) throw new ConfigError({ parameter: '--models-dir', value: modelsDir, expected: 'a folder written by `--mode train` (manifest.json missing); train first or pass --no-load-models' });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataError({ location: { file: path }, value: 'unparseable JSON', expected: 'the manifest a train run writes', cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new DataError({ location: { file: path }, value: parsed.error.issues[0]?.path.join('.'), expected: 'the manifest a train run writes' });
  const manifest = parsed.data;
  const mismatch = (key: string, stored: unknown, wanted: unknown): ConfigError =>
    new ConfigError({ parameter: '--models-dir', value: modelsDir, expected: `models trained with ${key} = ${JSON.stringify(wanted)} (they have ${JSON.stringify(stored)}); retrain or pass --no-load-models` });
  if (manifest.timeframes.join() !== config.timeframes.join()) throw mismatch('timeframes', manifest.timeframes, config.timeframes);
  if (manifest.decisionTimeframe !== config.decisionTimeframe) throw mismatch('decisionTimeframe', manifest.decisionTimeframe, config.decisionTimeframe);
  if (manifest.sequenceLength !== config.features.sequenceLength) throw mismatch('features.sequenceLength', manifest.sequenceLength, config.features.sequenceLength);
  const { window, baselineWindow, trendPeriod } = config.features;
  if (JSON.stringify(manifest.features) !== JSON.stringify({ window, baselineWindow, trendPeriod })) throw mismatch('features', manifest.features, { window, baselineWindow, trendPeriod });
  for (const symbol of symbols) if (!manifest.symbols.includes(symbol)) throw mismatch('symbols', manifest.symbols, symbols);
  const cnn = await MultiTimeframeCnn.load(join(modelsDir, 'cnn'), seed);
  const dqns: DuelingDoubleDqn[] = [];
  for (const symbol of symbols) dqns.push(await DuelingDoubleDqn.load(dqnDir(modelsDir, symbol)));
  return { cnn, dqns, manifest };
}
