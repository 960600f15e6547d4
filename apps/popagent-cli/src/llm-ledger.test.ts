import { describe, it, expect } from 'vitest';
import { formatLedgerTable, formatUsd, ledgerRows } from './llm-ledger.js';
import type { LedgerRun } from './llm-ledger.js';
import { renderReport } from './report.js';
import { fakeRun } from './testing/fixtures.js';
import { fakeDocument } from './testing/documents.js';

const summary = (calls: number, cacheHits: number, costUsd: number) => ({
  every: 6,
  consultations: calls + cacheHits,
  actions: { BUY: 2, SELL: 1, HOLD: calls + cacheHits - 3 },
  calls,
  cacheHits,
  fallbacks: 0,
  promptTokens: 1000 * calls,
  completionTokens: 40 * calls,
  costUsd,
});
const runs: LedgerRun[] = [
  { condition: 'A', symbol: 'BTC/USDT' },
  { condition: 'B', symbol: 'BTC/USDT', llm: summary(10, 2, 0.0024) },
  { condition: 'D', symbol: 'BTC/USDT', llm: summary(5, 0, 0.0012) },
];
const totals = { calls: 15, cacheHits: 2, fallbacks: 0, promptTokens: 15_000, completionTokens: 600, costUsd: 0.0036 };

describe('LLM ledger', () => {
  it('lists the B/D runs and the client totals', () => {
    expect(ledgerRows(runs, totals)).toEqual([
      ['B BTC/USDT', '12', '2', '1', '9', '10', '2', '0', '10000', '400', '$0.0024'],
      ['D BTC/USDT', '5', '2', '1', '2', '5', '0', '0', '5000', '200', '$0.0012'],
      ['total', '', '', '', '', '15', '2', '0', '15000', '600', '$0.0036'],
    ]);
    expect(formatLedgerTable('gpt-4o-mini', runs, totals)).toMatch(/^LLM ledger \(gpt-4o-mini\)\n┌/);
    expect(formatUsd(12.5)).toBe('$12.50');
  });

  it('appears in the report with the settings and a budget stop', async () => {
    const document = {
      ...fakeDocument([fakeRun('A', 'BTC/USDT')]),
      llm: {
        model: 'gpt-4o-mini',
        baseURL: null,
        cache: '/out/llm-cache.sqlite',
        apiKeyEnv: null,
        budgetUsd: 0.5,
        maxTokens: null,
        every: 6,
        ledger: totals,
        stopped: { message: 'LLM budget (budgetUsd) …', spent: 0.5, limit: 0.5, unit: 'USD', unfinished: ['B BTC/USDT'] },
      },
    };
    const { html } = await renderReport(document);
    expect(html).toContain('<h2>LLM ledger</h2>');
    expect(html).toContain('gpt-4o-mini at no endpoint (offline replay from the cache), asked every 6 decisions; cache /out/llm-cache.sqlite; limits: budget $0.5');
    expect(html).toContain('<td>total</td>');
    expect(html).toContain('Not finished: B BTC/USDT.');
  });
});
