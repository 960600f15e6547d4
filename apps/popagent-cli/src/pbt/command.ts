/**
 * The `pbt` and `pbt-worker` subcommands of the `popagent` command line. `registerPbtCommand` adds both to the
 * program built in ../command.ts; errors propagate to its exit-code mapping (2 for a bad flag).
 */
import { Command, Option } from 'commander';
import { startPbtWorker } from '@trading-ml/pbt';
import { ConfigError } from '@trading-ml/core';
import type { CliIo } from '../io.js';
// A cycle (../command.ts registers this file), safe: DEFAULT_DATA_DIR is read when the command is registered.
import { DEFAULT_DATA_DIR } from '../command.js';
import { trainableModuleUrl } from './executor.js';
import { FITNESS_KINDS } from './fitness.js';
import { parsePbtOptions } from './options.js';
import type { RawPbtFlags } from './options.js';
import { runPbt } from './run-pbt.js';
import type { PbtOutcome } from './run-pbt.js';

/** Default values of the `pbt` flags: a run of about a minute on two cores (see the README). */
export const PBT_DEFAULTS = {
  population: '12',
  generations: '6',
  agents: '10',
  symbols: 'BTC,ETH',
  start: '2022-06-01',
  end: '2024-06-01',
  finalEnd: '2024-12-01',
  timeframe: '4h',
  executor: 'threads',
  queue: 'popagent-pbt',
  seed: '42',
  fitness: 'composite',
  drawdownCap: '0.25',
  out: 'out/pbt',
} as const;

/** Quotes one argument for display when it holds spaces or shell metacharacters. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Adds `pbt` and `pbt-worker` to the `popagent` program.
 *
 * @param program - the root commander program (exitOverride and output already configured).
 * @param io - output channels.
 * @param argv - the user's arguments (stored in results.json as the command line).
 * @param onPbt - receives the outcome of a finished `pbt` (tests); optional.
 * @returns nothing.
 * @throws never itself; the actions throw ConfigError (exit 2) and other errors (exit 1) into `parseAsync`.
 * @see ../../README.md ("popagent pbt")
 * @example
 * registerPbtCommand(program, io, argv);
 */
export function registerPbtCommand(program: Command, io: CliIo, argv: readonly string[], onPbt?: (outcome: PbtOutcome) => void): void {
  const d = PBT_DEFAULTS;
  program
    .command('pbt')
    .description('Population Based Training of the PopAgent hyperparameters on walk-forward windows; then the best, the untuned default and buy-and-hold on a held-out final window.')
    .addOption(new Option('--population <n>', 'PBT members (each: one PopAgent engine per symbol)').default(d.population))
    .addOption(new Option('--generations <n>', 'exploit/explore rounds; [start, end) is cut into generations + 1 windows').default(d.generations))
    .addOption(new Option('--agents <n>', 'PopAgent agents per engine').default(d.agents))
    .addOption(new Option('--symbols <list>', 'comma-separated crypto bases (quote USDT)').default(d.symbols))
    .addOption(new Option('--start <date>', 'first decision of the first window, YYYY-MM-DD (UTC)').default(d.start))
    .addOption(new Option('--end <date>', 'end of the PBT windows and start of the final window, YYYY-MM-DD (UTC)').default(d.end))
    .addOption(new Option('--final-end <date>', 'last bar close of the held-out final window, YYYY-MM-DD (UTC)').default(d.finalEnd))
    .addOption(new Option('--timeframe <tf>', 'bar timeframe: 1h | 4h | 1d').default(d.timeframe))
    .addOption(new Option('--executor <kind>', 'inline | threads | redis').default(d.executor))
    .addOption(new Option('--threads <n>', 'worker threads of --executor threads (default: available cores, at most one per member)'))
    .addOption(new Option('--redis-url <url>', 'Redis of --executor redis (workers: popagent pbt-worker --redis-url URL)'))
    .addOption(new Option('--queue <name>', 'BullMQ queue shared with the pbt-worker processes').default(d.queue))
    .addOption(new Option('--seed <n>', 'seed of the whole run').default(d.seed))
    .addOption(new Option('--fitness <kind>', FITNESS_KINDS.join(' | ')).default(d.fitness))
    .addOption(new Option('--drawdown-cap <fraction>', 'drawdown cap of --fitness sharpe-dd-cap').default(d.drawdownCap))
    .addOption(new Option('--data-dir <dir>', 'folder holding crypto/').default(DEFAULT_DATA_DIR, 'the bundled data/'))
    .addOption(new Option('--out <dir>', 'output folder').default(d.out))
    .addOption(new Option('--resume', 'continue from the newest checkpoint in --out').default(false))
    .action(async (flags: RawPbtFlags) => {
      const outcome = await runPbt(parsePbtOptions(flags), `popagent ${argv.map(quote).join(' ')}`, io);
      onPbt?.(outcome);
    });

  program
    .command('pbt-worker')
    .description('Start a worker that trains PBT jobs from a Redis queue (for popagent pbt --executor redis); stops on SIGINT/SIGTERM.')
    .addOption(new Option('--redis-url <url>', 'the Redis the controller uses').makeOptionMandatory())
    .addOption(new Option('--queue <name>', 'BullMQ queue name').default(d.queue))
    .addOption(new Option('--concurrency <n>', 'jobs at once in this process (CPU-bound: start one process per core instead)').default('1'))
    .action(async (flags: { redisUrl: string; queue: string; concurrency: string }) => {
      if (!/^rediss?:\/\/\S+$/.test(flags.redisUrl.trim())) {
        throw new ConfigError({ parameter: '--redis-url', value: flags.redisUrl, expected: 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' });
      }
      if (!/^[A-Za-z0-9._-]+$/.test(flags.queue)) throw new ConfigError({ parameter: '--queue', value: flags.queue, expected: 'a queue name of letters, digits, ".", "_" or "-"' });
      const concurrency = /^\d+$/.test(flags.concurrency.trim()) ? Number(flags.concurrency) : Number.NaN;
      if (!(concurrency >= 1 && concurrency <= 64)) throw new ConfigError({ parameter: '--concurrency', value: flags.concurrency, expected: 'an integer from 1 to 64' });
      const worker = startPbtWorker({ connection: flags.redisUrl.trim(), queueName: flags.queue, trainableModule: trainableModuleUrl(), concurrency });
      await worker.worker.waitUntilReady();
      io.write(`pbt-worker: waiting for jobs on queue ${flags.queue} at ${flags.redisUrl} (pid ${process.pid}); SIGINT or SIGTERM stops it.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await worker.close();
      io.write('pbt-worker: stopped.\n');
    });
}
