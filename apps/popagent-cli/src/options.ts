/**
 * Validation of the `popagent ablation` flags. Commander hands over raw strings; this module turns them into
 * one typed {@link AblationOptions} object, or throws a ConfigError that names the flag, the bad value and
 * what was expected. Everything after this point works with plain typed values.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import type { Condition, PopAgentConfig } from '@trading-ml/popagent';
import { LLM_CONDITIONS } from '@trading-ml/popagent';
import { resolveSymbol } from '@trading-ml/market-data';

/** The flags exactly as commander parsed them (strings, plus the boolean `progress`). */
export interface RawAblationFlags {
  readonly condition: string;
  readonly symbols: string;
  readonly start: string;
  readonly end: string;
  readonly timeframe: string;
  readonly population: string;
  readonly seed: string;
  readonly dataDir: string;
  readonly out: string;
  readonly config?: string | undefined;
  /** `--threads`, or undefined when not given (then: the available cores). */
  readonly threads?: string | undefined;
  readonly progress: boolean;
}

/** Validated options of one ablation. */
export interface AblationOptions {
  /** What the user asked for: one condition or 'all'. */
  readonly condition: Condition | 'all';
  /** The conditions that will actually run (for 'all': the ones that need no LLM endpoint). */
  readonly conditions: readonly Condition[];
  /** Conditions asked for but skipped because they need an LLM endpoint. */
  readonly skippedConditions: readonly Condition[];
  /** ccxt-style symbols, e.g. 'BTC/USDT', in the order given. */
  readonly symbols: readonly string[];
  /** First decision time, UTC ms (00:00 UTC of the --start date). */
  readonly start: number;
  /** Last bar close time included, UTC ms (00:00 UTC of the --end date). */
  readonly end: number;
  readonly timeframe: Timeframe;
  /** Agents in the population. */
  readonly population: number;
  readonly seed: number;
  /** Absolute path of the data folder (holding crypto/ and news/). */
  readonly dataDir: string;
  /** Absolute path of the output folder. */
  readonly out: string;
  /** Path of the --config file, when one was given. */
  readonly configFile?: string;
  /** The --config file's partial PopAgentConfig merged with --population. */
  readonly config: Partial<PopAgentConfig>;
  /** Show a progress bar (still off when stdout is not a terminal). */
  readonly progress: boolean;
  /**
   * Threads that run the (condition, symbol) runs, at most one per run: 1 runs them in-process one after the
   * other, more runs them on a pool of worker threads.
   */
  readonly threads: number;
}

/** Timeframes the app can build from the bundled hourly files (resampling only goes up). */
export const SUPPORTED_TIMEFRAMES = ['1h', '4h', '1d'] as const satisfies readonly Timeframe[];

/** The conditions `--condition all` runs today; B and D wait for the LLM layer. */
const CONDITIONS_WITHOUT_LLM: readonly Condition[] = ['A', 'C'];

const conditionSchema = z.enum(['A', 'B', 'C', 'D', 'all']);
const timeframeSchema = z.enum(SUPPORTED_TIMEFRAMES);
const integerText = z.string().trim().regex(/^\d+$/).transform(Number);
const populationSchema = integerText.pipe(z.number().int().min(1).max(1000));
const seedSchema = integerText.pipe(z.number().int().min(0).max(0xffff_ffff));
const threadsSchema = integerText.pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));
const dateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .transform((text) => Date.parse(`${text}T00:00:00Z`))
  .refine((ms) => Number.isFinite(ms));

/** Runs `schema` on one flag's value; a failure becomes a ConfigError naming the flag. */
function parseFlag<T>(schema: z.ZodType<T>, flag: string, value: unknown, expected: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConfigError({ parameter: flag, value, expected });
  return parsed.data;
}

/** Parses a YYYY-MM-DD flag and rejects dates that do not exist (2023-02-30). */
function parseDate(flag: string, value: string): number {
  const ms = parseFlag(dateSchema, flag, value, 'a UTC date YYYY-MM-DD, e.g. 2022-01-01');
  if (new Date(ms).toISOString().slice(0, 10) !== value.trim()) {
    throw new ConfigError({ parameter: flag, value, expected: 'a calendar date that exists, YYYY-MM-DD' });
  }
  return ms;
}

/** Bases that have an hourly file `<dataDir>/crypto/<BASE>USDT_1h.csv.gz`. */
function availableBases(dataDir: string): string[] {
  const folder = resolve(dataDir, 'crypto');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => /^([A-Z0-9]+)USDT_1h\.csv(\.gz)?$/.exec(name)?.[1])
    .filter((base): base is string => base !== undefined)
    .sort();
}

/** Parses `--symbols BTC,ETH` (or `BTC/USDT`, `ethusdt`, spellings `resolveSymbol` accepts) against the files present in the data folder. */
function parseSymbols(value: string, dataDir: string): string[] {
  const parts = value.split(',').map((part) => part.trim());
  const known = availableBases(dataDir);
  const expected = `a comma-separated list of symbols from ${known.join(', ') || '(none found)'} (files ${resolve(dataDir, 'crypto')}/<BASE>USDT_1h.csv.gz)`;
  if (parts.length === 0 || parts.some((part) => part.length === 0)) {
    throw new ConfigError({ parameter: '--symbols', value, expected });
  }
  const symbols: string[] = [];
  for (const part of parts) {
    let symbol: string;
    try {
      symbol = resolveSymbol(part);
    } catch (error) {
      throw new ConfigError({ parameter: '--symbols', value: part, expected, cause: error });
    }
    const [base, quote] = symbol.split('/');
    if (base === undefined || quote !== 'USDT' || !known.includes(base)) {
      throw new ConfigError({ parameter: '--symbols', value: part, expected });
    }
    if (symbols.includes(symbol)) throw new ConfigError({ parameter: '--symbols', value: part, expected: 'each symbol once' });
    symbols.push(symbol);
  }
  return symbols;
}

/** Resolves `--data-dir` and checks that it is a folder. */
function parseDataDir(value: string): string {
  const path = resolve(value);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new ConfigError({ parameter: '--data-dir', value, expected: 'an existing folder holding crypto/ and news/' });
  }
  return path;
}

/**
 * Validates the raw `popagent ablation` flags.
 *
 * @param raw - the flags as commander parsed them (strings; `progress` boolean).
 * @param fileConfig - the partial PopAgentConfig read from `--config` (already validated), or `{}`.
 * @param populationFromFlag - true when `--population` was given on the command line (it then overrides the
 *   config file's `population`); false when it is commander's default.
 * @returns the typed options; dates are 00:00 UTC epoch ms, paths absolute; `threads` is `--threads` (default
 *   `os.availableParallelism()`) capped at the number of runs (conditions × symbols).
 * @throws ConfigError naming the flag, the bad value and what was expected (also for `--condition B|D`, which
 *   need an LLM endpoint, and for `--start` not before `--end`).
 * @see ../README.md (flags table)
 * @example
 * const options = parseAblationOptions({ condition: 'A', symbols: 'BTC', start: '2024-01-01', end: '2024-03-01',
 *   timeframe: '4h', population: '3', seed: '7', dataDir: 'data', out: 'out/x', progress: false }, {}, true);
 * options.symbols; // ['BTC/USDT']
 */
export function parseAblationOptions(
  raw: RawAblationFlags,
  fileConfig: Partial<PopAgentConfig>,
  populationFromFlag: boolean,
): AblationOptions {
  const condition = parseFlag(conditionSchema, '--condition', raw.condition, 'one of A, B, C, D, all');
  if ((LLM_CONDITIONS as readonly string[]).includes(condition)) {
    throw new ConfigError({
      parameter: '--condition',
      value: raw.condition,
      expected: `A, C or all: conditions ${LLM_CONDITIONS.join(' and ')} need an LLM endpoint, which is not wired in yet`,
    });
  }
  const conditions: Condition[] = condition === 'all' ? [...CONDITIONS_WITHOUT_LLM] : [condition as Condition];
  const skippedConditions: Condition[] = condition === 'all' ? [...LLM_CONDITIONS] : [];

  const timeframe = parseFlag(timeframeSchema, '--timeframe', raw.timeframe, `one of ${SUPPORTED_TIMEFRAMES.join(', ')}`);
  const start = parseDate('--start', raw.start);
  const end = parseDate('--end', raw.end);
  if (end - start < TIMEFRAME_MS[timeframe] * 2) {
    throw new ConfigError({
      parameter: '--end',
      value: raw.end,
      expected: `a date after --start ${raw.start} by at least two ${timeframe} bars`,
    });
  }
  const dataDir = parseDataDir(raw.dataDir);
  const symbols = parseSymbols(raw.symbols, dataDir);
  const population = parseFlag(populationSchema, '--population', raw.population, 'an integer from 1 to 1000');
  const seed = parseFlag(seedSchema, '--seed', raw.seed, 'an integer from 0 to 4294967295');
  const runs = conditions.length * symbols.length;
  const threads =
    raw.threads === undefined
      ? availableParallelism()
      : parseFlag(threadsSchema, '--threads', raw.threads, 'an integer ≥ 1 (threads for the runs; 1 runs them in-process)');
  if (raw.out.trim().length === 0) throw new ConfigError({ parameter: '--out', value: raw.out, expected: 'a folder path' });

  const config: Partial<PopAgentConfig> = {
    ...fileConfig,
    population: populationFromFlag || fileConfig.population === undefined ? population : fileConfig.population,
  };
  return {
    condition: condition as Condition | 'all',
    conditions,
    skippedConditions,
    symbols,
    start,
    end,
    timeframe,
    population: config.population ?? population,
    seed,
    dataDir,
    out: resolve(raw.out),
    ...(raw.config !== undefined ? { configFile: resolve(raw.config) } : {}),
    config,
    progress: raw.progress,
    threads: Math.min(threads, runs),
  };
}
