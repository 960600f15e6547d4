/**
 * Validation of the `finmem-agent train|test` flags: commander hands over raw strings, this module returns one
 * typed {@link FinMemOptions} or throws a ConfigError naming the flag, the bad value and what was expected.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, PERIODS_PER_YEAR_24_7, TRADING_DAYS_PER_YEAR } from '@trading-ml/core';
import { CHARACTERS, isPostgresUrl } from '@trading-ml/llm-reasoning';
import type { Character, Phase, PositionMode } from '@trading-ml/llm-reasoning';
import { resolveSymbol } from '@trading-ml/market-data';

/** The flags exactly as commander parsed them. */
export interface RawFlags {
  readonly symbol: string;
  readonly start?: string | undefined;
  readonly end?: string | undefined;
  readonly character: string;
  readonly llmBaseUrl?: string | undefined;
  readonly llmModel?: string | undefined;
  readonly llmApiKeyEnv?: string | undefined;
  readonly llmCache?: string | undefined;
  readonly llmBudgetUsd?: string | undefined;
  readonly llmMaxTokens?: string | undefined;
  readonly memoryDb?: string | undefined;
  readonly out: string;
  readonly seed: string;
  readonly dataDir: string;
  readonly topK: string;
  readonly positions: string;
  readonly retrieval: string;
}

/** The LLM settings handed to `createLlmReasoner`. */
export interface LlmSettings {
  readonly baseURL?: string;
  readonly model: string;
  readonly apiKeyEnv?: string;
  readonly cache?: string;
  readonly budgetUsd?: number;
  readonly maxTokens?: number;
}

/** Validated options of one run. */
export interface FinMemOptions {
  readonly phase: Phase;
  /** 'TSLA' or 'BTC/USDT'. */
  readonly symbol: string;
  /** Stocks: daily files, 252 periods a year; crypto: hourly files resampled to 1d, 365 a year. */
  readonly market: 'stock' | 'crypto';
  /** First trading day, 'YYYY-MM-DD' (a bar belongs to the UTC date of its open). */
  readonly start: string;
  /** Last trading day, 'YYYY-MM-DD', inclusive. */
  readonly end: string;
  readonly character: Character;
  readonly llm: LlmSettings;
  /** Absolute path of the SQLite memory database. */
  readonly memoryDb: string;
  /** Absolute path of the output folder. */
  readonly out: string;
  readonly seed: number;
  readonly dataDir: string;
  readonly topK: number;
  readonly positions: PositionMode;
  readonly retrieval: 'bm25' | 'embedding';
  readonly periodsPerYear: number;
}

/** Default windows: train on the first half of 2023, test on the second (TSLA headlines start 2023-02). */
export const DEFAULT_WINDOWS: Readonly<Record<Phase, { start: string; end: string }>> = {
  train: { start: '2023-01-01', end: '2023-06-30' },
  test: { start: '2023-07-01', end: '2023-12-31' },
};

const integerText = z.string().trim().regex(/^\d+$/).transform(Number);

function parseFlag<T>(schema: z.ZodType<T>, flag: string, value: unknown, expected: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConfigError({ parameter: flag, value, expected });
  return parsed.data;
}

function parseDate(flag: string, value: string): string {
  const text = value.trim();
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new ConfigError({ parameter: flag, value, expected: 'a calendar date YYYY-MM-DD, e.g. 2023-07-01' });
  }
  return text;
}

function parseSymbol(value: string, dataDir: string): { symbol: string; market: 'stock' | 'crypto' } {
  let symbol: string;
  try {
    symbol = resolveSymbol(value);
  } catch (error) {
    throw new ConfigError({ parameter: '--symbol', value, expected: "a ticker such as 'TSLA' or a crypto pair such as 'BTC/USDT'", cause: error });
  }
  const market = symbol.includes('/') ? 'crypto' : 'stock';
  const stem = market === 'crypto' ? join(dataDir, 'crypto', `${symbol.replace('/', '')}_1h.csv`) : join(dataDir, 'stocks', `${symbol}_1d.csv`);
  if (!existsSync(stem) && !existsSync(`${stem}.gz`)) {
    throw new ConfigError({ parameter: '--symbol', value, expected: `a symbol with a data file (${stem}.gz not found)` });
  }
  return { symbol, market };
}

/**
 * Validates the raw flags of one phase.
 * @param phase - 'train' or 'test' (the subcommand).
 * @param raw - flags as commander parsed them.
 * @returns typed options; paths absolute; `memoryDb` defaults to `<out>/memory.sqlite`.
 * @throws ConfigError naming the flag, its value and what was expected — also when neither --llm-base-url nor an
 *   existing --llm-cache file is given (nothing could answer the LLM requests).
 * @see ../README.md (flags table)
 * @example
 * parseOptions('train', { symbol: 'TSLA', character: 'risk-seeking', llmModel: 'gpt-4o-mini', llmBaseUrl: 'http://127.0.0.1:11434/v1', out: 'out/finmem', seed: '42', dataDir: 'data', topK: '3', positions: 'long-flat', retrieval: 'bm25' });
 */
export function parseOptions(phase: Phase, raw: RawFlags): FinMemOptions {
  const dataDir = resolve(raw.dataDir);
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new ConfigError({ parameter: '--data-dir', value: raw.dataDir, expected: 'an existing folder holding stocks/, crypto/ and news/' });
  }
  const { symbol, market } = parseSymbol(raw.symbol, dataDir);
  const start = parseDate('--start', raw.start ?? DEFAULT_WINDOWS[phase].start);
  const end = parseDate('--end', raw.end ?? DEFAULT_WINDOWS[phase].end);
  if (end < start) throw new ConfigError({ parameter: '--end', value: end, expected: `a date on or after --start ${start}` });
  const character = parseFlag(z.enum(CHARACTERS as [Character, ...Character[]]), '--character', raw.character, CHARACTERS.join(' | '));
  const positions = parseFlag(z.enum(['long-flat', 'long-short']), '--positions', raw.positions, 'long-flat | long-short');
  const retrieval = parseFlag(z.enum(['bm25', 'embedding']), '--retrieval', raw.retrieval, 'bm25 | embedding');
  const topK = parseFlag(integerText.pipe(z.number().int().min(1).max(20)), '--top-k', raw.topK, 'an integer from 1 to 20 (memories per layer)');
  const seed = parseFlag(integerText.pipe(z.number().int().min(0).max(0xffff_ffff)), '--seed', raw.seed, 'an integer from 0 to 4294967295');

  const baseURL = raw.llmBaseUrl === undefined ? undefined : parseFlag(z.url({ protocol: /^https?$/ }), '--llm-base-url', raw.llmBaseUrl.trim(), "an http(s) URL such as 'http://127.0.0.1:11434/v1'");
  const cache = raw.llmCache === undefined ? undefined : resolve(raw.llmCache);
  const model = raw.llmModel?.trim();
  const modelMissing = model === undefined || model === '';
  if (baseURL === undefined && cache === undefined) {
    // Nothing LLM-related configured: say everything that is needed in one line, not one flag per attempt.
    throw new ConfigError({
      parameter: '--llm-base-url',
      value: '(not set)',
      expected:
        "an OpenAI-compatible endpoint such as 'http://127.0.0.1:11434/v1' (API key in $OPENAI_API_KEY or --llm-api-key-env NAME), or --llm-cache FILE holding every answer of this run for an offline replay" +
        (modelMissing ? "; and --llm-model NAME (e.g. 'gpt-4o-mini' or 'llama3.1:8b')" : ''),
    });
  }
  if (modelMissing) {
    throw new ConfigError({ parameter: '--llm-model', value: raw.llmModel ?? '(not set)', expected: "the model name the endpoint (or the cache) answers for, e.g. 'gpt-4o-mini' or 'llama3.1:8b'" });
  }
  if (baseURL === undefined && cache !== undefined && !existsSync(cache)) {
    throw new ConfigError({ parameter: '--llm-cache', value: raw.llmCache, expected: 'an existing cache file when no --llm-base-url is given (offline replay); or configure --llm-base-url' });
  }
  const apiKeyEnv = raw.llmApiKeyEnv === undefined ? undefined : parseFlag(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), '--llm-api-key-env', raw.llmApiKeyEnv, 'an environment variable name (letters, digits, underscore)');
  const budgetUsd = raw.llmBudgetUsd === undefined ? undefined : parseFlag(z.string().trim().regex(/^\d+(\.\d+)?$/).transform(Number).pipe(z.number().positive()), '--llm-budget-usd', raw.llmBudgetUsd, 'a positive number of US dollars, e.g. 2.5');
  const maxTokens = raw.llmMaxTokens === undefined ? undefined : parseFlag(integerText.pipe(z.number().int().positive()), '--llm-max-tokens', raw.llmMaxTokens, 'a positive integer: the token limit of the run (prompt + completion)');
  if (raw.out.trim() === '') throw new ConfigError({ parameter: '--out', value: raw.out, expected: 'a folder path' });
  const out = resolve(raw.out);
  return {
    phase,
    symbol,
    market,
    start,
    end,
    character,
    llm: {
      model,
      ...(baseURL === undefined ? {} : { baseURL }),
      ...(apiKeyEnv === undefined ? {} : { apiKeyEnv }),
      ...(cache === undefined ? {} : { cache }),
      ...(budgetUsd === undefined ? {} : { budgetUsd }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
    },
    // A postgres:// URL selects the PostgreSQL store; anything else is a SQLite file path.
    memoryDb: raw.memoryDb !== undefined && isPostgresUrl(raw.memoryDb) ? raw.memoryDb : resolve(raw.memoryDb ?? join(out, 'memory.sqlite')),
    out,
    seed,
    dataDir,
    topK,
    positions,
    retrieval,
    periodsPerYear: market === 'crypto' ? PERIODS_PER_YEAR_24_7['1d'] : TRADING_DAYS_PER_YEAR,
  };
}
