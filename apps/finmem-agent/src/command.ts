/**
 * The `finmem-agent` command line (commander 14): `train` builds the memory database, `test` loads it and trades.
 * Exit codes: 0 success (also a clean budget stop, which is reported), 2 a bad flag (one line: flag, value, what
 * was expected), 1 any other failure (one line for toolkit errors, e.g. no LLM endpoint and a cache miss).
 */
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { EXIT_FAILURE, EXIT_USAGE, cliExitCode } from '@trading-ml/core';
import { isPostgresUrl, redactUrlPassword } from '@trading-ml/llm-reasoning';
import type { Phase } from '@trading-ml/llm-reasoning';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { DEFAULT_WINDOWS, parseOptions } from './options.js';
import type { RawFlags } from './options.js';
import type { ResultsDocument } from './results-schema.js';
import { runPhase } from './run.js';

/** The repository's bundled data folder (apps/finmem-agent/src → ../../../data). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));

/** Exit codes shared by every app: 2 for a bad flag or config file, 1 for any other failure. */
export { EXIT_USAGE, EXIT_FAILURE };

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function addPhase(program: Command, phase: Phase, description: string, onDone: (doc: ResultsDocument) => void, io: CliIo, argv: readonly string[]): void {
  program
    .command(phase)
    .description(description)
    .addOption(new Option('--symbol <symbol>', "stock ticker (TSLA, NFLX, AMZN, MSFT, COIN, QQQ) or crypto pair (BTC/USDT, daily from hourly)").default('TSLA'))
    .addOption(new Option('--start <date>', `first trading day, YYYY-MM-DD (default ${DEFAULT_WINDOWS[phase].start})`))
    .addOption(new Option('--end <date>', `last trading day, YYYY-MM-DD, inclusive (default ${DEFAULT_WINDOWS[phase].end})`))
    .addOption(new Option('--character <character>', 'risk-seeking | risk-averse | self-adaptive').default('self-adaptive'))
    .addOption(new Option('--llm-base-url <url>', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (omit to replay from --llm-cache)'))
    .addOption(new Option('--llm-model <name>', 'chat (and embedding) model name'))
    .addOption(new Option('--llm-api-key-env <name>', 'environment variable holding the API key (default OPENAI_API_KEY)'))
    .addOption(new Option('--llm-cache <file>', 'SQLite response cache; a complete cache replays a run offline'))
    .addOption(new Option('--llm-budget-usd <dollars>', 'estimated-cost limit of the run; a stop keeps the days done'))
    .addOption(new Option('--llm-max-tokens <n>', 'token limit of the run (prompt + completion); a stop keeps the days done'))
    .addOption(new Option('--memory-db <file>', 'the layered memory: a SQLite file (default <out>/memory.sqlite) or a postgres:// URL'))
    .addOption(new Option('--out <dir>', 'output folder').default('out/finmem'))
    .addOption(new Option('--seed <n>', 'seed of the LLM sampling (when the server supports it) and of the Sharpe bootstrap').default('42'))
    .addOption(new Option('--data-dir <dir>', 'folder holding stocks/, crypto/ and news/').default(DEFAULT_DATA_DIR, 'the bundled data/'))
    .addOption(new Option('--top-k <n>', 'memories retrieved per layer').default('3'))
    .addOption(new Option('--positions <mode>', 'long-flat (SELL = exit) | long-short (SELL = go short)').default('long-flat'))
    .addOption(new Option('--retrieval <kind>', 'bm25 (embedded) | embedding (cosine of endpoint embeddings)').default('bm25'))
    .action(async (flags: RawFlags) => {
      const options = parseOptions(phase, flags);
      // The command line goes into results.json: a database URL's password is masked there.
      onDone(await runPhase(options, `finmem-agent ${argv.map((arg) => quote(isPostgresUrl(arg) ? redactUrlPassword(arg) : arg)).join(' ')}`, io));
    });
}

/**
 * Runs the `finmem-agent` command line.
 * @param argv - arguments without node and the script path, e.g. ['train', '--symbol', 'TSLA', …].
 * @param io - output channels (the process's by default).
 * @returns the exit code and, after a successful run, the results document.
 * @throws never: every error is printed and turned into an exit code.
 * @see ../README.md
 * @example
 * const { exitCode } = await runCli(['test', '--symbol', 'TSLA', '--llm-model', 'gpt-4o-mini', '--llm-base-url', 'https://api.openai.com/v1']);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<{ exitCode: number; results?: ResultsDocument }> {
  let results: ResultsDocument | undefined;
  const program = new Command('finmem-agent')
    .description('FinMem: an LLM trading agent with layered memory and a risk character, on the bundled daily data.')
    .exitOverride()
    .showSuggestionAfterError(false) // the error stays one line
    .configureOutput({ writeOut: (text) => io.write(text), writeErr: (text) => io.writeError(text) });
  const done = (doc: ResultsDocument): void => void (results = doc);
  addPhase(program, 'train', 'Walk the training window day by day and build the memory database.', done, io, argv);
  addPhase(program, 'test', 'Trade the test window with the trained memory; compare with buy-and-hold.', done, io, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return { exitCode: 0, ...(results === undefined ? {} : { results }) };
  } catch (error) {
    return { exitCode: cliExitCode(error, (text) => io.writeError(text)) };
  }
}
