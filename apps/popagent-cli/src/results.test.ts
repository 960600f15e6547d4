import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { runPopAgent } from '@trading-ml/popagent';
import { DEFAULT_DATA_DIR } from './command.js';
import { loadAblationData } from './data.js';
import { buildResultsDocument, compactJson, serializeResults, writeResults } from './results.js';
import { resultsDocumentSchema } from './results-schema.js';
import { fakeRun, summary } from './testing/fixtures.js';
import { fakeDocument, fakeOptions } from './testing/documents.js';

describe('compactJson', () => {
  it('puts arrays of plain values on one line and keeps objects indented', () => {
    expect(compactJson({ a: [1, 2, 3], b: { c: ['x', null] }, d: [[1], []] })).toBe(
      '{\n  "a": [1, 2, 3],\n  "b": {\n    "c": ["x", null]\n  },\n  "d": [\n    [1],\n    []\n  ]\n}\n',
    );
  });

  it('round-trips any JSON value, including strings holding brackets, commas and escapes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(compactJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('buildResultsDocument', () => {
  it('stores undefined ratios as null and start/end as UTC ms plus ISO', () => {
    const run = { ...fakeRun('A', 'BTC/USDT'), metrics: summary({ profitFactor: Number.POSITIVE_INFINITY, sharpeRatio: Number.NaN }) };
    const document = fakeDocument([run]);
    expect(document.runs[0]!.metrics.profitFactor).toBeNull();
    expect(document.runs[0]!.metrics.sharpeRatio).toBeNull();
    expect(document.runs[0]!.metrics.sortinoRatio).toBe(1.75);
    expect(document.options.startIso).toBe('2024-01-01T00:00:00.000Z');
    expect(document.options.start).toBe(Date.UTC(2024, 0, 1));
    expect(document.data[0]).toMatchObject({ gaps: 1, missingBars: 2 });
  });
});

describe('resultsDocumentSchema', () => {
  const valid = fakeDocument([fakeRun('A', 'BTC/USDT')]);
  const withRun = (patch: Record<string, unknown>) => ({ ...valid, runs: [{ ...valid.runs[0]!, ...patch }] });

  it('accepts a well-formed document', () => {
    expect(resultsDocumentSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['equity arrays of different lengths', () => withRun({ equity: { ...valid.runs[0]!.equity, strategy: [1, 2] } })],
    ['an unknown regime', () => withRun({ selections: [{ time: 1, regime: 'sideways', counts: [1, 1] }] })],
    ['counts not matching the methods', () => withRun({ selections: [{ time: 1, regime: 'bull', counts: [1] }] })],
    ['a NaN metric', () => withRun({ metrics: { ...valid.runs[0]!.metrics, sharpeRatio: Number.NaN } })],
    ['condition E', () => withRun({ condition: 'E' })],
    ['decreasing equity times', () => withRun({ equity: { ...valid.runs[0]!.equity, time: [...valid.runs[0]!.equity.time].reverse() } })],
    ['a wrong schemaVersion', () => ({ ...valid, schemaVersion: 2 })],
    ['an unknown top-level key', () => ({ ...valid, extra: true })],
    ['a B run without its llm summary', () => withRun({ condition: 'B' })],
    ['an A run with an llm summary', () => withRun({ llm: llmSummary(valid.runs[0]!.exposure.length) })],
    ['an llm summary whose populationExposure misses a decision', () => withRun({ condition: 'B', llm: llmSummary(valid.runs[0]!.exposure.length - 1) })],
    ['an llm summary with fewer views than consultations', () => withRun({ condition: 'D', llm: { ...llmSummary(valid.runs[0]!.exposure.length), consultations: 2 } })],
    ['an action outside BUY/SELL/HOLD', () => withRun({ condition: 'B', llm: { ...llmSummary(valid.runs[0]!.exposure.length), views: [{ time: 1, action: 'LIQUIDATE', confidence: 1, source: 'llm', cited: [] }] } })],
    ['an llm block with an unknown key', () => ({ ...valid, llm: { ...llmBlock, extra: 1 } })],
  ])('rejects %s', (_name, broken) => {
    expect(resultsDocumentSchema.safeParse(broken()).success).toBe(false);
  });

  it('accepts B and D runs with their llm summary and the document llm block, absent before B/D existed', () => {
    const n = valid.runs[0]!.exposure.length;
    expect(resultsDocumentSchema.safeParse({ ...withRun({ condition: 'B', llm: llmSummary(n) }), llm: llmBlock }).success).toBe(true);
    expect(resultsDocumentSchema.safeParse({ ...valid, llm: { ...llmBlock, stopped: { message: 'm', spent: 1, limit: 1, unit: 'USD', unfinished: ['D BTC/USDT'] } } }).success).toBe(true);
    expect('llm' in valid).toBe(false);
  });
});

/** A hand-made LLM summary of a run with `decisions` decisions and one consultation. */
function llmSummary(decisions: number) {
  return {
    model: 'gpt-4o-mini',
    every: 6,
    consultations: 1,
    actions: { BUY: 1, SELL: 0, HOLD: 0 },
    calls: 1,
    cacheHits: 0,
    fallbacks: 0,
    promptTokens: 900,
    completionTokens: 30,
    costUsd: 0.000153,
    populationExposure: new Array<number>(decisions).fill(0.5),
    views: [{ time: 1, action: 'BUY', confidence: 0.5, source: 'llm', cited: ['momentum'] }],
  };
}

const llmBlock = {
  model: 'gpt-4o-mini',
  baseURL: 'http://127.0.0.1:11434/v1',
  cache: '/out/llm-cache.sqlite',
  apiKeyEnv: null,
  budgetUsd: null,
  maxTokens: null,
  every: 6,
  ledger: { calls: 1, cacheHits: 0, fallbacks: 0, promptTokens: 900, completionTokens: 30, costUsd: 0.000153 },
  stopped: null,
};

describe('writeResults', () => {
  it('writes a file that parses back to the validated document and leaves no temp file', () => {
    const out = mkdtempSync(join(tmpdir(), 'popagent-results-'));
    const document = fakeDocument([fakeRun('A', 'BTC/USDT'), fakeRun('C', 'BTC/USDT')]);
    const path = writeResults(out, document);
    expect(readdirSync(out)).toEqual(['results.json']);
    expect(resultsDocumentSchema.parse(JSON.parse(readFileSync(path, 'utf8')))).toEqual(document);
  });

  it('refuses to write an invalid document', () => {
    const out = mkdtempSync(join(tmpdir(), 'popagent-results-'));
    const document = fakeDocument([fakeRun('A', 'BTC/USDT')]);
    expect(() => writeResults(out, { ...document, schemaVersion: 2 as 1 })).toThrow();
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('resultsDocumentSchema on a real run', () => {
  it('accepts runPopAgent output on bundled BTC data and rejects it once broken', () => {
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2024, 1, 1);
    const data = loadAblationData({ dataDir: DEFAULT_DATA_DIR, symbols: ['BTC/USDT'], timeframe: '4h', start, end, conditions: ['A'] });
    const run = runPopAgent({
      symbol: 'BTC/USDT',
      timeframe: '4h',
      bars: data.symbols[0]!.bars,
      start,
      end,
      condition: 'A',
      seed: 1,
      periodsPerYear: data.periodsPerYear,
      config: { population: 2 },
    });
    const document = buildResultsDocument({ ...fakeOptions(['BTC/USDT']), start, end }, 'popagent ablation', data, [run]);
    expect(resultsDocumentSchema.safeParse(JSON.parse(serializeResults(document))).success).toBe(true);
    // January 2024 holds 31 × 6 four-hour bars; the first sample is the close at `start` itself (the first decision).
    expect(document.runs[0]!.equity.time.length).toBe(31 * 6 + 1);
    expect(document.runs[0]!.equity.time[0]).toBe(start);
    const broken = { ...document, runs: [{ ...document.runs[0]!, exposure: document.runs[0]!.exposure.slice(1) }] };
    expect(resultsDocumentSchema.safeParse(broken).success).toBe(false);
  }, 15_000);
});
