import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Condition } from './types.js';

/**
 * Conditions that ask an LLM: `runPopAgentAsync` with a reasoner runs them; the synchronous `runPopAgent` rejects them.
 * The engine accepts them (B steps like A, D like C: the LLM only changes the committed exposure, outside the engine).
 */
export const LLM_CONDITIONS: readonly Condition[] = ['B', 'D'];
/** Every ablation condition. */
export const CONDITIONS: readonly Condition[] = ['A', 'B', 'C', 'D'];

/** What identifies one PopAgent stream: the fields checked by {@link checkEngineIdentity}. */
export interface EngineIdentity {
  readonly symbol: string;
  readonly timeframe: string;
  readonly condition: Condition;
  readonly seed: number;
  readonly periodsPerYear: number;
}

/**
 * Checks the fields shared by the engine options and the run input, in the order `runPopAgent` always checked them.
 * @throws ConfigError naming the first bad field: an unknown condition, an empty symbol, an unknown timeframe, a
 *   seed that is not a safe integer, or periodsPerYear not positive.
 */
export function checkEngineIdentity(input: EngineIdentity): void {
  if (!CONDITIONS.includes(input.condition)) {
    throw new ConfigError({ parameter: 'condition', value: input.condition, expected: "one of 'A', 'B', 'C', 'D'" });
  }
  if (typeof input.symbol !== 'string' || input.symbol.length === 0) {
    throw new ConfigError({ parameter: 'symbol', value: input.symbol, expected: "a non-empty symbol such as 'BTC/USDT'" });
  }
  if (!(input.timeframe in TIMEFRAME_MS)) {
    throw new ConfigError({ parameter: 'timeframe', value: input.timeframe, expected: `one of ${Object.keys(TIMEFRAME_MS).join(', ')}` });
  }
  if (!Number.isSafeInteger(input.seed)) throw new ConfigError({ parameter: 'seed', value: input.seed, expected: 'a safe integer' });
  if (!(input.periodsPerYear > 0) || !Number.isFinite(input.periodsPerYear)) {
    throw new ConfigError({ parameter: 'periodsPerYear', value: input.periodsPerYear, expected: 'a positive number of bars per year (2190 for 4h crypto)' });
  }
}
