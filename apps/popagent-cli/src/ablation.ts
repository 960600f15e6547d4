/**
 * The ablation itself, in named phases: open the LLM client (B and D), load the data, run every (condition,
 * symbol) through PopAgent with progress (A and C in-process or on worker threads with --threads > 1; B and D
 * in-process, sharing the LLM client, its cache and its budget), print one results table per condition and the
 * LLM ledger, then write results.json and report.html.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BudgetExceededError, renameConfigParameter } from '@trading-ml/core';
import type { LlmLogger, LlmReasoner } from '@trading-ml/llm-reasoning';
import { LLM_CONDITIONS, runPopAgent, runPopAgentAsync } from '@trading-ml/popagent';
import type { PopAgentInput, PopAgentRunResult } from '@trading-ml/popagent';
import { WARM_UP_BARS, loadAblationData, newsFor } from './data.js';
import type { AblationData } from './data.js';
import { preloadCharts } from './charts.js';
import { CONDITION_LABELS, formatDate } from './format.js';
import type { CliIo } from './io.js';
import { formatLedgerTable, formatUsd, LEDGER_NOTE } from './llm-ledger.js';
import type { AblationLlmSettings, AblationOptions } from './options.js';
import { LLM_SETUP_HINT } from './options.js';
import { createProgress } from './progress.js';
import type { RunProgress } from './progress.js';
import { buildResultsDocument, writeResults } from './results.js';
import type { ResultsDocument, ResultsLlm } from './results-schema.js';
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

/**
 * Opens the LLM client of B and D (creating the cache file's folder); a client ConfigError is re-issued under the
 * flag's name. Its warnings (an invalid answer retried, a fallback to HOLD) go to stderr. The client's modules
 * (openai, SQLite) load only here, so an A/C ablation never pays for them.
 */
async function openReasoner(llm: AblationLlmSettings, seed: number, io: CliIo): Promise<LlmReasoner> {
  const logger: LlmLogger = { error: (m) => io.writeError(`${m}\n`), warn: (m) => io.writeError(`${m}\n`), info: () => undefined, debug: () => undefined };
  const { every: _every, ...client } = llm;
  const { createLlmReasoner, LLM_CLIENT_FLAGS } = await import('@trading-ml/llm-reasoning');
  try {
    mkdirSync(dirname(llm.cache), { recursive: true });
    return createLlmReasoner({ ...client, seed, logger });
  } catch (error) {
    throw renameConfigParameter(error, LLM_CLIENT_FLAGS);
  }
}

/** A spending limit reached during B/D: the error, and the runs that did not finish. */
interface BudgetStop {
  readonly error: BudgetExceededError;
  readonly unfinished: readonly string[];
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

/** True for the conditions that ask the LLM. */
function usesLlm(job: RunJob): boolean {
  return LLM_CONDITIONS.includes(job.input.condition);
}

/**
 * Runs every job: A and C in-process or on the pool, then B and D in-process one after the other with the LLM
 * client, reporting progress. A budget stop ends the B/D runs cleanly: the finished runs are returned.
 */
async function runAll(
  io: CliIo,
  options: AblationOptions,
  jobs: readonly RunJob[],
  pool: RunPool | undefined,
  reasoner: LlmReasoner | undefined,
): Promise<{ runs: PopAgentRunResult[]; stop: BudgetStop | undefined }> {
  const progress = createProgress(io, jobs.length, options.progress);
  const finished = new Map<RunJob, PopAgentRunResult>();
  const plain = jobs.filter((job) => !usesLlm(job));
  const llmJobs = jobs.filter(usesLlm);
  let stop: BudgetStop | undefined;
  try {
    if (pool === undefined) {
      runInProcess(progress, plain).forEach((result, i) => finished.set(plain[i]!, result));
    } else if (plain.length > 0) {
      const results = pool.run(
        plain.map((job) => job.input),
        (index, seconds) => progress.finish(plain[index]!.label, seconds),
      );
      // The main thread only waits for the workers now: load the report's chart modules meanwhile.
      preloadCharts().catch(() => undefined); // a failure resurfaces when the report renders
      (await results).forEach((result, i) => finished.set(plain[i]!, result));
    }
    for (const [i, job] of llmJobs.entries()) {
      progress.start(job.label);
      const began = performance.now();
      try {
        const result = await runPopAgentAsync(job.input, {
          ...(reasoner === undefined ? {} : { reasoner }),
          ...(options.llm === undefined ? {} : { llmEvery: options.llm.every }),
          onProgress: (done, total) => progress.step(done, total),
        });
        finished.set(job, result);
      } catch (error) {
        if (!(error instanceof BudgetExceededError)) throw error;
        stop = { error, unfinished: llmJobs.slice(i).map((unfinished) => unfinished.label) };
        break;
      }
      progress.finish(job.label, (performance.now() - began) / 1000);
    }
  } finally {
    progress.stop();
  }
  return { runs: jobs.flatMap((job) => finished.get(job) ?? []), stop };
}

/** The results.json LLM block: the client settings, its ledger totals and a budget stop. */
function llmBlock(llm: AblationLlmSettings, reasoner: LlmReasoner, stop: BudgetStop | undefined): ResultsLlm {
  const { calls, cacheHits, fallbacks, promptTokens, completionTokens, costUsd } = reasoner.ledger();
  return {
    model: llm.model,
    baseURL: llm.baseURL ?? null,
    cache: llm.cache,
    apiKeyEnv: llm.apiKeyEnv ?? null,
    budgetUsd: llm.budgetUsd ?? null,
    maxTokens: llm.maxTokens ?? null,
    every: llm.every,
    ledger: { calls, cacheHits, fallbacks, promptTokens, completionTokens, costUsd },
    stopped:
      stop === undefined
        ? null
        : { message: stop.error.message, spent: stop.error.spent, limit: stop.error.limit, unit: stop.error.unit, unfinished: [...stop.unfinished] },
  };
}

/** Prints the LLM ledger and, after a budget stop, what was spent and what did not run. */
function printLlm(io: CliIo, block: ResultsLlm, runs: readonly PopAgentRunResult[]): void {
  io.write(`\n${formatLedgerTable(block.model, runs, block.ledger)}\n${LEDGER_NOTE}\n`);
  const stopped = block.stopped;
  if (stopped !== null) {
    io.write(
      `\nLLM spending limit reached, the ablation stopped cleanly: ${stopped.message}.\n` +
        `Spent ${formatUsd(block.ledger.costUsd)} (estimated) and ${block.ledger.promptTokens + block.ledger.completionTokens} tokens in ${block.ledger.calls} calls. ` +
        `Not finished: ${stopped.unfinished.join(', ')}; the finished runs are in results.json. ` +
        `A rerun with a higher limit replays the answers already paid for free from ${block.cache}.\n`,
    );
  }
}

/**
 * Runs the ablation described by `options` and writes its outputs.
 *
 * @param options - validated options (see parseAblationOptions).
 * @param command - the command line as typed, stored in results.json.
 * @param io - output channels (stdout text, progress bar stream).
 * @returns the results document, the files written, elapsed seconds and agent steps per second. After an LLM
 *   budget stop the document holds the finished runs and `llm.stopped` (what was spent, what did not run).
 * @throws DataError / ConfigError from loading or from PopAgent; ConfigError for an LLM client option (named by
 *   its flag); LlmUnavailableError (no endpoint and a cache miss: the client's one-line message says what to
 *   configure); file-system errors from writing.
 * @see Issue "PopAgent ablation" (conditions A–D); the app README
 * @example
 * const outcome = await runAblation(options, 'popagent ablation', processIo());
 * outcome.results.runs.length; // conditions × symbols
 */
export async function runAblation(options: AblationOptions, command: string, io: CliIo): Promise<AblationOutcome> {
  const began = performance.now();
  // First: a client option error is a flag error, before any output.
  const reasoner = options.llm === undefined ? undefined : await openReasoner(options.llm, options.seed, io);
  if (options.skippedConditions.length > 0) {
    io.write(
      `Running conditions ${options.conditions.join(' and ')}. Conditions ${options.skippedConditions.join(' and ')} ` +
        `(LLM reasoning) need an LLM endpoint, which is not configured; they are skipped. To run them, give ${LLM_SETUP_HINT}.\n`,
    );
  }
  // Started before the data loads, so the worker threads load their modules meanwhile.
  const pool = options.threads > 1 ? createRunPool(options.threads) : undefined;
  let data: AblationData;
  let loaded: number;
  let runs: PopAgentRunResult[];
  let llm: ResultsLlm | undefined;
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
    const outcome = await runAll(io, options, runJobs(options, data), pool, reasoner);
    runs = outcome.runs;
    llm = options.llm === undefined || reasoner === undefined ? undefined : llmBlock(options.llm, reasoner, outcome.stop);
  } finally {
    reasoner?.close();
    await pool?.destroy();
  }
  const ran = performance.now();
  const agentSteps = runs.reduce((sum, run) => sum + run.agentSteps, 0);

  for (const condition of options.conditions) {
    if (runs.some((run) => run.condition === condition)) io.write(`\n${formatResultsTable(runs, condition)}\n`);
  }
  io.write(`${SUMMARY_NOTE}\n`);
  if (llm !== undefined) printLlm(io, llm, runs);

  const results = buildResultsDocument(options, command, data, runs, llm);
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
