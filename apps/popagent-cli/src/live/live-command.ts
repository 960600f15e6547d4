/**
 * The `popagent live` subcommand (commander 14): flags, help, and the hand-off to {@link runLive}. Errors are
 * thrown to the program's handler (command.ts): a ConfigError exits 2 with one line, other failures exit 1.
 */
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { readConfigFile } from '../config-file.js';
import type { CliIo } from '../io.js';
import { parseLiveOptions } from './live-options.js';
import type { RawLiveFlags } from './live-options.js';
import { runLive } from './run-live.js';
import type { LiveRunOutcome } from './run-live.js';

/** The repository's bundled data folder (apps/popagent-cli/src/live → ../../../../data). */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../../data', import.meta.url));

/**
 * Adds `live` to the `popagent` program.
 *
 * @param program - the `popagent` commander program.
 * @param io - output channels.
 * @param onOutcome - receives the finished run's outcome (tests read it).
 * @returns the `live` command.
 * @throws never while registering; the action throws ConfigError (exit 2) and run errors (exit 1).
 * @see ../../README.md, "popagent live"
 * @example
 * registerLiveCommand(program, processIo());
 * await program.parseAsync(['live', '--source', 'bundled', '--test-once'], { from: 'user' });
 */
export function registerLiveCommand(program: Command, io: CliIo, onOutcome?: (outcome: LiveRunOutcome) => void): Command {
  return program
    .command('live')
    .description('Trade the PopAgent population live: paper (default), --testnet, or real money (--live-real --i-understand-real-money).')
    .addOption(new Option('--symbols <list>', 'comma-separated crypto bases (quote USDT), e.g. BTC,ETH,SOL').default('BTC,ETH,SOL'))
    .addOption(new Option('--interval <hours>', 'hours between iterations (default: one bar of --timeframe)'))
    .addOption(new Option('--timeframe <tf>', 'bar timeframe: 1h | 4h | 1d').default('4h'))
    .addOption(new Option('--use-news', 'condition C: news sentiment (headlines from --data-dir/news)'))
    .addOption(new Option('--use-llm', 'condition B (D with --use-news): an LLM confirms, reduces or vetoes the population (needs --llm-model and --llm-base-url or --llm-cache)'))
    .addOption(new Option('--llm-base-url <url>', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1'))
    .addOption(new Option('--llm-model <name>', 'chat model name, e.g. gpt-4o-mini'))
    .addOption(new Option('--llm-api-key-env <name>', 'environment variable holding the LLM API key (default OPENAI_API_KEY)'))
    .addOption(new Option('--llm-cache <file>', 'SQLite response cache (default <state-dir>/llm-cache.sqlite)'))
    .addOption(new Option('--llm-budget-usd <dollars>', 'estimated-cost limit of this process; reaching it stops the run (exit 1)'))
    .addOption(new Option('--llm-max-tokens <n>', 'token limit of this process (prompt + completion)'))
    .addOption(new Option('--llm-every <n>', 'ask the LLM every n decisions, holding its view in between (default 6)'))
    .addOption(new Option('--testnet', "the exchange's sandbox (keys BINANCE_API_KEY/BINANCE_API_SECRET or BYBIT_…)"))
    .addOption(new Option('--live-real', 'real orders with real money (needs --i-understand-real-money)'))
    .addOption(new Option('--i-understand-real-money', 'confirms --live-real'))
    .addOption(new Option('--test-once', 'one full iteration without waiting, then exit'))
    .addOption(new Option('--dry-run', 'decide and print the orders it would place; place none, persist nothing'))
    .addOption(new Option('--state-dir <dir>', 'state folder (SQLite state, journal, live.log) (default: out/live/<mode>, out/live/paper-bundled for --source bundled)'))
    .addOption(new Option('--exchange <id>', 'binance | bybit').default('binance'))
    .addOption(new Option('--source <source>', 'exchange (ccxt) | bundled (the data folder replayed as live, paper only, offline)').default('exchange'))
    .addOption(new Option('--seed <n>', 'random seed of the population').default('42'))
    .addOption(new Option('--max-order-notional <quote>', 'largest order, quote currency'))
    .addOption(new Option('--max-symbol-notional <quote>', 'largest position per symbol, quote currency'))
    .addOption(new Option('--max-exposure <fraction>', 'largest Σ|position value| over symbols, fraction of total equity'))
    .addOption(new Option('--daily-loss-stop <fraction>', 'loss since the UTC day start after which targets only move toward flat'))
    .addOption(new Option('--max-drawdown <fraction>', 'drawdown from the peak that flattens everything and halts (kill switch)'))
    .addOption(new Option('--reset-kill-switch', 'clear a persisted kill switch on start'))
    .addOption(new Option('--warmup-bars <n>', 'closed bars of history fed to the population (not traded) on the first start').default('1000'))
    .addOption(new Option('--initial-cash <quote>', 'capital of each symbol book, quote currency').default('10000'))
    .addOption(new Option('--data-dir <dir>', 'folder holding crypto/ and news/').default(DEFAULT_DATA_DIR, 'the bundled data/'))
    .addOption(new Option('--config <file>', 'JSON file with a partial PopAgentConfig'))
    .addOption(new Option('--as-of <time>', 'simulated "now" of the first iteration, UTC (bundled: default its last close; exchange: needs --test-once or --max-iterations)'))
    .addOption(new Option('--max-iterations <n>', 'stop after n iterations'))
    .addOption(new Option('--recv-window <ms>', "how long after its timestamp the exchange may accept a signed request (default ccxt's: Binance 10000, Bybit 5000); an order whose answer was lost is looked up only after it"))
    .addOption(new Option('--exchange-url <url>', 'base URL replacing the exchange API urls (tests)').hideHelp())
    .addOption(new Option('--pause-at <checkpoint>', 'halt forever at this checkpoint (kill -9 tests)').hideHelp())
    .action(async (flags: RawLiveFlags) => {
      const fileConfig = flags.config !== undefined ? readConfigFile(flags.config) : {};
      const outcome = await runLive(parseLiveOptions(flags, fileConfig), io);
      onOutcome?.(outcome);
    });
}
