export {
  TradingMlError,
  ConfigError,
  DataError,
  NotWarmError,
  StateError,
  ExchangeError,
  LlmOutputError,
  LlmUnavailableError,
  BudgetExceededError,
  describeValue,
} from './errors.js';
export type { ErrorCode, DataLocation } from './errors.js';
export { EXIT_USAGE, EXIT_FAILURE, cliExitCode, renameConfigParameter } from './cli-exit.js';
export { Rng, rngStateSchema } from './rng.js';
export type { RngState } from './rng.js';
export { TIMEFRAMES, TIMEFRAME_MS, PERIODS_PER_YEAR_24_7, TRADING_DAYS_PER_YEAR, isTimeframe } from './bar.js';
export type { Bar, Timeframe } from './bar.js';
export type { Snapshottable } from './snapshot.js';
export { parseState } from './state.js';
