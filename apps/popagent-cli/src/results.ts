/**
 * Builds, validates and writes `results.json`: the options of the ablation, a summary of the data loaded,
 * and every (condition, symbol) run as PopAgent returned it.
 */
import { join } from 'node:path';
import type { PerformanceSummary, PopAgentRunResult } from '@trading-ml/popagent';
import { writeFileAtomic } from './atomic-write.js';
import type { AblationData } from './data.js';
import type { AblationOptions } from './options.js';
import { resultsDocumentSchema } from './results-schema.js';
import type { ResultsDocument, ResultsLlm, StoredPerformanceSummary } from './results-schema.js';

/** Name and version written in `generatedBy`. */
export const GENERATED_BY = '@trading-ml/popagent-cli 0.1.0';

/** File name of the results document inside --out. */
export const RESULTS_FILE = 'results.json';

/** NaN/±Infinity → null (JSON cannot carry them); finite numbers unchanged. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** A PerformanceSummary with its undefined ratios written as null. */
export function storeSummary(summary: PerformanceSummary): StoredPerformanceSummary {
  return {
    totalReturn: finiteOrNull(summary.totalReturn),
    cagr: finiteOrNull(summary.cagr),
    annualizedVolatility: finiteOrNull(summary.annualizedVolatility),
    sharpeRatio: finiteOrNull(summary.sharpeRatio),
    sharpeInterval: [finiteOrNull(summary.sharpeInterval[0]), finiteOrNull(summary.sharpeInterval[1])],
    sortinoRatio: finiteOrNull(summary.sortinoRatio),
    maxDrawdown: finiteOrNull(summary.maxDrawdown),
    calmarRatio: finiteOrNull(summary.calmarRatio),
    profitFactor: finiteOrNull(summary.profitFactor),
    winRate: finiteOrNull(summary.winRate),
    turnover: finiteOrNull(summary.turnover),
    trades: summary.trades,
    fills: summary.fills,
  };
}

/**
 * Assembles and validates the results document.
 *
 * @param options - the validated ablation options.
 * @param command - the command line as typed, e.g. 'popagent ablation --symbols BTC'.
 * @param data - the loaded data (for the per-symbol bar and gap counts).
 * @param runs - one result per (condition, symbol), in run order (after a budget stop: the finished ones).
 * @param llm - the LLM block when B or D ran (settings, ledger totals, budget stop).
 * @returns the document, already checked against `resultsDocumentSchema` (metrics NaN/Infinity → null).
 * @throws ZodError when a run does not match the schema (a library contract broken), naming the path.
 * @see ./results-schema.ts and the README's results.json table
 * @example
 * const doc = buildResultsDocument(options, 'popagent ablation', data, runs);
 * doc.runs.length; // conditions × symbols
 */
export function buildResultsDocument(
  options: AblationOptions,
  command: string,
  data: AblationData,
  runs: readonly PopAgentRunResult[],
  llm?: ResultsLlm,
): ResultsDocument {
  const document = {
    schemaVersion: 1 as const,
    generatedBy: GENERATED_BY,
    command,
    options: {
      condition: options.condition,
      conditions: [...options.conditions],
      skippedConditions: [...options.skippedConditions],
      symbols: [...options.symbols],
      start: options.start,
      startIso: new Date(options.start).toISOString(),
      end: options.end,
      endIso: new Date(options.end).toISOString(),
      timeframe: options.timeframe,
      periodsPerYear: data.periodsPerYear,
      population: options.population,
      seed: options.seed,
      dataDir: options.dataDir,
      configFile: options.configFile ?? null,
      config: { ...options.config },
    },
    data: data.symbols.map((symbol) => ({
      symbol: symbol.symbol,
      source: symbol.source,
      bars: symbol.bars.length,
      warmUpBars: symbol.warmUpBars,
      gaps: symbol.gaps.length,
      missingBars: symbol.gaps.reduce((sum, gap) => sum + gap.missingBars, 0),
    })),
    runs: runs.map((run) => ({ ...run, metrics: storeSummary(run.metrics), buyAndHold: storeSummary(run.buyAndHold) })),
    ...(llm !== undefined ? { llm } : {}),
  };
  return resultsDocumentSchema.parse(document);
}

/**
 * JSON with two-space indentation, but arrays of plain values (numbers, strings, booleans, null) on one line,
 * so a document's header stays readable and long numeric arrays do not become one number per line.
 *
 * @param value - any JSON-serialisable value.
 * @returns JSON text ending with a newline; `JSON.parse` of it deep-equals `JSON.parse(JSON.stringify(value))`.
 * @throws TypeError from JSON.stringify (cycles, BigInt).
 * @see RFC 8259 (JSON)
 * @example
 * compactJson({ a: [1, 2, 3] }); // '{\n  "a": [1, 2, 3]\n}\n'
 */
export function compactJson(value: unknown): string {
  // JSON strings never hold a raw newline, so "[\n" only opens a structural array, and a body without any
  // bracket or brace outside strings is a run of plain values, one per line, joined here with ", ".
  const pretty = JSON.stringify(value, null, 2);
  return `${pretty.replace(/\[\n\s+([^[\]{}]*?)\n\s*\]/g, (_match, body: string) => `[${body.replace(/,\n\s+/g, ', ')}]`)}\n`;
}

/**
 * Serialises a results document with {@link compactJson}.
 *
 * @param document - a validated results document.
 * @returns the JSON text of results.json.
 * @throws never for a validated document.
 * @see compactJson
 * @example
 * serializeResults(doc).startsWith('{\n  "schemaVersion": 1'); // true
 */
export function serializeResults(document: ResultsDocument): string {
  return compactJson(document);
}

/**
 * Writes `results.json` atomically into `outDir`.
 *
 * @param outDir - output folder (created when missing).
 * @param document - a validated results document.
 * @returns the path written.
 * @throws ZodError when the document does not validate; file-system errors of the write.
 * @see ./atomic-write.ts
 * @example
 * writeResults('out/ablation', doc); // 'out/ablation/results.json'
 */
export function writeResults(outDir: string, document: ResultsDocument): string {
  const path = join(outDir, RESULTS_FILE);
  writeFileAtomic(path, serializeResults(resultsDocumentSchema.parse(document)));
  return path;
}
