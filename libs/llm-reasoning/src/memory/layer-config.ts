/**
 * Per-layer parameters of the layered memory, with FinMem's published defaults.
 *
 * @see FinMem reference implementation, `config/config.toml` (recency_factor 3 / 90 / 365, importance_factor
 *   0.92 / 0.967 / 0.988, clean-up at recency < 0.05 or importance < 5, jumps at 60 and 80).
 */
import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';
import type { MemoryLayer } from './memory-item.js';

/** How one layer scores, promotes and forgets its items. */
export interface LayerConfig {
  /** Recency time constant Q in days: recency = exp(−δ/Q), δ = days since the item's recency anchor. */
  readonly recencyDays: number;
  /** Importance decay factor per day α in (0, 1]: importance(t) = importance·α^δ. */
  readonly importanceDecayPerDay: number;
  /** Importance (points) a new item of this layer starts with. */
  readonly initialImportance: number;
  /** Items whose importance reaches this many points move to `promoteTo` (undefined: never promoted). */
  readonly promoteAt?: number | undefined;
  /** The deeper layer promoted items move to. */
  readonly promoteTo?: MemoryLayer | undefined;
  /** Items whose recency falls below this are removed. */
  readonly removeBelowRecency: number;
  /** Items whose importance (points) falls below this are removed. */
  readonly removeBelowImportance: number;
}

/** The whole memory configuration. */
export interface MemoryConfig {
  readonly layers: Readonly<Record<MemoryLayer, LayerConfig>>;
  /** Importance points added (subtracted) per unit of positive (negative) realized feedback. Default 5. */
  readonly feedbackPoints: number;
}

/**
 * FinMem's defaults. Initial importance is the most likely value of the paper's per-layer sampling distribution
 * (short {50, 70, 90} w.p. {0.5, 0.45, 0.05}; mid {40, 60, 80} w.p. {0.05, 0.8, 0.15}; long and reflection
 * w.p. {0.05, 0.15, 0.8}); here it is a constant and realized feedback does the learning instead of a random draw.
 */
export const DEFAULT_MEMORY_CONFIG: MemoryConfig = {
  layers: {
    short: { recencyDays: 3, importanceDecayPerDay: 0.92, initialImportance: 50, promoteAt: 60, promoteTo: 'mid', removeBelowRecency: 0.05, removeBelowImportance: 5 },
    mid: { recencyDays: 90, importanceDecayPerDay: 0.967, initialImportance: 60, promoteAt: 80, promoteTo: 'long', removeBelowRecency: 0.05, removeBelowImportance: 5 },
    long: { recencyDays: 365, importanceDecayPerDay: 0.988, initialImportance: 80, removeBelowRecency: 0.05, removeBelowImportance: 5 },
    reflection: { recencyDays: 365, importanceDecayPerDay: 0.988, initialImportance: 80, removeBelowRecency: 0.05, removeBelowImportance: 5 },
  },
  feedbackPoints: 5,
};

const layerSchema = z.object({
  recencyDays: z.number().positive(),
  importanceDecayPerDay: z.number().gt(0).max(1),
  initialImportance: z.number().nonnegative(),
  promoteAt: z.number().positive().optional(),
  promoteTo: z.enum(['short', 'mid', 'long', 'reflection']).optional(),
  removeBelowRecency: z.number().min(0).max(1),
  removeBelowImportance: z.number().nonnegative(),
});

/** zod schema of {@link MemoryConfig}. */
export const memoryConfigSchema = z.object({
  layers: z.object({ short: layerSchema, mid: layerSchema, long: layerSchema, reflection: layerSchema }),
  feedbackPoints: z.number().nonnegative(),
});

/**
 * Validates a memory configuration (for example one read from a config file).
 * @param config - the candidate configuration.
 * @returns the same configuration, typed.
 * @throws ConfigError naming the first invalid field, its value and the expectation.
 * @see DEFAULT_MEMORY_CONFIG
 * @example
 * const config = validateMemoryConfig({ ...DEFAULT_MEMORY_CONFIG, feedbackPoints: 10 });
 */
export function validateMemoryConfig(config: unknown): MemoryConfig {
  const parsed = memoryConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    let value: unknown = config;
    for (const key of issue?.path ?? []) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
    throw new ConfigError({ parameter: `memory config ${path}`, value, expected: issue?.message ?? 'a valid memory configuration' });
  }
  for (const [layer, settings] of Object.entries(parsed.data.layers)) {
    if ((settings.promoteAt === undefined) !== (settings.promoteTo === undefined)) {
      throw new ConfigError({ parameter: `memory config layers.${layer}.promoteTo`, value: settings.promoteTo, expected: 'promoteAt and promoteTo set together' });
    }
  }
  return parsed.data as MemoryConfig;
}
