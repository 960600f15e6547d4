/**
 * What every PBT member needs besides its hyperparameters: which data, which walk-forward windows, how many
 * agents per engine and how a window is scored. A train job carries only hyperparameters, a state and a seed
 * (it may run on another thread or machine), so this description travels as one extra, never-explored
 * hyperparameter (`RUN_KEY`, a JSON string validated with zod where a member is built).
 */
import { z } from 'zod';
import { ConfigError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import type { Hyperparameters } from '@trading-ml/pbt';
import { FITNESS_KINDS } from './fitness.js';
import type { FitnessKind } from './fitness.js';

/** The hyperparameter key that carries the run description (outside the search space: PBT never changes it). */
export const RUN_KEY = 'run';

/** The description of a PBT run shared by all its members. */
export interface RunSpec {
  /** Absolute path of the data folder (holding crypto/). */
  readonly dataDir: string;
  /** ccxt symbols, e.g. ['BTC/USDT', 'ETH/USDT']; one PopAgent engine per symbol. */
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** First decision time of the first window, UTC ms. */
  readonly start: number;
  /** End of the last PBT window, UTC ms (bars closing at or after it are never seen by PBT). */
  readonly end: number;
  /** Number of walk-forward windows: generations + 1. */
  readonly windows: number;
  /** PopAgent agents per engine (PopAgentConfig.population). */
  readonly agents: number;
  readonly fitness: FitnessKind;
  /** Drawdown cap of the 'sharpe-dd-cap' fitness, a fraction. */
  readonly drawdownCap: number;
}

const runSpecSchema = z.strictObject({
  dataDir: z.string().min(1),
  symbols: z.array(z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/)).min(1),
  timeframe: z.enum(['1h', '4h', '1d']),
  start: z.int(),
  end: z.int(),
  windows: z.int().min(2),
  agents: z.int().min(1).max(1000),
  fitness: z.enum(FITNESS_KINDS),
  drawdownCap: z.number().gt(0).lte(1),
});

/**
 * Writes a run description as the string value of `RUN_KEY`.
 *
 * @param spec - the run description.
 * @returns compact JSON with the keys in a fixed order (equal specs give equal strings).
 * @throws never.
 * @see decodeRunSpec
 * @example
 * const hyperparameters = { ...sampled, [RUN_KEY]: encodeRunSpec(spec) };
 */
export function encodeRunSpec(spec: RunSpec): string {
  const { dataDir, symbols, timeframe, start, end, windows, agents, fitness, drawdownCap } = spec;
  return JSON.stringify({ dataDir, symbols, timeframe, start, end, windows, agents, fitness, drawdownCap });
}

/**
 * Reads and validates the run description of a member's hyperparameters.
 *
 * @param hyperparameters - a member's hyperparameters holding `RUN_KEY`.
 * @returns the run description.
 * @throws ConfigError naming `hyperparameters.run` when it is missing, not JSON or not a valid description.
 * @see encodeRunSpec
 * @example
 * decodeRunSpec({ run: encodeRunSpec(spec) }).symbols; // spec.symbols
 */
export function decodeRunSpec(hyperparameters: Hyperparameters): RunSpec {
  const text = hyperparameters[RUN_KEY];
  const expected = 'the JSON run description written by `popagent pbt` (dataDir, symbols, timeframe, start, end, windows, agents, fitness, drawdownCap)';
  if (typeof text !== 'string') throw new ConfigError({ parameter: `hyperparameters.${RUN_KEY}`, value: text, expected });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError({ parameter: `hyperparameters.${RUN_KEY}`, value: text, expected, cause: error });
  }
  const parsed = runSpecSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError({ parameter: `hyperparameters.${RUN_KEY}`, value: text, expected: `${expected}; ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
  return parsed.data;
}

/**
 * Boundaries of the walk-forward windows: [start, end) cut into `count` consecutive windows of (nearly) equal
 * length, each boundary on the timeframe's grid.
 *
 * @param start - first decision time, UTC ms.
 * @param end - end of the last window, UTC ms (exclusive: a bar closing at `end` belongs to the next period).
 * @param count - number of windows, ≥ 1.
 * @param timeframe - bar timeframe; boundaries are multiples of its length after `start`.
 * @returns `count + 1` increasing times: window k holds the decisions at closes in [b[k], b[k + 1]).
 * @throws ConfigError when a window would hold fewer than two bars.
 * @see Pardo (2008), "The Evaluation and Optimization of Trading Strategies", ch. 11 (walk-forward analysis)
 * @example
 * windowBounds(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 7), 3, '1d'); // [Jan 1, Jan 3, Jan 5, Jan 7]
 */
export function windowBounds(start: number, end: number, count: number, timeframe: Timeframe): number[] {
  const bar = TIMEFRAME_MS[timeframe];
  const totalBars = Math.floor((end - start) / bar);
  if (totalBars < 2 * count) {
    throw new ConfigError({
      parameter: '--end',
      value: new Date(end).toISOString().slice(0, 10),
      expected: `a date leaving at least two ${timeframe} bars per window after --start (${count} windows = generations + 1; ${totalBars} bars available)`,
    });
  }
  const bounds = Array.from({ length: count }, (_, k) => start + Math.round((k * totalBars) / count) * bar);
  bounds.push(end);
  return bounds;
}
