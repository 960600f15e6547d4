import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { loadConfigFile, validateConfig } from './config.js';

const folder = mkdtempSync(join(tmpdir(), 'mtf-config-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('validateConfig', () => {
  it('fills every default: six timeframes, 15m decisions, weights 0.05…0.20, threshold 0.6', () => {
    const config = validateConfig(undefined);
    expect(config.timeframes).toEqual(['1m', '5m', '15m', '1h', '4h', '1d']);
    expect(config.decisionTimeframe).toBe('15m');
    expect(config.orchestrator.weights).toEqual({ '1m': 0.05, '5m': 0.1, '15m': 0.15, '1h': 0.25, '4h': 0.25, '1d': 0.2 });
    expect(config.orchestrator.confidenceThreshold).toBe(0.6);
    expect(config.labels).toEqual({ baseThreshold: 0.02, scaling: 'sqrt-time', horizonBars: 1, holdConfidence: 0.3 });
  });

  it('keeps the defaults of a section when the file sets only one key of it', () => {
    const config = validateConfig({ cnn: { epochs: 2 } });
    expect(config.cnn.epochs).toBe(2);
    expect(config.cnn.batchSize).toBe(64);
  });

  it.each([
    [{ cnn: { epochs: 0 } }, 'cnn.epochs', 0],
    [{ orchestrator: { confidenceThreshold: 1.5 } }, 'orchestrator.confidenceThreshold', 1.5],
    [{ timeframes: ['1h', '2h'] }, 'timeframes.1', '2h'],
    [{ risk: { maxDrawdown: 'big' } }, 'risk.maxDrawdown', 'big'],
    [{ train: { start: '2024-08-20', end: '2024-08-01' } }, 'train', { start: '2024-08-20', end: '2024-08-01' }],
    [{ cnn: { epoch: 3 } }, 'cnn', 'epoch'],
  ])('rejects %j naming the key and the value', (raw, parameter, value) => {
    try {
      validateConfig(raw, 'mtf.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).parameter).toBe(parameter);
      expect((error as ConfigError).value).toEqual(value);
      expect((error as ConfigError).message).toContain(`Invalid ${parameter} in mtf.yaml`);
    }
  });
});

describe('loadConfigFile', () => {
  it('reads YAML and reports bad YAML, a non-mapping and a missing file against --config', () => {
    const good = join(folder, 'good.yaml');
    writeFileSync(good, 'decisionTimeframe: 1h\ncnn:\n  epochs: 3\n');
    expect(loadConfigFile(good)).toMatchObject({ decisionTimeframe: '1h', cnn: { epochs: 3 } });
    const bad = join(folder, 'bad.yaml');
    writeFileSync(bad, 'cnn: [1, 2\n');
    expect(() => loadConfigFile(bad)).toThrow(/Invalid --config: .*expected valid YAML/);
    const list = join(folder, 'list.yaml');
    writeFileSync(list, '- 1\n- 2\n');
    expect(() => loadConfigFile(list)).toThrow(/expected a YAML mapping/);
    expect(() => loadConfigFile(join(folder, 'missing.yaml'))).toThrow(/expected a readable YAML file/);
    const wrong = join(folder, 'wrong.yaml');
    writeFileSync(wrong, 'dqn:\n  gamma: 2\n');
    expect(() => loadConfigFile(wrong)).toThrow(`Invalid dqn.gamma in ${wrong}: got 2, expected a discount in [0, 1]`);
  });
});
