import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReport } from './report.js';
import type { ResultsDocument } from './results-schema.js';

const doc: ResultsDocument = {
  schemaVersion: 1, command: 'finmem-agent test', phase: 'test', symbol: 'TSLA', start: '2023-07-03', end: '2023-07-05',
  character: 'risk-averse', positions: 'long-flat', retrieval: 'bm25', topK: 3, seed: 42, model: 'm', periodsPerYear: 252,
  memoryDb: '/tmp/m.sqlite', days: 1, resumedDays: 0, newDays: 1, stopped: null, memory: { short: 1, mid: 0, long: 0, reflection: 0 },
  decisions: [{ day: '2023-07-03', time: 1, action: 'BUY', confidence: 0.5, targetPosition: 1, attitude: 'risk-averse', citedMemoryIds: ['2023-07-03/news-1'], source: 'llm', rationale: '<script>alert("x")</script> & more' }],
  performance: null, equity: null,
  ledger: { calls: 1, cacheHits: 0, fallbacks: 0, promptTokens: 10, completionTokens: 2, costUsd: 0, byPurpose: {} },
};

describe('renderReport', () => {
  it('escapes LLM and data text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderReport(doc);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
  });
});
