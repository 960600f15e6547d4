/**
 * Validation of the `popagent live` flags: commander hands over strings and booleans; this module returns one
 * typed {@link LiveOptions} or throws a ConfigError naming the flag, the bad value and what was expected (the
 * command exits 2 with that one line).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import type { LiveCheckpoint, LiveMode, RiskLimits } from '@trading-ml/live';
import { DEFAULT_LLM_EVERY } from '@trading-ml/popagent';
import type { PopAgentConfig } from '@trading-ml/popagent';
import { decimalText, envNameText, httpUrlText, integerText, optionalFlag, parseDataDir, parseFlag, parseSymbolList } from '../flag-parsers.js';
import type { LlmFlagSettings, RawLlmFlags } from '../flag-parsers.js';
import { SUPPORTED_TIMEFRAMES } from '../options.js';
import type { LiveCondition } from './popagent-strategy.js';

/** The flags as commander parsed them (with the --llm-* flags of --use-llm). */
export interface RawLiveFlags extends RawLlmFlags {
  readonly symbols: string;
  readonly interval?: string | undefined;
  readonly useLlm?: boolean;
  readonly useNews?: boolean;
  readonly testnet?: boolean;
  readonly liveReal?: boolean;
  readonly iUnderstandRealMoney?: boolean;
  readonly testOnce?: boolean;
  readonly dryRun?: boolean;
  readonly stateDir?: string | undefined;
  readonly exchange: string;
  readonly source: string;
  readonly timeframe: string;
  readonly seed: string;
  readonly maxOrderNotional?: string | undefined;
  readonly maxSymbolNotional?: string | undefined;
  readonly maxExposure?: string | undefined;
  readonly dailyLossStop?: string | undefined;
  readonly maxDrawdown?: string | undefined;
  readonly resetKillSwitch?: boolean;
  readonly warmupBars: string;
  readonly initialCash: string;
  readonly dataDir: string;
  /** Path of a JSON file with a partial PopAgentConfig (read by the command before parsing). */
  readonly config?: string | undefined;
  readonly asOf?: string | undefined;
  readonly maxIterations?: string | undefined;
  readonly exchangeUrl?: string | undefined;
  readonly recvWindow?: string | undefined;
  readonly pauseAt?: string | undefined;
}

/**
 * The LLM client settings of conditions B and D (--use-llm), from the --llm-* flags: the cache defaults to
 * `<state-dir>/llm-cache.sqlite`; the budget and token limits hold for this process's calls.
 */
export type LiveLlmSettings = LlmFlagSettings;

/** Where bars come from: the exchange (ccxt) or the bundled files replayed as if live. */
export type LiveSource = 'exchange' | 'bundled';

/** Validated options of one `popagent live` run. Times UTC ms, money in quote currency. */
export interface LiveOptions {
  readonly mode: LiveMode;
  readonly source: LiveSource;
  readonly exchange: 'binance' | 'bybit';
  /** Unified symbols, 'BTC/USDT', in the order given. */
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** Time between iterations, ms. */
  readonly intervalMs: number;
  readonly condition: LiveCondition;
  readonly seed: number;
  readonly testOnce: boolean;
  readonly dryRun: boolean;
  /** Absolute path of the state folder (SQLite state, log, run identity). */
  readonly stateDir: string;
  readonly risk: RiskLimits;
  readonly resetKillSwitch: boolean;
  /** Closed bars fed to the population (not traded) on the first start. */
  readonly warmupBars: number;
  /** Capital of each symbol's book, quote currency. */
  readonly initialCash: number;
  /** Absolute path of the data folder (bundled bars, news). */
  readonly dataDir: string;
  /** Partial PopAgentConfig from --config. */
  readonly config: Partial<PopAgentConfig>;
  /** "Now" of the first iteration on a simulated clock, or null for the wall clock (bundled: its last close). */
  readonly asOf: number | null;
  /** Stop after this many iterations, or null (run until stopped or the bundled data ends). */
  readonly maxIterations: number | null;
  /** Hidden test flag: base URL replacing every API url of the ccxt exchange. */
  readonly exchangeUrl: string | null;
  /** The exchange's receive window for signed requests, ms, or null for ccxt's default (Binance 10 000, Bybit 5 000). */
  readonly recvWindowMs: number | null;
  /** Hidden test flag: halt forever at this checkpoint of the first iteration reaching it (kill -9 tests). */
  readonly pauseAt: LiveCheckpoint | null;
  /** The LLM of conditions B/D, or null. */
  readonly llm: LiveLlmSettings | null;
}

const CHECKPOINTS = ['after-commit', 'before-send', 'after-send', 'after-iteration'] as const satisfies readonly LiveCheckpoint[];

/** The mode from --testnet / --live-real / --i-understand-real-money. */
function parseMode(raw: RawLiveFlags): LiveMode {
  if (raw.liveReal === true && raw.testnet === true) {
    throw new ConfigError({ parameter: '--testnet', value: true, expected: 'either --testnet or --live-real, not both' });
  }
  if (raw.liveReal === true) {
    if (raw.iUnderstandRealMoney !== true) {
      throw new ConfigError({ parameter: '--live-real', value: true, expected: 'also the flag --i-understand-real-money (real orders with real money); without both, use paper (default) or --testnet' });
    }
    return 'real';
  }
  if (raw.iUnderstandRealMoney === true) {
    throw new ConfigError({ parameter: '--i-understand-real-money', value: true, expected: 'only together with --live-real' });
  }
  return raw.testnet === true ? 'testnet' : 'paper';
}

/** Parses `--symbols BTC,ETH` (also 'BTC/USDT', 'ethusdt'): crypto pairs, each once. */
function parseSymbols(value: string, source: LiveSource, dataDir: string): string[] {
  const expected =
    source === 'bundled'
      ? `a comma-separated list of crypto bases with a file ${resolve(dataDir, 'crypto')}/<BASE>USDT_1h.csv.gz, e.g. BTC,ETH,SOL`
      : 'a comma-separated list of crypto pairs such as BTC,ETH,SOL (quote USDT) or BTC/USDT';
  return parseSymbolList(value, expected, (base, quote) => {
    if (source !== 'bundled') return true;
    const file = resolve(dataDir, 'crypto', `${base}${quote}_1h.csv`);
    return existsSync(file) || existsSync(`${file}.gz`);
  });
}

/** Parses --as-of: 'YYYY-MM-DD' (00:00 UTC) or 'YYYY-MM-DDTHH:MM[:SS[.mmm]]Z'. */
function parseTime(flag: string, value: string): number {
  const text = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ConfigError({ parameter: flag, value, expected: 'a UTC time YYYY-MM-DD or YYYY-MM-DDTHH:MMZ, e.g. 2024-12-30T08:00Z' });
  return ms;
}

/** Parses one risk flag: a notional (> 0, quote) or a fraction in (0, 1). */
function riskFlag(flag: string, value: string | undefined, kind: 'notional' | 'fraction' | 'exposure'): number | undefined {
  return optionalFlag(value, (text) => {
    const schema = kind === 'fraction' ? decimalText.pipe(z.number().gt(0).lt(1)) : decimalText.pipe(z.number().positive().finite());
    const expected = kind === 'notional' ? 'an amount of quote currency > 0, e.g. 1000' : kind === 'fraction' ? 'a fraction in (0, 1), e.g. 0.05' : 'a fraction of total equity > 0, e.g. 0.8';
    return parseFlag(schema, flag, text, expected);
  });
}

/**
 * Validates the raw `popagent live` flags.
 *
 * @param raw - the flags as commander parsed them.
 * @param config - the partial PopAgentConfig of --config (already validated), or {}.
 * @returns the typed options: times in ms, money in quote, paths absolute. The state folder defaults to
 *   `out/live/<mode>` (`out/live/paper-bundled` for --source bundled).
 * @throws ConfigError naming the flag: --live-real without --i-understand-real-money, --use-llm without --llm-model
 *   and an endpoint or cache, conflicting modes, --source bundled outside paper mode, and every malformed value.
 * @see ../../README.md, "popagent live"
 * @example
 * parseLiveOptions({ symbols: 'BTC', exchange: 'binance', source: 'bundled', timeframe: '4h', seed: '42',
 *   warmupBars: '1000', initialCash: '10000', dataDir: 'data', testOnce: true }, {}).stateDir; // …/out/live/paper-bundled
 */
export function parseLiveOptions(raw: RawLiveFlags, config: Partial<PopAgentConfig>): LiveOptions {
  const mode = parseMode(raw);
  const source = parseFlag(z.enum(['exchange', 'bundled']), '--source', raw.source, "'exchange' (ccxt) or 'bundled' (the data folder, offline)");
  if (source === 'bundled' && mode !== 'paper') {
    throw new ConfigError({ parameter: '--source', value: raw.source, expected: "'exchange' with --testnet or --live-real (the bundled data supports paper mode only)" });
  }
  const exchange = parseFlag(z.enum(['binance', 'bybit']), '--exchange', raw.exchange, "'binance' or 'bybit'");
  const timeframe = parseFlag(z.enum(SUPPORTED_TIMEFRAMES), '--timeframe', raw.timeframe, `one of ${SUPPORTED_TIMEFRAMES.join(', ')}`);
  const dataDir = parseDataDir(raw.dataDir);
  const symbols = parseSymbols(raw.symbols, source, dataDir);
  const intervalHours = raw.interval === undefined ? TIMEFRAME_MS[timeframe] / 3_600_000 : parseFlag(decimalText.pipe(z.number().min(1 / 60).max(24 * 7)), '--interval', raw.interval, 'hours between iterations, from 0.0167 (one minute) to 168, e.g. 4.0');
  const seed = parseFlag(integerText.pipe(z.number().int().max(0xffff_ffff)), '--seed', raw.seed, 'an integer from 0 to 4294967295');
  const warmupBars = parseFlag(integerText.pipe(z.number().int().max(100_000)), '--warmup-bars', raw.warmupBars, 'an integer from 0 to 100000 (bars)');
  const initialCash = parseFlag(decimalText.pipe(z.number().positive().finite()), '--initial-cash', raw.initialCash, 'an amount of quote currency > 0 per symbol, e.g. 10000');
  const risk: RiskLimits = Object.fromEntries(
    Object.entries({
      maxOrderNotional: riskFlag('--max-order-notional', raw.maxOrderNotional, 'notional'),
      maxSymbolNotional: riskFlag('--max-symbol-notional', raw.maxSymbolNotional, 'notional'),
      maxTotalExposure: riskFlag('--max-exposure', raw.maxExposure, 'exposure'),
      maxDailyLoss: riskFlag('--daily-loss-stop', raw.dailyLossStop, 'fraction'),
      maxDrawdown: riskFlag('--max-drawdown', raw.maxDrawdown, 'fraction'),
    }).filter(([, value]) => value !== undefined),
  );
  const asOf = optionalFlag(raw.asOf, (text) => parseTime('--as-of', text)) ?? null;
  const maxIterations = optionalFlag(raw.maxIterations, (text) => parseFlag(integerText.pipe(z.number().int().min(1)), '--max-iterations', text, 'an integer ≥ 1')) ?? null;
  if (asOf !== null && mode === 'real') throw new ConfigError({ parameter: '--as-of', value: raw.asOf, expected: 'no --as-of with --live-real (real orders follow the wall clock)' });
  if (asOf !== null && source === 'exchange' && raw.testOnce !== true && maxIterations === null) {
    throw new ConfigError({ parameter: '--as-of', value: raw.asOf, expected: 'also --test-once or --max-iterations with --source exchange (a simulated clock would otherwise run ahead of the exchange forever)' });
  }
  const exchangeUrl = optionalFlag(raw.exchangeUrl, (text) => {
    if (mode === 'real' || source === 'bundled') throw new ConfigError({ parameter: '--exchange-url', value: text, expected: 'only with --source exchange in paper or testnet mode' });
    return parseFlag(httpUrlText, '--exchange-url', text.trim(), 'an http(s) base URL such as http://127.0.0.1:8080');
  }) ?? null;
  const recvWindowMs = optionalFlag(raw.recvWindow, (text) => parseFlag(integerText.pipe(z.number().int().min(1).max(60_000)), '--recv-window', text, 'an integer number of ms from 1 to 60000')) ?? null;
  const pauseAt = optionalFlag(raw.pauseAt, (text) => parseFlag(z.enum(CHECKPOINTS), '--pause-at', text, `one of ${CHECKPOINTS.join(', ')}`)) ?? null;
  const defaultFolder = source === 'bundled' ? 'paper-bundled' : mode;
  const stateDirText = raw.stateDir ?? `out/live/${defaultFolder}`;
  if (stateDirText.trim().length === 0) throw new ConfigError({ parameter: '--state-dir', value: raw.stateDir, expected: 'a folder path' });
  const stateDir = resolve(stateDirText);
  const useNews = raw.useNews === true;
  const llm = raw.useLlm === true ? parseLlm(raw, stateDir) : null;
  return {
    mode,
    source,
    exchange,
    symbols,
    timeframe,
    intervalMs: Math.round(intervalHours * 3_600_000),
    condition: llm !== null ? (useNews ? 'D' : 'B') : useNews ? 'C' : 'A',
    seed,
    testOnce: raw.testOnce === true,
    dryRun: raw.dryRun === true,
    stateDir,
    risk,
    resetKillSwitch: raw.resetKillSwitch === true,
    warmupBars,
    initialCash,
    dataDir,
    config,
    asOf,
    maxIterations,
    exchangeUrl,
    recvWindowMs,
    pauseAt,
    llm,
  };
}

/** What --use-llm needs, for the error message. */
const LLM_SETUP =
  'also --llm-model NAME and either --llm-base-url URL (an OpenAI-compatible endpoint such as http://127.0.0.1:11434/v1; API key in $OPENAI_API_KEY or the variable named by --llm-api-key-env) or an --llm-cache FILE holding the answers';

/** The --llm-* flags of --use-llm (conditions B/D). */
function parseLlm(raw: RawLiveFlags, stateDir: string): LiveLlmSettings {
  const model = raw.llmModel?.trim() ?? '';
  if (model.length === 0 || (raw.llmBaseUrl === undefined && raw.llmCache === undefined)) {
    throw new ConfigError({ parameter: '--use-llm', value: true, expected: LLM_SETUP });
  }
  const baseURL = optionalFlag(raw.llmBaseUrl, (text) => parseFlag(httpUrlText, '--llm-base-url', text.trim(), 'an http(s) URL such as http://127.0.0.1:11434/v1'));
  const apiKeyEnv = optionalFlag(raw.llmApiKeyEnv, (text) => parseFlag(envNameText, '--llm-api-key-env', text, 'an environment variable name such as OPENAI_API_KEY'));
  const budgetUsd = optionalFlag(raw.llmBudgetUsd, (text) => parseFlag(decimalText.pipe(z.number().positive().finite()), '--llm-budget-usd', text, 'dollars > 0, e.g. 2.5'));
  const maxTokens = optionalFlag(raw.llmMaxTokens, (text) => parseFlag(integerText.pipe(z.number().int().min(1)), '--llm-max-tokens', text, 'an integer ≥ 1 (tokens)'));
  const every = raw.llmEvery === undefined ? DEFAULT_LLM_EVERY : parseFlag(integerText.pipe(z.number().int().min(1).max(10_000)), '--llm-every', raw.llmEvery, 'an integer from 1 to 10000 (decisions)');
  return {
    model,
    cache: raw.llmCache !== undefined ? resolve(raw.llmCache) : resolve(stateDir, 'llm-cache.sqlite'),
    every,
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(apiKeyEnv !== undefined ? { apiKeyEnv } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
  };
}
