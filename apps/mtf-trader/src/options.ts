/**
 * The command-line flags, validated with zod: a bad value becomes a ConfigError naming the flag, the value and
 * what was expected (the CLI prints it on one line and exits 2).
 */
import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';
import { instantSchema, parseInstant } from './config.js';

/** Flags as commander hands them over (strings, booleans, undefined). */
export interface RawFlags {
  readonly mode?: string;
  readonly symbols?: string;
  readonly config?: string;
  /** false when --no-load-models was given. */
  readonly loadModels?: boolean;
  readonly modelsDir?: string;
  readonly out?: string;
  readonly seed?: string;
  readonly start?: string;
  readonly end?: string;
  readonly dataDir?: string;
  readonly backend?: string;
}

/** Validated run options (the configuration file is read separately). */
export interface RunOptions {
  readonly mode: 'train' | 'trade';
  /** ccxt pairs, e.g. ['BTC/USDT', 'ETH/USDT']. */
  readonly symbols: readonly string[];
  readonly configFile?: string;
  readonly loadModels: boolean;
  readonly modelsDir: string;
  readonly outDir: string;
  readonly seed: number;
  /** Overrides the mode's window start, UTC ms. */
  readonly start?: number;
  /** Overrides the mode's window end, UTC ms. */
  readonly end?: number;
  readonly dataDir?: string;
  readonly backend?: 'tensorflow' | 'wasm' | 'cpu';
}

const FLAGS = {
  mode: [z.enum(['train', 'trade']), "'train' or 'trade'"],
  symbols: [z.string().regex(/^[A-Z0-9]{2,10}(,[A-Z0-9]{2,10})*$/i), "a comma-separated list of bases such as 'BTC,ETH'"],
  seed: [z.string().regex(/^-?\d{1,15}$/).transform(Number).pipe(z.int()), 'an integer'],
  start: [instantSchema, "a UTC date '2024-10-01' or timestamp '2024-10-01T05:00:00Z'"],
  end: [instantSchema, "a UTC date '2024-11-04' or timestamp '2024-11-04T20:00:00Z'"],
  'models-dir': [z.string().min(1), 'a folder path'],
  out: [z.string().min(1), 'a folder path'],
  'data-dir': [z.string().min(1), 'a folder path'],
  backend: [z.enum(['tensorflow', 'wasm', 'cpu']), "'tensorflow', 'wasm' or 'cpu'"],
} as const;

function flag<K extends keyof typeof FLAGS>(name: K, raw: string): z.output<(typeof FLAGS)[K][0]> {
  const [schema, expected] = FLAGS[name];
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError({ parameter: `--${name}`, value: raw, expected });
  return result.data as z.output<(typeof FLAGS)[K][0]>;
}

/**
 * Validates the flags.
 * @param raw - commander's option values.
 * @returns the run options; symbols upper-cased and quoted in USDT ('BTC' → 'BTC/USDT').
 * @throws ConfigError naming the first bad flag (e.g. `Invalid --mode: got "test", expected 'train' or 'trade'`);
 *   --start after --end; a symbol repeated.
 * @example
 * parseRunOptions({ mode: 'trade', symbols: 'BTC,ETH' }).symbols; // ['BTC/USDT', 'ETH/USDT']
 */
export function parseRunOptions(raw: RawFlags): RunOptions {
  if (raw.mode === undefined) throw new ConfigError({ parameter: '--mode', value: undefined, expected: "'train' or 'trade'" });
  const mode = flag('mode', raw.mode);
  const symbols = flag('symbols', raw.symbols ?? 'BTC,ETH')
    .split(',')
    .map((base) => `${base.toUpperCase()}/USDT`);
  if (new Set(symbols).size !== symbols.length) throw new ConfigError({ parameter: '--symbols', value: raw.symbols, expected: 'each symbol once' });
  const start = raw.start !== undefined ? parseInstant(flag('start', raw.start)) : undefined;
  const end = raw.end !== undefined ? parseInstant(flag('end', raw.end)) : undefined;
  if (start !== undefined && end !== undefined && start >= end) throw new ConfigError({ parameter: '--start', value: raw.start, expected: `a time before --end ${raw.end}` });
  return {
    mode,
    symbols,
    ...(raw.config !== undefined ? { configFile: raw.config } : {}),
    loadModels: raw.loadModels !== false,
    modelsDir: flag('models-dir', raw.modelsDir ?? 'out/mtf/models'),
    outDir: flag('out', raw.out ?? `out/mtf/${mode}`),
    seed: flag('seed', raw.seed ?? '42'),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(raw.dataDir !== undefined ? { dataDir: flag('data-dir', raw.dataDir) } : {}),
    ...(raw.backend !== undefined ? { backend: flag('backend', raw.backend) } : {}),
  };
}
