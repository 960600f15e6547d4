/**
 * The `mtf-trader` command line (commander 14): parses and validates the flags and the YAML config, selects the
 * TensorFlow.js backend, runs the mode and maps errors to exit codes — 0 success, 2 a bad flag or config file (one
 * line naming the flag or key, the value and what was expected), 1 any other failure.
 */
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { ConfigError, EXIT_FAILURE, EXIT_USAGE, Rng, cliExitCode } from '@trading-ml/core';
import { initBackend } from '@trading-ml/cnn-rl';
import { loadConfigFile, parseInstant, validateConfig } from './config.js';
import type { MtfConfig } from './config.js';
import { loadModels } from './models.js';
import { parseRunOptions } from './options.js';
import type { RawFlags, RunOptions } from './options.js';
import { tradeTable, writeTradeReport, writeTrainReport } from './report.js';
import type { RunFacts } from './report.js';
import type { RunContext, RunIo } from './run-context.js';
import { runTrading } from './trade.js';
import { runTraining } from './train.js';

/** The repository's bundled data folder (apps/mtf-trader/src → ../../../data). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));
/** Exit codes shared by every app: 2 for a bad flag or config file, 1 for any other failure. */
export { EXIT_USAGE, EXIT_FAILURE };

/** What a successful run returns to in-process callers (tests). */
export interface CliOutcome {
  readonly exitCode: number;
  /** results.json (trade) as written. */
  readonly results?: Record<string, unknown>;
}

function processIo(): RunIo {
  return { write: (text) => void process.stdout.write(text), writeError: (text) => void process.stderr.write(text) };
}

function windowFor(config: MtfConfig, options: RunOptions, mode: 'train' | 'trade'): { start: number; end: number } {
  const configured = mode === 'train' ? config.train : config.trade;
  const start = mode === options.mode && options.start !== undefined ? options.start : parseInstant(configured.start);
  const end = mode === options.mode && options.end !== undefined ? options.end : parseInstant(configured.end);
  if (start >= end) throw new ConfigError({ parameter: options.start !== undefined ? '--start' : '--end', value: new Date(options.start ?? end).toISOString(), expected: `a window with start before end (${new Date(start).toISOString()} .. ${new Date(end).toISOString()})` });
  return { start, end };
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
}

async function run(options: RunOptions, io: RunIo, command: string): Promise<Record<string, unknown> | undefined> {
  const started = performance.now();
  const config = options.configFile !== undefined ? loadConfigFile(options.configFile) : validateConfig({});
  const dataDir = options.dataDir ?? config.dataDir ?? DEFAULT_DATA_DIR;
  const backend = await initBackend(options.backend !== undefined ? { prefer: options.backend } : {});
  io.write(`tfjs backend: ${backend.name} (${backend.reason})\n`);
  const ctx: RunContext = { config, options, io, rng: Rng.fromSeed(options.seed), backend, dataDir };
  const facts = (): RunFacts => ({ command, backend, seed: options.seed, wallSeconds: (performance.now() - started) / 1000, peakRssMb: peakRssMb() });
  if (options.mode === 'train') {
    const window = windowFor(config, options, 'train');
    const outcome = await runTraining(ctx, window);
    await writeTrainReport(options.outDir, outcome, facts(), config.timeframes, { window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() }, config });
    outcome.cnn.dispose();
    outcome.dqns.forEach((dqn) => dqn.dispose());
    io.write(`models saved to ${options.modelsDir}; curves and report in ${options.outDir}\n`);
    return undefined;
  }
  let models;
  if (options.loadModels) {
    models = await loadModels(options.modelsDir, config, options.symbols, options.seed);
    io.write(`models loaded from ${options.modelsDir} (trained on ${models.manifest.trainWindow.start} .. ${models.manifest.trainWindow.end})\n`);
  } else {
    io.write('--no-load-models: training first\n');
    models = await runTraining(ctx, windowFor(config, options, 'train'));
  }
  const window = windowFor(config, options, 'trade');
  const results = runTrading(ctx, models, window);
  io.write(`${tradeTable(results)}\n`);
  const json = await writeTradeReport(options.outDir, results, facts(), { window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() }, config });
  models.cnn.dispose();
  models.dqns.forEach((dqn) => dqn.dispose());
  const f = facts();
  io.write(`results.json and report.html in ${options.outDir}; wall ${f.wallSeconds.toFixed(1)} s, peak RSS ${f.peakRssMb.toFixed(0)} MB\n`);
  return json;
}

/**
 * Runs the `mtf-trader` command line.
 * @param argv - arguments without node and the script, e.g. ['--mode', 'trade', '--symbols', 'BTC,ETH'].
 * @param io - output channels; the process's stdout/stderr by default.
 * @returns the exit code (0, 1 or 2) and, after a trade run, its results.json content.
 * @throws never: every error is printed and turned into an exit code.
 * @see ../README.md (usage, flags, config keys)
 * @example
 * const { exitCode } = await runCli(['--mode', 'train', '--symbols', 'BTC']);
 */
export async function runCli(argv: readonly string[], io: RunIo = processIo()): Promise<CliOutcome> {
  let results: Record<string, unknown> | undefined;
  const program = new Command('mtf-trader')
    .description('Multi-timeframe CNN + dueling double DQN on the bundled BTC/ETH data: train, then trade the test window.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.write(text), writeErr: (text) => io.writeError(text), outputError: (text, write) => write(text.split('\n')[0] + '\n') })
    .addOption(new Option('--mode <mode>', 'train | trade'))
    .addOption(new Option('--symbols <list>', 'comma-separated bases (quote USDT)').default('BTC,ETH'))
    .addOption(new Option('--config <file>', 'YAML configuration file (any subset of the keys; see README)'))
    .addOption(new Option('--no-load-models', 'trade: train first instead of loading --models-dir'))
    .addOption(new Option('--models-dir <dir>', 'where models are saved / loaded').default('out/mtf/models'))
    .addOption(new Option('--out <dir>', 'output folder (default out/mtf/<mode>)'))
    .addOption(new Option('--seed <n>', 'random seed of the whole run').default('42'))
    .addOption(new Option('--start <date>', "start of the mode's window, UTC date or timestamp"))
    .addOption(new Option('--end <date>', "end of the mode's window, UTC date or timestamp"))
    .addOption(new Option('--data-dir <dir>', 'folder holding crypto/ (default: the bundled data/)'))
    .addOption(new Option('--backend <name>', 'preferred tfjs backend: tensorflow | wasm | cpu (falls back in that order)'))
    .action(async (flags: RawFlags) => {
      results = await run(parseRunOptions(flags), io, `mtf-trader ${argv.join(' ')}`);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return { exitCode: 0, ...(results !== undefined ? { results } : {}) };
  } catch (error) {
    return { exitCode: cliExitCode(error, (text) => io.writeError(text)) };
  }
}
