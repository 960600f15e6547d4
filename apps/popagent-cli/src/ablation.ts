/**
 * The ablation itself, in named phases: load the data, run every (condition, symbol) through PopAgent with
 * progress (in-process, or on worker threads with --threads > 1), print one results table per condition,
 * then write results.json and report.html.
 */
import { performance } from 'node:perf_hooks';
import { runPopAgent } from '@trading-ml/popagent';
import type { PopAgentInput, PopAgentRunResult } from '@trading-ml/popagent';
import { WARM_UP_BARS, loadAblationData, newsFor } from './data.js';
import type { AblationData } from './data.js';
import { preloadCharts } from './charts.js';
import { CONDITION_LABELS, formatDate } from './format.js';
import type { CliIo } from './io.js';
import type { AblationOptions } from './options.js';
import { createProgress } from './progress.js';
import type { RunProgress } from './progress.js';
import { buildResultsDocument, writeResults } from './results.js';
import type { ResultsDocument } from './results-schema.js';
import { writeReport } from './report.js';
import { createRunPool } from './run-pool.js';
import type { RunPool } from './run-pool.js';
import { SUMMARY_NOTE } from './summary-rows.js';
import { formatResultsTable } from './table.js';

/** What one ablation produced. */
export interface AblationOutcome {
  /** The validated results document, as written to results.json. */
  readonly results: ResultsDocument;
  /** Paths written: results.json, report.html, then the chart SVGs. */
  readonly files: readonly string[];
  /** Wall-clock seconds from the start of data loading to the last file written. */
  readonly elapsedSeconds: number;
  /** Agent steps (population × decisions, summed over runs) per second of the run phase. */
  readonly agentStepsPerSecond: number;
}

/** Prints what was loaded: bars, warm-up and gaps per symbol, and the news count. */
function printData(io: CliIo, options: AblationOptions, data: AblationData, seconds: number): void {
  io.write(`Data (${options.dataDir}), ${options.timeframe} bars, ${formatDate(options.start)} → ${formatDate(options.end)} UTC, loaded in ${seconds.toFixed(2)} s:\n`);
  for (const symbol of data.symbols) {
    const missing = symbol.gaps.reduce((sum, gap) => sum + gap.missingBars, 0);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const gaps = symbol.gaps.length === 0 ? 'no gaps' : `${plural(symbol.gaps.length, 'gap')} (${plural(missing, 'missing 1h bar')}, kept as gaps)`;
    io.write(`  ${symbol.symbol}: ${symbol.bars.length} bars incl. ${symbol.warmUpBars} warm-up; ${gaps}\n`);
    if (symbol.warmUpBars < WARM_UP_BARS) {
      io.write(
        `  warning: ${symbol.symbol} has only ${symbol.warmUpBars} of ${WARM_UP_BARS} warm-up bars before --start (its data begins ` +
          `${new Date(symbol.bars[0]!.openTime).toISOString()}); early decisions use features and models that are not yet warm\n`,
      );
    }
  }
  if (data.news !== undefined) io.write(`  news: ${data.news.length} headlines\n`);
}

/** One (condition, symbol) run: its label and its input. */
interface RunJob {
  readonly label: string;
  readonly input: PopAgentInput;
}

/** The runs of the ablation, in result order: per condition, per symbol. */
function runJobs(options: AblationOptions, data: AblationData): RunJob[] {
  return options.conditions.flatMap((condition) =>
    data.symbols.map((symbol): RunJob => {
      const usesNews = condition === 'C' || condition === 'D';
      return {
        label: `${condition} ${symbol.symbol}`,
        input: {
          symbol: symbol.symbol,
          timeframe: options.timeframe,
          bars: symbol.bars,
          ...(symbol.referenceBars !== undefined ? { referenceBars: symbol.referenceBars } : {}),
          ...(usesNews && data.news !== undefined ? { news: newsFor(data.news, symbol.symbol) } : {}),
          start: options.start,
          end: options.end,
          condition,
          seed: options.seed,
          periodsPerYear: data.periodsPerYear,
          config: options.config,
        },
      };
    }),
  );
}

/** Runs every job in-process, one after the other, with per-bar progress. */
function runInProcess(progress: RunProgress, jobs: readonly RunJob[]): PopAgentRunResult[] {
  return jobs.map(({ label, input }) => {
    progress.start(label);
    const began = performance.now();
    const result = runPopAgent(input, { onProgress: (done, total) => progress.step(done, total) });
    progress.finish(label, (performance.now() - began) / 1000);
    return result;
  });
}

/** Runs every job, in-process or on the pool, reporting progress per finished run. */
async function runAll(io: CliIo, options: AblationOptions, jobs: readonly RunJob[], pool: RunPool | undefined): Promise<PopAgentRunResult[]> {
  const progress = createProgress(io, jobs.length, options.progress);
  try {
    if (pool === undefined) return runInProcess(progress, jobs);
    const results = pool.run(
      jobs.map((job) => job.input),
      (index, seconds) => progress.finish(jobs[index]!.label, seconds),
    );
    // The main thread only waits for the workers now: load the report's chart modules meanwhile.
    preloadCharts().catch(() => undefined); // a failure resurfaces when the report renders
    return await results;
  } finally {
    progress.stop();
  }
}

/**
 * Runs the ablation described by `options` and writes its outputs.
 *
 * @param options - validated options (see parseAblationOptions).
 * @param command - the command line as typed, stored in results.json.
 * @param io - output channels (stdout text, progress bar stream).
 * @returns the results document, the files written, elapsed seconds and agent steps per second.
 * @throws DataError / ConfigError from loading or from PopAgent; file-system errors from writing.
 * @see Issue "PopAgent ablation" (conditions A–D); the app README
 * @example
 * const outcome = await runAblation(options, 'popagent ablation', processIo());
 * outcome.results.runs.length; // conditions × symbols
 */
export async function runAblation(options: AblationOptions, command: string, io: CliIo): Promise<AblationOutcome> {
  const began = performance.now();
  if (options.skippedConditions.length > 0) {
    io.write(
      `Running conditions ${options.conditions.join(' and ')}. Conditions ${options.skippedConditions.join(' and ')} ` +
        '(LLM reasoning) need an LLM endpoint, which is not wired in yet; they are skipped.\n',
    );
  }
  // Started before the data loads, so the worker threads load their modules meanwhile.
  const pool = options.threads > 1 ? createRunPool(options.threads) : undefined;
  let data: AblationData;
  let loaded: number;
  let runs: PopAgentRunResult[];
  try {
    data = loadAblationData({
      dataDir: options.dataDir,
      symbols: options.symbols,
      timeframe: options.timeframe,
      start: options.start,
      end: options.end,
      conditions: options.conditions,
    });
    loaded = performance.now();
    printData(io, options, data, (loaded - began) / 1000);
    runs = await runAll(io, options, runJobs(options, data), pool);
  } finally {
    await pool?.destroy();
  }
  const ran = performance.now();
  const agentSteps = runs.reduce((sum, run) => sum + run.agentSteps, 0);

  for (const condition of options.conditions) io.write(`\n${formatResultsTable(runs, condition)}\n`);
  io.write(`${SUMMARY_NOTE}\n`);

  const results = buildResultsDocument(options, command, data, runs);
  const resultsPath = writeResults(options.out, results);
  const wroteResults = performance.now();
  const files = [resultsPath, ...(await writeReport(options.out, results))];
  const finished = performance.now();
  const elapsedSeconds = (finished - began) / 1000;
  const runSeconds = (ran - loaded) / 1000;
  const agentStepsPerSecond = runSeconds > 0 ? agentSteps / runSeconds : 0;

  io.write(`\nWrote ${files[0]}\nWrote ${files[1]} (+ ${files.length - 2} chart SVGs)\n`);
  io.write(
    `Elapsed ${elapsedSeconds.toFixed(2)} s on ${options.threads} thread${options.threads === 1 ? '' : 's'} (data ${((loaded - began) / 1000).toFixed(2)} s, runs ${runSeconds.toFixed(2)} s, ` +
      `results.json ${((wroteResults - ran) / 1000).toFixed(2)} s, report ${((finished - wroteResults) / 1000).toFixed(2)} s); ` +
      `${agentSteps} agent steps, ${Math.round(agentStepsPerSecond).toLocaleString('en-US')} agent-steps/s; ` +
      `conditions ${options.conditions.map((c) => CONDITION_LABELS[c]).join(', ')}.\n`,
  );
  return { results, files, elapsedSeconds, agentStepsPerSecond };
}
