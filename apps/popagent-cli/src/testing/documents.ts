/**
 * A results document built from hand-made runs, for the report and results tests.
 */
import type { PopAgentRunResult } from '@trading-ml/popagent';
import type { AblationData } from '../data.js';
import type { AblationOptions } from '../options.js';
import { buildResultsDocument } from '../results.js';
import type { ResultsDocument } from '../results-schema.js';

/** Options of a hand-made A + C ablation on the given symbols. */
export function fakeOptions(symbols: readonly string[]): AblationOptions {
  return {
    condition: 'all',
    conditions: ['A', 'C'],
    skippedConditions: ['B', 'D'],
    symbols,
    start: Date.UTC(2024, 0, 1),
    end: Date.UTC(2024, 0, 8),
    timeframe: '4h',
    population: 2,
    seed: 42,
    dataDir: '/data',
    out: '/out',
    config: { population: 2 },
    progress: false,
    threads: 1,
  };
}

/** Data summary matching `fakeOptions` (no bars needed by the document beyond their count). */
export function fakeData(symbols: readonly string[]): AblationData {
  return {
    symbols: symbols.map((symbol) => ({
      symbol,
      bars: [],
      gaps: [{ from: 0, to: 3_600_000, missingBars: 2 }],
      source: `/data/crypto/${symbol.replace('/', '')}_1h.csv.gz`,
      warmUpBars: 0,
    })),
    periodsPerYear: 2190,
  };
}

/** A validated document of the given runs. */
export function fakeDocument(runs: readonly PopAgentRunResult[]): ResultsDocument {
  const symbols = [...new Set(runs.map((run) => run.symbol))];
  return buildResultsDocument(fakeOptions(symbols), 'popagent ablation --population 2', fakeData(symbols), runs);
}
