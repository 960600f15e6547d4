import { describe, it, expect } from 'vitest';
import { ConfigError, Rng } from '@trading-ml/core';
import { sampleHyperparameters, validateSpace } from '@trading-ml/pbt';
import { DEFAULT_POPAGENT_CONFIG, TUNABLE_HYPERPARAMETERS, validatePopAgentConfig } from '@trading-ml/popagent';
import { hyperparametersOf, popAgentSpace, tunableConfig } from './space.js';

describe('PopAgent search space for @trading-ml/pbt', () => {
  it("maps scale 'int' to kind 'int' and keeps linear/log ranges as floats, one key per tunable hyperparameter", () => {
    const space = popAgentSpace();
    validateSpace(space, 'space');
    expect(Object.keys(space)).toEqual(TUNABLE_HYPERPARAMETERS.map((r) => r.name));
    expect(space['methodsPerDecision']).toEqual({ kind: 'int', min: 1, max: 6, scale: 'linear' });
    expect(space['transferEvery']).toEqual({ kind: 'int', min: 6, max: 168, scale: 'linear' });
    expect(space['sgdLearningRate']).toEqual({ kind: 'float', min: 1e-4, max: 0.1, scale: 'log' });
    expect(space['discount']).toEqual({ kind: 'float', min: 0.9, max: 1, scale: 'linear' });
  });

  it('every sampled member is a valid PopAgent configuration with integer int-keys', () => {
    const rng = Rng.fromSeed(3);
    for (let i = 0; i < 50; i++) {
      const h = sampleHyperparameters(popAgentSpace(), rng);
      const config = validatePopAgentConfig({ ...tunableConfig(h), population: 2 });
      expect(Number.isInteger(config.methodsPerDecision) && Number.isInteger(config.transferEvery) && Number.isInteger(config.rankingWindow)).toBe(true);
    }
  });

  it('round-trips the default configuration and rejects a missing key', () => {
    expect(validatePopAgentConfig(tunableConfig(hyperparametersOf(DEFAULT_POPAGENT_CONFIG)))).toEqual(DEFAULT_POPAGENT_CONFIG);
    const { discount: _dropped, ...rest } = hyperparametersOf(DEFAULT_POPAGENT_CONFIG);
    expect(() => tunableConfig(rest)).toThrow(ConfigError);
    expect(() => tunableConfig(rest)).toThrow(/hyperparameters\.discount/);
  });
});
