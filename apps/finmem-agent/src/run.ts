/**
 * One `finmem-agent train|test` run: load data, open the memory database and the LLM client, walk the agent over
 * the window (resuming after the last committed day), then — test phase — trade the decisions through the backtest
 * kernel next to buy-and-hold; write the results document and the HTML report atomically; print the tables.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, renameConfigParameter } from '@trading-ml/core';
import { Bm25Relevance, EmbeddingRelevance, FinMemAgent, LLM_CLIENT_FLAGS, PostgresMemoryStore, SqliteMemoryStore, createLlmReasoner, isPostgresUrl, redactUrlPassword, runFinMem } from '@trading-ml/llm-reasoning';
import type { LlmLogger, LlmReasoner, MemoryLayer, MemoryStore } from '@trading-ml/llm-reasoning';
import { writeFileAtomic } from './atomic-write.js';
import { loadRunData } from './data.js';
import { evaluateDecisions } from './evaluate.js';
import { ledgerTable, metricsTable } from './format.js';
import type { CliIo } from './io.js';
import type { FinMemOptions } from './options.js';
import { renderReport } from './report.js';
import { resultsDocumentSchema } from './results-schema.js';
import type { ResultsDocument } from './results-schema.js';

/** Creates the LLM client from the flags; a ConfigError is re-issued under the flag's name. */
function openReasoner(options: FinMemOptions, io: CliIo): LlmReasoner {
  const logger: LlmLogger = { error: (m) => io.writeError(`${m}\n`), warn: (m) => io.writeError(`${m}\n`), info: () => {}, debug: () => {} };
  try {
    return createLlmReasoner({ ...options.llm, seed: options.seed, logger });
  } catch (error) {
    throw renameConfigParameter(error, LLM_CLIENT_FLAGS);
  }
}

/**
 * Opens the memory database: PostgreSQL for a postgres:// URL (the `pg` package loads only then), else a SQLite file
 * (its folder created).
 */
async function openMemoryStore(memoryDb: string): Promise<MemoryStore> {
  if (isPostgresUrl(memoryDb)) {
    try {
      return await PostgresMemoryStore.open({ connectionString: memoryDb });
    } catch (error) {
      throw renameConfigParameter(error, { connectionString: '--memory-db' });
    }
  }
  mkdirSync(dirname(memoryDb), { recursive: true });
  return new SqliteMemoryStore(memoryDb);
}

/** Output file names per phase. */
export function outputFiles(options: Pick<FinMemOptions, 'phase' | 'out'>): { results: string; report: string } {
  return options.phase === 'test'
    ? { results: join(options.out, 'results.json'), report: join(options.out, 'report.html') }
    : { results: join(options.out, 'train.json'), report: join(options.out, 'train.html') };
}

/**
 * Runs one phase.
 * @param options - validated flags.
 * @param command - the command line, recorded in the results.
 * @param io - output channels.
 * @returns the results document (also written to disk).
 * @throws ConfigError (a flag, e.g. a test window overlapping training days), DataError, LlmUnavailableError (no
 *   endpoint and a cache miss: the days before it are kept), LlmOutputError.
 * @see ../README.md
 * @example
 * const doc = await runPhase(parseOptions('test', flags), 'finmem-agent test …', processIo());
 */
export async function runPhase(options: FinMemOptions, command: string, io: CliIo): Promise<ResultsDocument> {
  const reasoner = openReasoner(options, io); // first: a client option error is a flag error, before any output
  // Where the memory is, as printed and written to results.json: a database URL's password masked.
  const memoryShown = isPostgresUrl(options.memoryDb) ? redactUrlPassword(options.memoryDb) : options.memoryDb;
  let store: MemoryStore | undefined;
  try {
    const data = loadRunData(options);
    const window = data.bars.slice(data.first, data.last + 1);
    io.write(`FinMem ${options.phase} ${options.symbol} ${options.start} → ${options.end}: ${window.length} days, ${data.headlines.length} headlines (${data.source})\n`);
    store = await openMemoryStore(options.memoryDb);
    const agent = await FinMemAgent.open({
      symbol: options.symbol,
      reasoner,
      store,
      character: options.character,
      relevance: options.retrieval === 'embedding' ? new EmbeddingRelevance(reasoner) : new Bm25Relevance(),
      topK: options.topK,
      positionMode: options.positions,
    });
    let run;
    try {
      run = await runFinMem({
        agent,
        phase: options.phase,
        bars: data.bars,
        headlines: data.headlines,
        start: (window[0] as (typeof window)[number]).closeTime,
        end: (window[window.length - 1] as (typeof window)[number]).closeTime,
        onDay: (record, resumed) => {
          const cited = record.decision.citedMemoryIds.length;
          io.write(`${record.day} ${record.decision.action.padEnd(4)} → ${record.targetPosition === 1 ? 'long' : record.targetPosition === 0 ? 'flat' : 'short'} (${record.attitude}, ${cited} cited${resumed ? ', resumed' : ''})\n`);
        },
      });
    } catch (error) {
      if (error instanceof ConfigError && error.parameter === 'start') {
        throw new ConfigError({ parameter: '--start', value: options.start, expected: `${error.expected}; use another --memory-db or a later window`, cause: error });
      }
      throw error;
    }
    const items = await store.items(options.symbol);
    const memory: Record<MemoryLayer, number> = { short: 0, mid: 0, long: 0, reflection: 0 };
    for (const item of items) memory[item.layer]++;
    const traded = window.filter((bar) => run.records.some((record) => record.time === bar.closeTime));
    const evaluation =
      options.phase === 'test' && traded.length >= 2
        ? evaluateDecisions(traded, run.records, { symbol: options.symbol, positions: options.positions, periodsPerYear: options.periodsPerYear, seed: options.seed })
        : undefined;
    const ledger = reasoner.ledger();
    const doc = resultsDocumentSchema.parse({
      schemaVersion: 1,
      command,
      phase: options.phase,
      symbol: options.symbol,
      start: options.start,
      end: options.end,
      character: options.character,
      positions: options.positions,
      retrieval: options.retrieval,
      topK: options.topK,
      seed: options.seed,
      model: options.llm.model,
      periodsPerYear: options.periodsPerYear,
      memoryDb: memoryShown,
      days: run.records.length,
      resumedDays: run.resumedDays,
      newDays: run.newDays,
      stopped: run.stopped === undefined ? null : { ...run.stopped, remainingDays: run.remainingDays },
      memory,
      decisions: run.records.map((record) => ({
        day: record.day,
        time: record.time,
        action: record.decision.action,
        confidence: record.decision.confidence,
        targetPosition: record.targetPosition,
        attitude: record.attitude,
        citedMemoryIds: record.decision.citedMemoryIds,
        source: record.source,
        rationale: record.decision.rationale,
      })),
      performance: evaluation === undefined ? null : { finmem: evaluation.finmem, buyAndHold: evaluation.buyAndHold },
      equity: evaluation === undefined ? null : evaluation.equity,
      ledger: { ...ledger, byPurpose: { ...ledger.byPurpose } },
    });
    const files = outputFiles(options);
    writeFileAtomic(files.results, `${JSON.stringify(doc, null, 2)}\n`);
    writeFileAtomic(files.report, renderReport(doc));

    io.write(`\n${options.symbol} ${options.phase}: ${doc.days} days (${doc.newDays} new, ${doc.resumedDays} resumed); memory ${memory.short} short, ${memory.mid} mid, ${memory.long} long, ${memory.reflection} reflection\n`);
    if (doc.performance !== null) io.write(`${metricsTable(doc.performance.finmem, doc.performance.buyAndHold)}\n`);
    io.write(`${ledgerTable(doc.ledger)}\n`);
    if (doc.stopped !== null) io.write(`stopped early by the LLM budget (${doc.stopped.message}); ${doc.stopped.remainingDays} days left — rerun with a larger budget to resume\n`);
    io.write(`wrote ${files.results} and ${files.report}; memory in ${memoryShown}\n`);
    return doc;
  } finally {
    reasoner.close();
    await store?.close();
  }
}
