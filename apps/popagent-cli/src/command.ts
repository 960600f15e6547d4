/**
 * The `popagent` command line (commander 14): parses argv, validates the flags, runs the ablation and maps
 * errors to exit codes — 0 success, 2 a bad flag or config file (one line: flag, value, what was expected),
 * 1 any other failure (a toolkit error prints one line; an unexpected error prints its stack) and an ablation an
 * LLM spending limit stopped (its finished runs are written).
 */
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { EXIT_FAILURE, EXIT_USAGE, cliExitCode } from '@trading-ml/core';
import { runAblation } from './ablation.js';
import type { AblationOutcome } from './ablation.js';
import { readConfigFile } from './config-file.js';
import { processIo } from './io.js';
import type { CliIo } from './io.js';
import { parseAblationOptions } from './options.js';
import type { RawAblationFlags } from './options.js';
import { registerPbtCommand } from './pbt/command.js';
import { registerLiveCommand } from './live/live-command.js';

/** The repository's bundled data folder (apps/popagent-cli/src → ../../../data). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));

/** Exit codes shared by every app: 2 for a bad flag or config file, 1 for any other failure. */
export { EXIT_USAGE, EXIT_FAILURE };

/** Quotes one argument for display when it holds spaces or shell metacharacters. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Builds the commander program; `onAblation` receives the finished outcome of `ablation`. */
function buildProgram(io: CliIo, argv: readonly string[], onAblation: (outcome: AblationOutcome) => void): Command {
  const program = new Command('popagent')
    .description('PopAgent experiments on the bundled real market data.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.write(text), writeErr: (text) => io.writeError(text) });

  program
    .command('ablation')
    .description('Run the PopAgent ablation (conditions A–D) per symbol; print tables, write results.json and report.html.')
    .addOption(new Option('--condition <condition>', 'A | B | C | D | all (all runs A and C, and B and D when --llm-base-url or --llm-cache is given)').default('all'))
    .addOption(new Option('--symbols <list>', 'comma-separated crypto bases (quote USDT)').default('BTC,ETH,SOL,XRP,DOGE'))
    .addOption(new Option('--start <date>', 'first decision date, YYYY-MM-DD (UTC)').default('2022-01-01'))
    .addOption(new Option('--end <date>', 'last bar close, YYYY-MM-DD (UTC)').default('2024-12-01'))
    .addOption(new Option('--timeframe <tf>', 'bar timeframe: 1h | 4h | 1d').default('4h'))
    .addOption(new Option('--population <n>', 'agents in the population').default('10'))
    .addOption(new Option('--seed <n>', 'random seed of the whole run').default('42'))
    .addOption(new Option('--data-dir <dir>', 'folder holding crypto/ and news/').default(DEFAULT_DATA_DIR, 'the bundled data/'))
    .addOption(new Option('--out <dir>', 'output folder').default('out/ablation'))
    .addOption(new Option('--config <file>', 'JSON file with a partial PopAgentConfig'))
    .addOption(new Option('--threads <n>', 'threads for the runs (default: the available cores, at most one per run; 1 runs them in-process)'))
    .addOption(new Option('--no-progress', 'no progress bar (also off when stdout is not a terminal)'))
    .addOption(new Option('--llm-base-url <url>', 'B/D: OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (omit to replay from --llm-cache)'))
    .addOption(new Option('--llm-model <name>', 'B/D: chat model name, e.g. gpt-4o-mini'))
    .addOption(new Option('--llm-api-key-env <name>', 'B/D: environment variable holding the API key (default OPENAI_API_KEY)'))
    .addOption(new Option('--llm-cache <file>', 'B/D: SQLite response cache (default <out>/llm-cache.sqlite with --llm-base-url); a complete cache replays offline'))
    .addOption(new Option('--llm-budget-usd <dollars>', 'B/D: estimated-cost limit of the ablation; a stop keeps the finished runs'))
    .addOption(new Option('--llm-max-tokens <n>', 'B/D: token limit of the ablation (prompt + completion); a stop keeps the finished runs'))
    .addOption(new Option('--llm-every <n>', 'B/D: ask the LLM every n decisions, holding its view in between (default 6)'))
    .action(async (flags: RawAblationFlags, command: Command) => {
      const fileConfig = flags.config !== undefined ? readConfigFile(flags.config) : {};
      const options = parseAblationOptions(flags, fileConfig, command.getOptionValueSource('population') === 'cli');
      onAblation(await runAblation(options, `popagent ${argv.map(quote).join(' ')}`, io));
    });
  registerPbtCommand(program, io, argv);
  registerLiveCommand(program, io);
  return program;
}

/**
 * Runs the `popagent` command line.
 *
 * @param argv - the user's arguments without node and the script path, e.g. ['ablation', '--symbols', 'BTC'].
 * @param io - output channels; the process's stdout/stderr by default.
 * @returns the exit code (0 success, 2 bad flag or config file, 1 other failure or an LLM budget stop) and, after
 *   an `ablation` that ran (also one a budget stopped), its outcome.
 * @throws never: every error is printed and turned into an exit code.
 * @see ../README.md (usage and flags)
 * @example
 * const { exitCode } = await runCli(['ablation', '--symbols', 'BTC', '--start', '2024-01-01', '--end', '2024-03-01']);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<{ exitCode: number; outcome?: AblationOutcome }> {
  let outcome: AblationOutcome | undefined;
  const program = buildProgram(io, argv, (result) => (outcome = result));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    // A budget stop wrote the finished runs, but the ablation is incomplete: not a success for a script.
    const stopped = (outcome?.results.llm?.stopped ?? null) !== null;
    return { exitCode: stopped ? EXIT_FAILURE : 0, ...(outcome !== undefined ? { outcome } : {}) };
  } catch (error) {
    return { exitCode: cliExitCode(error, (text) => io.writeError(text)) };
  }
}
