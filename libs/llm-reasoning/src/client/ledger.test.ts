import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '@trading-ml/core';
import { Ledger } from './ledger.js';
import type { LedgerEntry } from './ledger.js';

const entry = (overrides: Partial<LedgerEntry>): LedgerEntry => ({ purpose: 'p', kind: 'chat', source: 'llm', model: 'm', asOf: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, ...overrides });
const estimate = (tokens: number, costUsd: number) => ({ tokens, costUsd, description: 'chat call to m' });

describe('Ledger', () => {
  it('sums calls, cache hits and fallbacks per run and per purpose', () => {
    const ledger = new Ledger({});
    ledger.record(entry({ purpose: 'a', promptTokens: 10, completionTokens: 5, costUsd: 0.25 }));
    ledger.record(entry({ purpose: 'a', source: 'cache' }));
    ledger.record(entry({ purpose: 'b', promptTokens: 1, completionTokens: 2, costUsd: 0.5 }));
    ledger.record(entry({ purpose: 'b', source: 'fallback' }));
    expect(ledger.summary()).toEqual({
      calls: 2,
      cacheHits: 1,
      fallbacks: 1,
      promptTokens: 11,
      completionTokens: 7,
      costUsd: 0.75,
      byPurpose: {
        a: { calls: 1, cacheHits: 1, fallbacks: 0, promptTokens: 10, completionTokens: 5, costUsd: 0.25 },
        b: { calls: 1, cacheHits: 0, fallbacks: 1, promptTokens: 1, completionTokens: 2, costUsd: 0.5 },
      },
    });
    expect(ledger.lines()).toHaveLength(4);
  });

  it('counts the estimates of calls in flight, so concurrent calls cannot jointly pass the budget', () => {
    const ledger = new Ledger({ budgetUsd: 1 });
    const releaseFirst = ledger.reserve(estimate(0, 0.5)); // reserved 0.5
    ledger.reserve(estimate(0, 0.5)); // 0.5 + 0.5 ≤ 1, reserved 1.0
    expect(() => ledger.reserve(estimate(0, 0.01))).toThrow(BudgetExceededError);
    releaseFirst();
    releaseFirst(); // idempotent
    expect(() => ledger.reserve(estimate(0, 0.5))).not.toThrow();
  });

  it('reports spent, limit and unit for both limits', () => {
    const ledger = new Ledger({ budgetUsd: 1, maxTokens: 100 });
    ledger.record(entry({ promptTokens: 60, completionTokens: 20, costUsd: 0.3 }));
    expect(() => ledger.reserve(estimate(10, 0.8))).toThrow(expect.objectContaining({ spent: 0.3, limit: 1, unit: 'USD' }));
    expect(() => ledger.reserve(estimate(21, 0.1))).toThrow(expect.objectContaining({ spent: 80, limit: 100, unit: 'tokens' }));
    expect(() => ledger.reserve(estimate(20, 0.7))).not.toThrow(); // exactly at both limits is allowed
  });
});
