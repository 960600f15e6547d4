/**
 * The run configuration: every hyperparameter declared once, with its default and unit. A YAML file (`--config`)
 * may set any subset; zod validates it and an error names the key, the value and what was expected.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, TIMEFRAMES } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';

const timeframe = z.enum(TIMEFRAMES as [Timeframe, ...Timeframe[]], { error: `one of ${TIMEFRAMES.join(', ')}` });
const fraction = (error: string) => z.number({ error }).min(0, { error }).max(1, { error });
const positiveInt = (error: string) => z.int({ error }).min(1, { error });
const units = z.array(positiveInt('an integer ≥ 1'), { error: 'a list of layer sizes such as [16, 32]' }).min(1, { error: 'at least one layer' });
/** ISO-8601 UTC instant or date: '2024-07-26' or '2024-07-26T15:00:00Z'. */
export const instantSchema = z
  .string({ error: "a UTC date '2024-07-26' or timestamp '2024-07-26T15:00:00Z'" })
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/, { error: "a UTC date '2024-07-26' or timestamp '2024-07-26T15:00:00Z'" })
  .refine((s) => Number.isFinite(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), { error: 'a real calendar date' });

const windowSchema = z.strictObject({ start: instantSchema, end: instantSchema }).refine((w) => parseInstant(w.start) < parseInstant(w.end), { error: 'start before end' });

const weightsSchema = z.strictObject(Object.fromEntries(TIMEFRAMES.map((tf) => [tf, z.number({ error: 'a weight ≥ 0' }).min(0, { error: 'a weight ≥ 0' }).optional()])) as Record<Timeframe, z.ZodOptional<z.ZodNumber>>);

/** zod schema of the whole configuration, with every default. */
export const configSchema = z.strictObject({
  /** Folder holding crypto/ (default: the repository's data/). */
  dataDir: z.string().min(1).optional(),
  /** The timeframe decisions are made and traded on (its bars feed the backtest kernel). */
  decisionTimeframe: timeframe.default('15m'),
  /** CNN heads / input timeframes, shortest first; each must be loadable for both windows. */
  timeframes: z.array(timeframe).min(1).refine((t) => new Set(t).size === t.length, { error: 'distinct timeframes' }).default(['1m', '5m', '15m', '1h', '4h', '1d']),
  /** Training window (the first 1m window bundled in data/). */
  train: windowSchema.default({ start: '2024-07-26T16:00:00Z', end: '2024-08-25T14:00:00Z' }),
  /** Trading (test) window (the second 1m window). */
  trade: windowSchema.default({ start: '2024-10-01T05:00:00Z', end: '2024-11-04T20:00:00Z' }),
  features: z
    .strictObject({
      /** L: bars per timeframe in a CNN window. */
      sequenceLength: positiveInt('an integer ≥ 1 (bars)').default(32),
      /** Rolling window of z-scores, volume ratio and σ (bars). */
      window: z.int().min(2, { error: 'an integer ≥ 2 (bars)' }).default(20),
      /** Bars of σ history in the volatility baseline. */
      baselineWindow: positiveInt('an integer ≥ 1 (bars)').default(50),
      /** Efficiency-ratio period (bars). */
      trendPeriod: positiveInt('an integer ≥ 1 (bars)').default(14),
    })
    .prefault({}),
  labels: z
    .strictObject({
      /** |forward return| threshold of a one-day horizon (fraction). */
      baseThreshold: z.number().gt(0).lt(1).default(0.02),
      /** 'sqrt-time' scales the threshold by √(horizon/day); 'none' uses baseThreshold for every head. */
      scaling: z.enum(['sqrt-time', 'none']).default('sqrt-time'),
      /** Horizon of each head in bars of its own timeframe. */
      horizonBars: positiveInt('an integer ≥ 1 (bars)').default(1),
      /** Confidence of a HOLD label. */
      holdConfidence: fraction('a fraction in [0, 1]').default(0.3),
    })
    .prefault({}),
  cnn: z
    .strictObject({
      filters: units.default([16, 32]),
      headUnits: units.default([32]),
      confidenceUnits: units.default([16]),
      dropout: z.number().min(0).lt(1).default(0.2),
      learningRate: z.number().gt(0).max(1).default(0.001),
      epochs: positiveInt('an integer ≥ 1').default(15),
      batchSize: positiveInt('an integer ≥ 1').default(64),
      /** Chronological suffix of the CNN's rows held out for early stopping. */
      validationFraction: z.number().min(0).lt(1).default(0.2),
      patience: positiveInt('an integer ≥ 1').default(8),
      /** Share of the training window's decisions used for the CNN; the DQN trains on the rest (out of sample). */
      trainFraction: z.number().gt(0).lt(1).default(0.6),
    })
    .prefault({}),
  dqn: z
    .strictObject({
      hiddenUnits: units.default([64, 32]),
      learningRate: z.number().gt(0).max(1).default(0.0005),
      gamma: fraction('a discount in [0, 1]').default(0.9),
      batchSize: positiveInt('an integer ≥ 1').default(32),
      targetSyncInterval: positiveInt('an integer ≥ 1').default(200),
      replayCapacity: positiveInt('an integer ≥ 1').default(20_000),
      /** Passes over the DQN part of the training window. */
      episodes: positiveInt('an integer ≥ 1').default(2),
      /** One train step every this many decisions. */
      trainEvery: positiveInt('an integer ≥ 1').default(1),
      /** ε bounds of the stability-driven exploration (ε = max − (max − min)·stability). */
      epsilonMin: fraction('a fraction in [0, 1]').default(0.02),
      epsilonMax: fraction('a fraction in [0, 1]').default(0.3),
      /** 'system' (10·Δ, penalties, confidence-scaled) or 'risk-adjusted-pnl' ((position·Δ − fee)/σ). */
      reward: z.enum(['system', 'risk-adjusted-pnl']).default('system'),
      /** Keep learning from realized decisions while trading. */
      learnOnline: z.boolean().default(true),
    })
    .prefault({})
    .refine((d) => d.epsilonMin <= d.epsilonMax, { error: 'epsilonMin ≤ epsilonMax' }),
  orchestrator: z
    .strictObject({
      /** Per-timeframe weights before confidence (renormalised over the available heads). */
      weights: weightsSchema.default({ '1m': 0.05, '5m': 0.1, '15m': 0.15, '1h': 0.25, '4h': 0.25, '1d': 0.2 }),
      /** Minimum (adapted, coordinated) confidence to act on BUY/SELL. */
      confidenceThreshold: fraction('a fraction in [0, 1]').default(0.6),
      /** Confidence multipliers per regime of the decision timeframe. */
      regimeConfidence: z
        .strictObject({ trending: z.number().min(0).default(1), ranging: z.number().min(0).default(0.85), volatile: z.number().min(0).default(0.7) })
        .prefault({}),
      /** Decisions in the BTC–ETH rolling return correlation. */
      correlationWindow: z.int().min(2, { error: 'an integer ≥ 2 (decisions)' }).default(96),
      highCorrelation: z.number().gt(0).max(1).default(0.7),
      disagreementFactor: fraction('a multiplier in [0, 1]').default(0.5),
    })
    .prefault({}),
  risk: z
    .strictObject({
      maxPosition: z.number().gt(0).max(10).default(1),
      maxDrawdown: z.number().gt(0).lt(1).default(0.15),
      cooldownDecisions: z.int().min(0).default(96),
      allowShort: z.boolean().default(false),
    })
    .prefault({}),
  execution: z
    .strictObject({
      feeRate: z.number().min(0).lt(1).default(0.001),
      slippageRate: z.number().min(0).lt(1).default(0.0005),
      initialCash: z.number().gt(0).default(10_000),
    })
    .prefault({}),
});

/** The validated configuration (every default filled in). */
export type MtfConfig = z.output<typeof configSchema>;

/**
 * A UTC date or timestamp string → epoch ms.
 * @param text - '2024-07-26' (midnight UTC) or '2024-07-26T15:00:00Z'.
 * @returns UTC ms (NaN for an unparseable string; the schema rejects those first).
 * @example
 * parseInstant('2024-07-26'); // Date.UTC(2024, 6, 26)
 */
export function parseInstant(text: string): number {
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
}

/**
 * Validates a configuration object (e.g. parsed YAML); missing keys take their defaults.
 * @param raw - the untrusted object (undefined or null = all defaults).
 * @param source - where it came from, for the message (a file path).
 * @returns the full configuration.
 * @throws ConfigError naming the first bad key as a dotted path (e.g. 'cnn.epochs'), its value and what was expected.
 * @example
 * validateConfig({ cnn: { epochs: 2 } }).cnn.epochs; // 2
 */
export function validateConfig(raw: unknown, source?: string): MtfConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  let value: unknown = raw;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  let expected = issue?.message ?? 'a valid configuration';
  if (issue?.code === 'unrecognized_keys') {
    expected = `only known keys (unknown: ${issue.keys.join(', ')})`;
  }
  const parameter = path.length === 0 ? 'config' : path.map(String).join('.');
  throw new ConfigError({ parameter, value: issue?.code === 'unrecognized_keys' ? issue.keys[0] : value, expected, ...(source !== undefined ? { source } : {}) });
}

/**
 * Reads and validates a YAML configuration file.
 * @param path - the file (relative to the working directory or absolute).
 * @returns the full configuration.
 * @throws ConfigError '--config' when the file cannot be read or parsed; otherwise as {@link validateConfig} with
 *   the file as source.
 * @see ../README.md (every key, default and unit)
 * @example
 * const config = loadConfigFile('mtf.yaml');
 */
export function loadConfigFile(path: string): MtfConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError({ parameter: '--config', value: path, expected: 'a readable YAML file', cause: error });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError({ parameter: '--config', value: path, expected: `valid YAML (${reason})`, cause: error });
  }
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError({ parameter: '--config', value: path, expected: 'a YAML mapping of configuration keys' });
  }
  return validateConfig(raw, file);
}
