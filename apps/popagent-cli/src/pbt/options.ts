/**
 * Validation of the `popagent pbt` flags: raw strings from commander in, one typed {@link PbtOptions} out, or a
 * ConfigError naming the flag, the bad value and what was expected (exit code 2). The flags it shares with
 * `popagent ablation` (symbols, dates, timeframe, seed, data folder) go through the ablation's own parser, so
 * both commands accept and reject the same values.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { integerText, parseFlag, parseUtcDate } from '../flag-parsers.js';
import { parseAblationOptions } from '../options.js';
import { FITNESS_KINDS } from './fitness.js';
import type { FitnessKind } from './fitness.js';

/** Where PBT's train jobs run. */
export const EXECUTORS = ['inline', 'threads', 'redis'] as const;
export type ExecutorKind = (typeof EXECUTORS)[number];

/** The `pbt` flags as commander parsed them. */
export interface RawPbtFlags {
  readonly population: string;
  readonly generations: string;
  readonly agents: string;
  readonly symbols: string;
  readonly start: string;
  readonly end: string;
  readonly finalEnd: string;
  readonly timeframe: string;
  readonly executor: string;
  readonly threads?: string | undefined;
  readonly redisUrl?: string | undefined;
  readonly queue: string;
  readonly seed: string;
  readonly fitness: string;
  readonly drawdownCap: string;
  readonly dataDir: string;
  readonly out: string;
  readonly resume: boolean;
}

/** Validated options of one PBT run. */
export interface PbtOptions {
  /** PBT members. */
  readonly population: number;
  /** Exploit/explore rounds; the run trades generations + 1 walk-forward windows. */
  readonly generations: number;
  /** PopAgent agents per engine (PopAgentConfig.population). */
  readonly agents: number;
  /** ccxt symbols, e.g. 'BTC/USDT'. */
  readonly symbols: readonly string[];
  /** First decision time of the first window, UTC ms (00:00 UTC of --start). */
  readonly start: number;
  /** End of the PBT windows, UTC ms: the last scored bar closes before it. */
  readonly end: number;
  /** End of the final, never-scored window [end, finalEnd], UTC ms (last bar close included). */
  readonly finalEnd: number;
  readonly timeframe: Timeframe;
  readonly executor: ExecutorKind;
  /** Worker threads of the threads executor. */
  readonly threads: number;
  /** Redis URL of the redis executor (null otherwise). */
  readonly redisUrl: string | null;
  /** BullMQ queue name shared with the `pbt-worker` processes. */
  readonly queue: string;
  readonly seed: number;
  readonly fitness: FitnessKind;
  /** Drawdown cap of the `sharpe-dd-cap` fitness, a fraction. */
  readonly drawdownCap: number;
  /** Absolute path of the data folder. */
  readonly dataDir: string;
  /** Absolute path of the output folder. */
  readonly out: string;
  /** Continue from the newest checkpoint in --out instead of starting afresh. */
  readonly resume: boolean;
}

// Also '.25' (a fraction typed without its leading zero).
const numberText = z.string().trim().regex(/^\d*\.?\d+$/).transform(Number);

/**
 * Validates the raw `popagent pbt` flags.
 *
 * @param raw - the flags as commander parsed them.
 * @returns the typed options (dates 00:00 UTC epoch ms, paths absolute).
 * @throws ConfigError naming the flag, the bad value and what was expected: also for --final-end not after
 *   --end, too few bars for generations + 1 windows of at least two bars, --executor redis without --redis-url.
 * @see ../../README.md ("popagent pbt")
 * @example
 * parsePbtOptions({ population: '4', generations: '2', agents: '3', symbols: 'BTC', start: '2024-01-01', end: '2024-03-01',
 *   finalEnd: '2024-04-01', timeframe: '4h', executor: 'inline', queue: 'popagent-pbt', seed: '1', fitness: 'sharpe',
 *   drawdownCap: '0.25', dataDir: 'data', out: 'out/pbt', resume: false }).symbols; // ['BTC/USDT']
 */
export function parsePbtOptions(raw: RawPbtFlags): PbtOptions {
  // The flags shared with the ablation, through its parser (same rules, same messages).
  const shared = parseAblationOptions(
    { condition: 'A', symbols: raw.symbols, start: raw.start, end: raw.end, timeframe: raw.timeframe, population: '1', seed: raw.seed, dataDir: raw.dataDir, out: raw.out, progress: false },
    {},
    false,
  );
  const population = parseFlag(integerText.pipe(z.number().int().min(2).max(1000)), '--population', raw.population, 'an integer from 2 to 1000 (PBT members)');
  const generations = parseFlag(integerText.pipe(z.number().int().min(1).max(1000)), '--generations', raw.generations, 'an integer from 1 to 1000 (exploit/explore rounds)');
  const agents = parseFlag(integerText.pipe(z.number().int().min(1).max(1000)), '--agents', raw.agents, 'an integer from 1 to 1000 (PopAgent agents per engine)');
  const bar = TIMEFRAME_MS[shared.timeframe];
  const bars = Math.floor((shared.end - shared.start) / bar);
  if (bars < 2 * (generations + 1)) {
    throw new ConfigError({
      parameter: '--generations',
      value: raw.generations,
      expected: `at most ${Math.max(0, Math.floor(bars / 2) - 1)}: generations + 1 walk-forward windows of at least two ${shared.timeframe} bars must fit between --start and --end (${bars} bars)`,
    });
  }
  const finalEnd = parseUtcDate('--final-end', raw.finalEnd, 'a UTC date YYYY-MM-DD that exists, e.g. 2024-12-01');
  if (finalEnd - shared.end < 2 * bar) {
    throw new ConfigError({ parameter: '--final-end', value: raw.finalEnd, expected: `a date after --end ${raw.end} by at least two ${shared.timeframe} bars` });
  }
  const executor = parseFlag(z.enum(EXECUTORS), '--executor', raw.executor, `one of ${EXECUTORS.join(', ')}`);
  const threads =
    raw.threads === undefined
      ? Math.min(availableParallelism(), population)
      : parseFlag(integerText.pipe(z.number().int().min(1).max(1024)), '--threads', raw.threads, 'an integer from 1 to 1024 (worker threads of --executor threads)');
  let redisUrl: string | null = null;
  if (raw.redisUrl !== undefined) {
    redisUrl = parseFlag(z.string().trim().regex(/^rediss?:\/\/\S+$/), '--redis-url', raw.redisUrl, 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  }
  if (executor === 'redis' && redisUrl === null) {
    throw new ConfigError({ parameter: '--redis-url', value: raw.redisUrl, expected: 'a redis:// URL: --executor redis needs the Redis that the `popagent pbt-worker` processes listen on' });
  }
  const queue = parseFlag(z.string().regex(/^[A-Za-z0-9._-]+$/), '--queue', raw.queue, 'a queue name of letters, digits, ".", "_" or "-"');
  const fitness = parseFlag(z.enum(FITNESS_KINDS), '--fitness', raw.fitness, `one of ${FITNESS_KINDS.join(', ')}`);
  const drawdownCap = parseFlag(numberText.pipe(z.number().gt(0).lte(1)), '--drawdown-cap', raw.drawdownCap, 'a fraction in (0, 1], e.g. 0.25 for 25 %');
  return {
    population,
    generations,
    agents,
    symbols: shared.symbols,
    start: shared.start,
    end: shared.end,
    finalEnd,
    timeframe: shared.timeframe,
    executor,
    threads,
    redisUrl,
    queue,
    seed: shared.seed,
    fitness,
    drawdownCap,
    dataDir: shared.dataDir,
    out: resolve(raw.out),
    resume: raw.resume,
  };
}
