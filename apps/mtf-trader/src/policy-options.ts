/** The library's TradingPolicy options from the run configuration. */
import { TIMEFRAME_MS } from '@trading-ml/core';
import { headSpecs } from '@trading-ml/cnn-rl';
import type { TradingPolicyOptions } from '@trading-ml/cnn-rl';
import type { MtfConfig } from './config.js';

/**
 * @param config - the run configuration.
 * @param mode - explore (ε-greedy, training) or not; learn from realized decisions or not.
 * @returns the policy options: one decision bar per step, the HOLD band = the decision timeframe's label threshold.
 */
export function policyOptions(config: MtfConfig, mode: { explore: boolean; learn: boolean }): TradingPolicyOptions {
  const [decisionHead] = headSpecs([config.decisionTimeframe], { baseThreshold: config.labels.baseThreshold, scaling: config.labels.scaling });
  return {
    decisionStepMs: TIMEFRAME_MS[config.decisionTimeframe],
    holdBand: decisionHead?.threshold ?? config.labels.baseThreshold,
    reward: config.dqn.reward,
    feeRate: config.execution.feeRate,
    confidenceThreshold: config.orchestrator.confidenceThreshold,
    epsilon: { min: config.dqn.epsilonMin, max: config.dqn.epsilonMax },
    trainEvery: config.dqn.trainEvery,
    risk: { ...config.risk },
    ...mode,
  };
}
