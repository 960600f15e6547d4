/**
 * The error hierarchy shared by every library. One base class with a stable `code`, and subclasses split the
 * way callers need to react: fix the configuration, fix the data, wait for more data, retry (or not) an
 * exchange call, or handle an LLM's bad output.
 *
 * @see ccxt `ts/src/base/errorHierarchy.ts` for the retryable / non-retryable split of exchange errors.
 */

/** Stable, machine-readable error codes. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DATA_INVALID'
  | 'DATA_GAP'
  | 'DATA_DUPLICATE'
  | 'DATA_ORDER'
  | 'DATA_MISSING'
  | 'LOOKAHEAD'
  | 'NOT_WARM'
  | 'STATE_INVALID'
  | 'EXCHANGE_RETRYABLE'
  | 'EXCHANGE_FATAL'
  | 'LLM_OUTPUT'
  | 'LLM_UNAVAILABLE'
  | 'BUDGET_EXCEEDED';

/** Renders a value for an error message: strings quoted, long values cut. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : String(JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Base class of every error this toolkit throws on purpose. */
export class TradingMlError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A configuration value (CLI flag, config file key, constructor option) is invalid.
 * @example
 * new ConfigError({ parameter: '--population', value: 0, expected: 'an integer ≥ 1' }).message
 * // 'Invalid --population: got 0, expected an integer ≥ 1'
 */
export class ConfigError extends TradingMlError {
  readonly parameter: string;
  readonly value: unknown;
  readonly expected: string;
  constructor(args: { parameter: string; value: unknown; expected: string; source?: string; cause?: unknown }) {
    const where = args.source ? ` in ${args.source}` : '';
    super('CONFIG_INVALID', `Invalid ${args.parameter}${where}: got ${describeValue(args.value)}, expected ${args.expected}`, {
      cause: args.cause,
    });
    this.parameter = args.parameter;
    this.value = args.value;
    this.expected = args.expected;
  }
}

/** Where in a file a data problem sits. */
export interface DataLocation {
  /** Path of the file (or another source name such as 'binance fetchOHLCV'). */
  readonly file?: string;
  /** 1-based line number, counting the header as line 1. */
  readonly line?: number;
  /** Column or field name. */
  readonly column?: string;
}

/**
 * Market or news data is invalid: a malformed row, a gap, a duplicate, out-of-order time, or a value seen
 * before it was known (lookahead). The message names the file, line and value and says what was expected.
 */
export class DataError extends TradingMlError {
  readonly location: DataLocation;
  readonly value: unknown;
  readonly expected: string;
  constructor(args: {
    code?: Extract<ErrorCode, 'DATA_INVALID' | 'DATA_GAP' | 'DATA_DUPLICATE' | 'DATA_ORDER' | 'DATA_MISSING' | 'LOOKAHEAD'>;
    location?: DataLocation;
    value: unknown;
    expected: string;
    cause?: unknown;
  }) {
    const loc = args.location ?? {};
    const parts = [loc.file, loc.line !== undefined ? `line ${loc.line}` : undefined, loc.column].filter(Boolean);
    const where = parts.length > 0 ? `${parts.join(', ')}: ` : '';
    super(args.code ?? 'DATA_INVALID', `${where}got ${describeValue(args.value)}, expected ${args.expected}`, { cause: args.cause });
    this.location = loc;
    this.value = args.value;
    this.expected = args.expected;
  }
}

/** A value was requested before an estimator or indicator has seen enough data. */
export class NotWarmError extends TradingMlError {
  readonly needed: number;
  readonly seen: number;
  constructor(args: { what: string; needed: number; seen: number }) {
    super('NOT_WARM', `${args.what} needs ${args.needed} observations before it has a value; it has seen ${args.seen}`);
    this.needed = args.needed;
    this.seen = args.seen;
  }
}

/** A snapshot or checkpoint does not have the shape the restoring object expects. */
export class StateError extends TradingMlError {
  constructor(args: { what: string; problem: string; cause?: unknown }) {
    super('STATE_INVALID', `Cannot restore ${args.what}: ${args.problem}`, { cause: args.cause });
  }
}

/**
 * An exchange call failed. `retryable` is true for network errors, timeouts and rate limits (a retry can help),
 * false for exchange-side rejections such as insufficient funds or an invalid order.
 */
export class ExchangeError extends TradingMlError {
  readonly retryable: boolean;
  readonly exchange: string;
  constructor(args: { exchange: string; retryable: boolean; message: string; cause?: unknown }) {
    super(args.retryable ? 'EXCHANGE_RETRYABLE' : 'EXCHANGE_FATAL', `${args.exchange}: ${args.message}`, { cause: args.cause });
    this.retryable = args.retryable;
    this.exchange = args.exchange;
  }
}

/** An LLM answered with output that does not fit the expected schema, even after a corrective retry. */
export class LlmOutputError extends TradingMlError {
  readonly output: string;
  constructor(args: { model: string; output: string; expected: string; cause?: unknown }) {
    super('LLM_OUTPUT', `${args.model} answered ${describeValue(args.output)}, expected ${args.expected}`, { cause: args.cause });
    this.output = args.output;
  }
}

/**
 * No LLM answer can be had: no endpoint is configured and the response cache has no entry for this request, or
 * the endpoint kept failing after the bounded retries. The message says what to configure.
 */
export class LlmUnavailableError extends TradingMlError {
  constructor(args: { message: string; cause?: unknown }) {
    super('LLM_UNAVAILABLE', args.message, { cause: args.cause });
  }
}

/**
 * A run stopped cleanly because a spending limit was reached (LLM dollars or tokens). `spent` and `limit` are in
 * the unit named by `unit`; everything done before the stop is kept.
 */
export class BudgetExceededError extends TradingMlError {
  readonly spent: number;
  readonly limit: number;
  readonly unit: string;
  constructor(args: { what: string; spent: number; limit: number; unit: string }) {
    super('BUDGET_EXCEEDED', `${args.what}: spent ${args.spent} ${args.unit} of the limit ${args.limit} ${args.unit}; the run stopped cleanly`);
    this.spent = args.spent;
    this.limit = args.limit;
    this.unit = args.unit;
  }
}
