/**
 * The flag-parsing pieces shared by `popagent ablation`, `popagent pbt` and `popagent live`: commander hands over
 * strings, these turn one flag into a typed value or throw a ConfigError naming the flag, the bad value and what
 * was expected (the commands exit 2 with that one line). Each command keeps its own wording of `expected`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';
import { resolveSymbol } from '@trading-ml/market-data';

/** The --llm-* flags as commander parsed them (all optional), shared by `ablation` and `live`. */
export interface RawLlmFlags {
  readonly llmBaseUrl?: string | undefined;
  readonly llmModel?: string | undefined;
  readonly llmApiKeyEnv?: string | undefined;
  readonly llmCache?: string | undefined;
  readonly llmBudgetUsd?: string | undefined;
  readonly llmMaxTokens?: string | undefined;
  readonly llmEvery?: string | undefined;
}

/** The LLM client settings of conditions B and D, validated from {@link RawLlmFlags}. */
export interface LlmFlagSettings {
  /** Chat model name, as the endpoint (or the cache) knows it. */
  readonly model: string;
  /** OpenAI-compatible endpoint; absent = answers from `cache` only (offline replay). */
  readonly baseURL?: string;
  /** Environment variable holding the API key (the client's default OPENAI_API_KEY when absent). */
  readonly apiKeyEnv?: string;
  /** Absolute path of the SQLite response cache (each command says where it goes by default). */
  readonly cache: string;
  /** Estimated-dollar limit of the command's LLM calls. */
  readonly budgetUsd?: number;
  /** Token limit of the command's LLM calls (prompt + completion). */
  readonly maxTokens?: number;
  /** The LLM is asked every this many decisions; its view is held in between. */
  readonly every: number;
}

/** Digits only ('42', ' 7 '), as a number; pipe into `z.number()` for the range. */
export const integerText = z.string().trim().regex(/^\d+$/).transform(Number);

/** A non-negative decimal with digits on both sides of an optional point ('2.5', '10000'), as a number. */
export const decimalText = z.string().trim().regex(/^\d+(\.\d+)?$/).transform(Number);

/** An http:// or https:// URL (LLM endpoints, exchange base URLs). */
export const httpUrlText = z.url({ protocol: /^https?$/ });

/** An environment variable name: a letter or underscore, then letters, digits, underscores. */
export const envNameText = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

/**
 * Runs `schema` on one flag's value; a failure becomes a ConfigError naming the flag.
 * @param schema - the zod schema of the flag (usually a text schema piped into a range).
 * @param flag - the flag as the user types it, '--seed'.
 * @param value - the raw value (quoted in the message as given).
 * @param expected - what the flag takes, for the message, e.g. 'an integer from 0 to 4294967295'.
 * @returns the parsed value.
 * @throws ConfigError `Invalid <flag>: got <value>, expected <expected>`.
 * @example
 * parseFlag(integerText.pipe(z.number().int().min(1)), '--max-iterations', '3', 'an integer ≥ 1'); // 3
 */
export function parseFlag<T>(schema: z.ZodType<T>, flag: string, value: unknown, expected: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConfigError({ parameter: flag, value, expected });
  return parsed.data;
}

/**
 * Parses an optional flag: commander leaves a flag that was not given undefined.
 * @param value - the raw value, or undefined when the flag was not given.
 * @param parse - the parser of a given value (it throws for a bad one).
 * @returns `parse(value)`, or undefined when the flag was not given.
 * @throws whatever `parse` throws.
 * @example
 * optionalFlag(raw.llmBudgetUsd, (text) => parseFlag(decimalText, '--llm-budget-usd', text, 'dollars')); // undefined when absent
 */
export function optionalFlag<T>(value: string | undefined, parse: (text: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

/**
 * Parses a YYYY-MM-DD flag as 00:00 UTC and rejects dates that do not exist (2023-02-30).
 * @param flag - the flag, '--start'.
 * @param value - the raw value (surrounding spaces allowed).
 * @param expected - what to say for a value that is not YYYY-MM-DD.
 * @param expectedExisting - what to say for a well-formed date that does not exist (default `expected`).
 * @returns UTC epoch ms of the date's midnight.
 * @throws ConfigError naming the flag and the value.
 * @example
 * parseUtcDate('--start', '2024-01-01', 'a UTC date YYYY-MM-DD'); // 1704067200000
 */
export function parseUtcDate(flag: string, value: string, expected: string, expectedExisting: string = expected): number {
  const text = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ConfigError({ parameter: flag, value, expected });
  // Date.parse rolls 2023-02-30 over to March; only a date that exists prints back as itself.
  if (new Date(ms).toISOString().slice(0, 10) !== text) throw new ConfigError({ parameter: flag, value, expected: expectedExisting });
  return ms;
}

/**
 * Parses `--symbols BTC,ETH` (each part any spelling `resolveSymbol` accepts: 'BTC', 'BTC/USDT', 'ethusdt') into
 * unified symbols, in the order given, each once.
 * @param value - the raw comma-separated list.
 * @param expected - what the list takes, for the message (the command names its markets or files).
 * @param accept - whether a resolved pair may be traded (a bundled file exists, the quote is USDT, …).
 * @returns the unified symbols, 'BTC/USDT'.
 * @throws ConfigError on '--symbols' with the whole value for an empty part, with the part for one that does not
 *   resolve or is not accepted, and `expected: 'each symbol once'` for a repeated one.
 * @example
 * parseSymbolList('btc, ETH/USDT', 'crypto pairs', (_base, quote) => quote === 'USDT'); // ['BTC/USDT', 'ETH/USDT']
 */
export function parseSymbolList(value: string, expected: string, accept: (base: string, quote: string) => boolean): string[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => part.length === 0)) throw new ConfigError({ parameter: '--symbols', value, expected });
  const symbols: string[] = [];
  for (const part of parts) {
    let symbol: string;
    try {
      symbol = resolveSymbol(part);
    } catch (error) {
      throw new ConfigError({ parameter: '--symbols', value: part, expected, cause: error });
    }
    const [base, quote] = symbol.split('/');
    if (base === undefined || quote === undefined || !accept(base, quote)) throw new ConfigError({ parameter: '--symbols', value: part, expected });
    if (symbols.includes(symbol)) throw new ConfigError({ parameter: '--symbols', value: part, expected: 'each symbol once' });
    symbols.push(symbol);
  }
  return symbols;
}

/**
 * Resolves `--data-dir` and checks that it is a folder.
 * @param value - the raw path (relative to the working directory or absolute).
 * @returns the absolute path.
 * @throws ConfigError on '--data-dir' when the path does not exist or is not a folder.
 * @example
 * parseDataDir('data'); // '/work/main/data' when run from /work/main
 */
export function parseDataDir(value: string): string {
  const path = resolve(value);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new ConfigError({ parameter: '--data-dir', value, expected: 'an existing folder holding crypto/ and news/' });
  }
  return path;
}
