import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_TABLE, estimateCostUsd, estimatePromptTokens, priceOf } from './price-table.js';

describe('price table', () => {
  it('finds exact names and dated snapshots, nothing else', () => {
    expect(priceOf(DEFAULT_PRICE_TABLE, 'gpt-4o-mini')).toEqual({ promptPerMillion: 0.15, completionPerMillion: 0.6 });
    expect(priceOf(DEFAULT_PRICE_TABLE, 'gpt-4o-mini-2024-07-18')).toEqual({ promptPerMillion: 0.15, completionPerMillion: 0.6 });
    expect(priceOf(DEFAULT_PRICE_TABLE, 'gpt-4o-mini-custom')).toBeUndefined();
    expect(priceOf(DEFAULT_PRICE_TABLE, 'llama3.1:8b')).toBeUndefined();
  });

  it('estimates dollars per 1M tokens', () => {
    // gpt-4.1: 2000 · $2/1M + 500 · $8/1M = 0.004 + 0.004
    expect(estimateCostUsd(DEFAULT_PRICE_TABLE, 'gpt-4.1', 2000, 500)).toBeCloseTo(0.008, 15);
    // text-embedding-3-small: 1M · $0.02/1M
    expect(estimateCostUsd(DEFAULT_PRICE_TABLE, 'text-embedding-3-small', 1_000_000, 0)).toBeCloseTo(0.02, 15);
    expect(estimateCostUsd(DEFAULT_PRICE_TABLE, 'local-model', 1e9, 1e9)).toBe(0);
  });

  it('estimates prompt tokens as ⌈characters / 4⌉ + 4 per text', () => {
    expect(estimatePromptTokens([])).toBe(0);
    expect(estimatePromptTokens(['', 'abcde'])).toBe(4 + (2 + 4));
  });
});
