/**
 * Validation of the `popagent ablation` flags. Commander hands over raw strings; this module turns them into
 * one typed {@link AblationOptions} object, or throws a ConfigError that names the flag, the bad value and
 * what was expected. Everything after this point works with plain typed values.
 */
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import type { Condition, PopAgentConfig } from '@trading-ml/popagent';
import { DEFAULT_LLM_EVERY, LLM_CONDITIONS } from '@trading-ml/popagent';
import { decimalText, envNameText, httpUrlText, integerText, optionalFlag, parseDataDir, parseFlag, parseSymbolList, parseUtcDate } from './flag-parsers.js';
import type { LlmFlagSettings, RawLlmFlags } from './flag-parsers.js';

/** The flags exactly as commander parsed them (strings, plus the boolean `progress`; the --llm-* flags of B and D). */
export interface RawAblationFlags extends RawLlmFlags {
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

/**
 * The LLM client settings of conditions B and D, from the --llm-* flags: the cache defaults to
 * `<out>/llm-cache.sqlite`; the budget and token limits hold for the whole ablation.
 */
export type AblationLlmSettings = LlmFlagSettings;

/** Validated options of one ablation. */
export interface AblationOptions {
  /** What the user asked for: one condition or 'all'. */
  readonly condition: Condition | 'all';
  /** The conditions that will actually run (for 'all': A and C, plus B and D when an LLM is configured). */
  readonly conditions: readonly Condition[];
  /** Conditions asked for but skipped because no LLM endpoint or cache was configured. */
  readonly skippedConditions: readonly Condition[];
  /** The LLM client of conditions B and D; present exactly when one of them runs. */
  readonly llm?: AblationLlmSettings;
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
   * Threads that run the (condition, symbol) runs of A and C, at most one per run: 1 runs them in-process one
   * after the other, more runs them on a pool of worker threads. B and D always run in-process (they share the
   * LLM client, its cache and its budget).
   */
  readonly threads: number;
}

/** Timeframes the app can build from the bundled hourly files (resampling only goes up). */
export const SUPPORTED_TIMEFRAMES = ['1h', '4h', '1d'] as const satisfies readonly Timeframe[];

/** The conditions `--condition all` runs without an LLM. */
const CONDITIONS_WITHOUT_LLM: readonly Condition[] = ['A', 'C'];
/** Every condition, in table and results order. */
const ALL_CONDITIONS: readonly Condition[] = ['A', 'B', 'C', 'D'];

/** What to configure for B and D, quoted in the errors and the skip notice. */
export const LLM_SETUP_HINT =
  "--llm-base-url URL and --llm-model NAME (an OpenAI-compatible endpoint such as http://127.0.0.1:11434/v1; API key in $OPENAI_API_KEY or the variable named by --llm-api-key-env), or --llm-cache FILE with --llm-model NAME to replay an earlier run's answers offline";

const conditionSchema = z.enum(['A', 'B', 'C', 'D', 'all']);
const timeframeSchema = z.enum(SUPPORTED_TIMEFRAMES);
const populationSchema = integerText.pipe(z.number().int().min(1).max(1000));
const seedSchema = integerText.pipe(z.number().int().min(0).max(0xffff_ffff));
const threadsSchema = integerText.pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));
const llmEverySchema = integerText.pipe(z.number().int().min(1).max(10_000));
const budgetSchema = decimalText.pipe(z.number().positive());
const tokensSchema = integerText.pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** Parses a YYYY-MM-DD flag and rejects dates that do not exist (2023-02-30). */
function parseDate(flag: string, value: string): number {
  return parseUtcDate(flag, value, 'a UTC date YYYY-MM-DD, e.g. 2022-01-01', 'a calendar date that exists, YYYY-MM-DD');
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
  const known = availableBases(dataDir);
  const expected = `a comma-separated list of symbols from ${known.join(', ') || '(none found)'} (files ${resolve(dataDir, 'crypto')}/<BASE>USDT_1h.csv.gz)`;
  return parseSymbolList(value, expected, (base, quote) => quote === 'USDT' && known.includes(base));
}

/**
 * Validates the raw `popagent ablation` flags.
 *
 * @param raw - the flags as commander parsed them (strings; `progress` boolean).
 * @param fileConfig - the partial PopAgentConfig read from `--config` (already validated), or `{}`.
 * @param populationFromFlag - true when `--population` was given on the command line (it then overrides the
 *   config file's `population`); false when it is commander's default.
 * @returns the typed options; dates are 00:00 UTC epoch ms, paths absolute; `threads` is `--threads` (default
 *   `os.availableParallelism()`) capped at the number of A/C runs (conditions × symbols); `llm` when B or D runs.
 * @throws ConfigError naming the flag, the bad value and what was expected (also for `--condition B|D` without
 *   --llm-base-url or --llm-cache, saying what to configure, and for `--start` not before `--end`).
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
  const llmConfigured = raw.llmBaseUrl !== undefined || raw.llmCache !== undefined;
  if ((LLM_CONDITIONS as readonly string[]).includes(condition) && !llmConfigured) {
    throw new ConfigError({
      parameter: '--condition',
      value: raw.condition,
      expected: `A, C or all without an LLM: condition ${condition} needs an LLM endpoint; configure ${LLM_SETUP_HINT}`,
    });
  }
  const conditions: Condition[] =
    condition === 'all' ? (llmConfigured ? [...ALL_CONDITIONS] : [...CONDITIONS_WITHOUT_LLM]) : [condition as Condition];
  const skippedConditions: Condition[] = condition === 'all' && !llmConfigured ? [...LLM_CONDITIONS] : [];
  const runsLlm = conditions.some((c) => LLM_CONDITIONS.includes(c));

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
  if (raw.out.trim().length === 0) throw new ConfigError({ parameter: '--out', value: raw.out, expected: 'a folder path' });
  const out = resolve(raw.out);
  const llm = runsLlm ? parseLlmFlags(raw, out) : undefined;
  // B and D run in-process; the threads serve the other runs.
  const runs = Math.max(1, conditions.filter((c) => !LLM_CONDITIONS.includes(c)).length * symbols.length);
  const threads =
    raw.threads === undefined
      ? availableParallelism()
      : parseFlag(threadsSchema, '--threads', raw.threads, 'an integer ≥ 1 (threads for the runs; 1 runs them in-process)');

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
    out,
    ...(llm !== undefined ? { llm } : {}),
    ...(raw.config !== undefined ? { configFile: resolve(raw.config) } : {}),
    config,
    progress: raw.progress,
    threads: Math.min(threads, runs),
  };
}

/**
 * Validates the --llm-* flags of a run that includes B or D.
 *
 * @param raw - the raw flags (at least one of --llm-base-url, --llm-cache is set).
 * @param out - the absolute output folder (home of the default cache file).
 * @returns the client settings.
 * @throws ConfigError for a missing --llm-model, a bad URL, a missing cache file when replaying offline (no
 *   --llm-base-url), a bad variable name, budget, token limit or --llm-every.
 */
function parseLlmFlags(raw: RawAblationFlags, out: string): AblationLlmSettings {
  const model = raw.llmModel?.trim();
  if (model === undefined || model === '') {
    throw new ConfigError({
      parameter: '--llm-model',
      value: raw.llmModel ?? '(not set)',
      expected: "the model name the endpoint (or the cache) answers for, e.g. 'gpt-4o-mini' or 'llama3.1:8b' (conditions B and D)",
    });
  }
  const baseURL = optionalFlag(raw.llmBaseUrl, (text) => parseFlag(httpUrlText, '--llm-base-url', text.trim(), "an http(s) URL such as 'http://127.0.0.1:11434/v1'"));
  let cache: string;
  if (raw.llmCache === undefined) {
    cache = join(out, 'llm-cache.sqlite');
  } else {
    if (raw.llmCache.trim() === '') throw new ConfigError({ parameter: '--llm-cache', value: raw.llmCache, expected: 'a SQLite file path' });
    cache = resolve(raw.llmCache);
    if (baseURL === undefined && !existsSync(cache)) {
      throw new ConfigError({ parameter: '--llm-cache', value: raw.llmCache, expected: `an existing cache file when no --llm-base-url is given (offline replay); or configure ${LLM_SETUP_HINT}` });
    }
  }
  const apiKeyEnv = optionalFlag(raw.llmApiKeyEnv, (text) => parseFlag(envNameText, '--llm-api-key-env', text, 'an environment variable name (letters, digits, underscore)'));
  const budgetUsd = optionalFlag(raw.llmBudgetUsd, (text) => parseFlag(budgetSchema, '--llm-budget-usd', text, 'a positive number of US dollars, e.g. 2.5'));
  const maxTokens = optionalFlag(raw.llmMaxTokens, (text) => parseFlag(tokensSchema, '--llm-max-tokens', text, 'a positive integer: the token limit of the ablation (prompt + completion)'));
  const every = raw.llmEvery === undefined ? DEFAULT_LLM_EVERY : parseFlag(llmEverySchema, '--llm-every', raw.llmEvery, 'an integer from 1 to 10000 (decisions between LLM consultations)');
  return {
    model,
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(apiKeyEnv !== undefined ? { apiKeyEnv } : {}),
    cache,
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    every,
  };
}
