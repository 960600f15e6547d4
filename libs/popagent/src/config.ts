import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';
import type { PopAgentConfig } from './types.js';

/**
 * Defaults of every PopAgent hyperparameter (population of 10 agents, 3 methods per decision, weekly transfer
 * on 4h bars).
 * @see docs of {@link PopAgentConfig} for the meaning and unit of each field.
 */
export const DEFAULT_POPAGENT_CONFIG: PopAgentConfig = Object.freeze({
  population: 10,
  methodsPerDecision: 3,
  discount: 0.99,
  transferEvery: 42,
  transferRate: 0.2,
  rankingWindow: 42,
  sgdLearningRate: 0.01,
  rlsForgettingFactor: 0.995,
  volatilityTarget: 0.5,
  allowShort: false,
  feeRate: 0.001,
  slippageRate: 0.0005,
  rebalanceThreshold: 0.1,
});

const positiveInteger = (max: number) => z.number().int().min(1).max(max);

/** One schema per key, each with the human-readable range quoted in the ConfigError. */
const FIELDS: { readonly [K in keyof PopAgentConfig]: { readonly schema: z.ZodType; readonly expected: string } } = {
  population: { schema: positiveInteger(10_000), expected: 'an integer in [1, 10000]' },
  methodsPerDecision: { schema: positiveInteger(1_000), expected: 'an integer ≥ 1 (and ≤ the inventory size)' },
  discount: { schema: z.number().gt(0).lte(1), expected: 'a number in (0, 1]' },
  transferEvery: { schema: positiveInteger(1_000_000), expected: 'an integer ≥ 1 (decisions)' },
  transferRate: { schema: z.number().gte(0).lte(1), expected: 'a number in [0, 1]' },
  rankingWindow: { schema: positiveInteger(1_000_000), expected: 'an integer ≥ 1 (decisions)' },
  sgdLearningRate: { schema: z.number().gt(0).lte(1), expected: 'a number in (0, 1]' },
  rlsForgettingFactor: { schema: z.number().gt(0).lte(1), expected: 'a number in (0, 1]' },
  volatilityTarget: { schema: z.number().gt(0).lte(10), expected: 'an annualised volatility in (0, 10]' },
  allowShort: { schema: z.boolean(), expected: 'a boolean' },
  feeRate: { schema: z.number().gte(0).lt(0.1), expected: 'a fraction of notional in [0, 0.1)' },
  slippageRate: { schema: z.number().gte(0).lt(0.1), expected: 'a fraction of price in [0, 0.1)' },
  rebalanceThreshold: { schema: z.number().gte(0).lte(1), expected: 'a fraction of equity in [0, 1]' },
};

/**
 * Fills a partial PopAgent configuration with the defaults and validates every key with zod.
 * @param partial - any subset of {@link PopAgentConfig}; unknown keys are rejected.
 * @returns the complete, frozen configuration.
 * @throws ConfigError naming the first bad key, its value and the expected range.
 * @see DEFAULT_POPAGENT_CONFIG
 * @example
 * validatePopAgentConfig({ population: 4 }).population; // 4
 * validatePopAgentConfig({ transferRate: 2 }); // throws 'Invalid transferRate: got 2, expected a number in [0, 1]'
 */
export function validatePopAgentConfig(partial: Partial<PopAgentConfig> = {}): PopAgentConfig {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    throw new ConfigError({ parameter: 'config', value: partial, expected: 'an object of PopAgent hyperparameters' });
  }
  for (const key of Object.keys(partial)) {
    if (!(key in FIELDS)) {
      throw new ConfigError({ parameter: key, value: (partial as Record<string, unknown>)[key], expected: `one of the keys ${Object.keys(FIELDS).join(', ')}` });
    }
  }
  const merged: Record<string, unknown> = { ...DEFAULT_POPAGENT_CONFIG };
  for (const [key, value] of Object.entries(partial)) if (value !== undefined) merged[key] = value;
  for (const [key, field] of Object.entries(FIELDS)) {
    const parsed = field.schema.safeParse(merged[key]);
    if (!parsed.success) throw new ConfigError({ parameter: key, value: merged[key], expected: field.expected });
  }
  return Object.freeze(merged as unknown as PopAgentConfig);
}
