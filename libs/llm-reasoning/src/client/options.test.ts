import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { resolveOptions } from './options.js';
import { DEFAULT_PRICE_TABLE } from './price-table.js';

describe('resolveOptions', () => {
  it('applies the documented defaults and reads the key from the named variable', () => {
    const resolved = resolveOptions({ model: 'm', env: { OPENAI_API_KEY: 'sk-abc' } });
    expect(resolved).toMatchObject({
      baseURL: undefined,
      embeddingModel: 'm',
      apiKeyEnv: 'OPENAI_API_KEY',
      apiKey: 'sk-abc',
      timeoutMs: 60_000,
      maxRetries: 2,
      cacheMode: 'read-write',
      fallback: 'hold',
      temperature: 0,
      responseFormat: 'json_object',
      sdkLogLevel: 'warn',
    });
    expect(resolved.priceTable).toBe(DEFAULT_PRICE_TABLE);
    expect(resolveOptions({ model: 'm', env: { OPENAI_API_KEY: '' } }).apiKey).toBeUndefined();
  });

  it.each([
    [{ baseURL: 'localhost:11434' }, 'Invalid baseURL: got "localhost:11434", expected an http(s) URL'],
    [{ baseURL: 'ftp://x/v1' }, 'Invalid baseURL'],
    [{ model: ' ' }, 'Invalid model'],
    [{ maxRetries: 11 }, 'Invalid maxRetries: got 11, expected an integer in [0, 10]'],
    [{ timeoutMs: 0 }, 'Invalid timeoutMs: got 0'],
    [{ cacheMode: 'write' }, 'Invalid cacheMode: got "write"'],
    [{ budgetUsd: -1 }, 'Invalid budgetUsd: got -1'],
    [{ maxTokens: 1.5 }, 'Invalid maxTokens: got 1.5'],
    [{ fallback: 'buy' }, 'Invalid fallback'],
    [{ temperature: 3 }, 'Invalid temperature: got 3'],
    [{ responseFormat: 'xml' }, 'Invalid responseFormat'],
    [{ apiKeyEnv: 'MY-KEY' }, 'Invalid apiKeyEnv'],
    [{ priceTable: { m: { promptPerMillion: -1, completionPerMillion: 0 } } }, 'Invalid priceTable'],
    [{ model: 'm', embeddingModel: 'e', budgetUsd: 1, priceTable: { m: { promptPerMillion: 1, completionPerMillion: 1 } } }, 'Invalid embeddingModel: got "e"'],
  ])('rejects %j with a ConfigError naming the option', (override, message) => {
    const call = () => resolveOptions({ model: 'm', ...(override as object) });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(message);
  });

  it('never puts the API key into a ConfigError', () => {
    try {
      resolveOptions({ model: 'm', maxRetries: -1, env: { OPENAI_API_KEY: 'sk-secret-value-123' } });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('sk-secret-value-123');
      return;
    }
    throw new Error('expected a ConfigError');
  });
});
