/**
 * `popagent pbt` in named phases: prepare the output folder (fresh or --resume), load the data, walk the untuned
 * default through the windows, run PBT (one generation per window, a row printed per generation, a checkpoint
 * each), write best-config.json, trade the held-out final window with the best member, the default and
 * buy-and-hold, then write results.json and report.html.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError, PERIODS_PER_YEAR_24_7, Rng } from '@trading-ml/core';
import { JsonlLineageLog, PopulationBasedTraining, PopulationCheckpointStore, sampleHyperparameters } from '@trading-ml/pbt';
import type { GenerationEvent, Hyperparameters, PbtRunResult } from '@trading-ml/pbt';
import { DEFAULT_POPAGENT_CONFIG } from '@trading-ml/popagent';
import type { PopAgentEngineState, TunableHyperparameters } from '@trading-ml/popagent';
import { writeFileAtomic } from '../atomic-write.js';
import { formatDate, formatRatio } from '../format.js';
import type { CliIo } from '../io.js';
import { GENERATED_BY, compactJson, storeSummary } from '../results.js';
import { createExecutor } from './executor.js';
import { evaluateFinalWindow } from './final-window.js';
import { formatFinalTable } from './final-table.js';
import { meanFitness } from './fitness.js';
import { formatGenerationTable, formatHyperparameters, generationRows } from './generations.js';
import { PopAgentPbtMember, barsBetween, loadSeries } from './member.js';
import type { MemberState } from './member.js';
import type { PbtOptions } from './options.js';
import { writePbtReport } from './report.js';
import { pbtResultsSchema } from './results-schema.js';
import type { PbtResultsDocument } from './results-schema.js';
import { RUN_KEY, encodeRunSpec, windowBounds } from './run-spec.js';
import type { RunSpec } from './run-spec.js';
import { hyperparametersOf, popAgentSpace, tunableConfig } from './space.js';

/** Files inside --out. */
export const PBT_FILES = { results: 'results.json', bestConfig: 'best-config.json', lineage: 'lineage.jsonl', checkpoints: 'checkpoints' } as const;

/** What one `popagent pbt` produced. */
export interface PbtOutcome {
  readonly results: PbtResultsDocument;
  /** Paths written: results.json, best-config.json, lineage.jsonl, report.html, then the chart SVGs. */
  readonly files: readonly string[];
  /** The generation the run resumed from, or null for a fresh run. */
  readonly resumedFrom: number | null;
  readonly elapsedSeconds: number;
}

/**
 * The run description every member carries.
 *
 * @param options - validated flags.
 * @returns the spec (windows = generations + 1).
 * @throws never.
 * @example
 * runSpecOf(options).windows; // options.generations + 1
 */
export function runSpecOf(options: PbtOptions): RunSpec {
  return {
    dataDir: options.dataDir,
    symbols: options.symbols,
    timeframe: options.timeframe,
    start: options.start,
    end: options.end,
    windows: options.generations + 1,
    agents: options.agents,
    fitness: options.fitness,
    drawdownCap: options.drawdownCap,
  };
}

/** The last bar close recorded in a member state's engines (UTC ms). */
function lastSeenClose(state: MemberState): number {
  return Math.max(
    ...Object.values(state.engines).map((engine: PopAgentEngineState) => (engine.bars.firstCloseTime ?? 0) + engine.bars.closeTimeSteps.reduce((a, b) => a + b, 0)),
  );
}

/** Fresh run: removes an earlier run's checkpoints and lineage. Resume: checks that the checkpoint is this run's. */
function prepareOutput(options: PbtOptions, spec: RunSpec, io: CliIo): void {
  const checkpoints = join(options.out, PBT_FILES.checkpoints);
  if (!options.resume) {
    rmSync(checkpoints, { recursive: true, force: true });
    rmSync(join(options.out, PBT_FILES.lineage), { force: true });
    return;
  }
  const saved = new PopulationCheckpointStore({ directory: checkpoints }).loadLatest();
  if (saved === null) {
    io.write(`--resume: no checkpoint in ${checkpoints}; starting afresh.\n`);
    return;
  }
  const theirs = saved.members[0]?.hyperparameters[RUN_KEY];
  if (theirs !== encodeRunSpec(spec)) {
    throw new ConfigError({
      parameter: '--resume',
      value: options.out,
      expected: `a checkpoint written with the same data, symbols, dates, generations, agents and fitness flags; it holds ${String(theirs)}`,
    });
  }
}

/** The untuned default walked through every PBT window: its fitness per window and its state at the end. */
function runUntuned(spec: RunSpec, seed: number): { fitness: number[]; state: MemberState; hyperparameters: TunableHyperparameters } {
  const hyperparameters = tunableConfig(hyperparametersOf(DEFAULT_POPAGENT_CONFIG));
  const member = new PopAgentPbtMember(spec, hyperparameters, seed, null);
  const fitness: number[] = [];
  for (let w = 0; w < spec.windows; w++) {
    const { trades } = member.tradeNextWindow(Rng.fromSeed(seed));
    fitness.push(meanFitness(spec.fitness, trades.map((t) => t.summary), spec.drawdownCap));
  }
  return { fitness, state: member.snapshot(), hyperparameters };
}

/** The initial population: hyperparameters sampled from the space with the seed, plus the run description. */
function initialPopulation(options: PbtOptions, spec: RunSpec): Hyperparameters[] {
  const rng = Rng.fromSeed(options.seed).derive('popagent-pbt/initial-hyperparameters');
  const space = popAgentSpace();
  const run = encodeRunSpec(spec);
  return Array.from({ length: options.population }, () => ({ ...sampleHyperparameters(space, rng), [RUN_KEY]: run }));
}

/**
 * Runs PBT of the PopAgent hyperparameters as `options` describe and writes its outputs.
 *
 * @param options - validated flags (see parsePbtOptions).
 * @param command - the command line as typed (stored in results.json).
 * @param io - output channels.
 * @returns the results document, the files written, the generation resumed from and the wall time.
 * @throws ConfigError (bad --resume), DataError (data), StateError (checkpoint), executor errors.
 * @see Jaderberg et al. (2017), arXiv:1711.09846; libs/pbt README; the app README ("popagent pbt")
 * @example
 * const outcome = await runPbt(parsePbtOptions(flags), 'popagent pbt', processIo());
 */
export async function runPbt(options: PbtOptions, command: string, io: CliIo): Promise<PbtOutcome> {
  const began = performance.now();
  const seconds = () => ((performance.now() - began) / 1000).toFixed(1);
  const spec = runSpecOf(options);
  prepareOutput(options, spec, io);
  // Threads load their modules while this thread loads the data.
  const executor = createExecutor(options);
  let result: PbtRunResult;
  let untuned: ReturnType<typeof runUntuned>;
  const bounds = windowBounds(spec.start, spec.end, spec.windows, spec.timeframe);
  const series = loadSeries(spec, spec.end);
  const windows = bounds.slice(0, -1).map((from, index) => {
    const to = bounds[index + 1]!;
    const closes = series.map((s) => barsBetween(s.bars, from, to).map((bar) => bar.closeTime));
    return { index, from, to, firstClose: Math.min(...closes.map((c) => c[0]!)), lastClose: Math.max(...closes.map((c) => c.at(-1)!)), bars: closes[0]!.length };
  });
  try {
    io.write(
      `PBT of PopAgent on ${options.symbols.join(', ')} (${options.timeframe}): ${options.population} members, ${spec.windows} windows ` +
        `${formatDate(options.start)} → ${formatDate(options.end)} (${windows.map((w) => w.bars).join('/')} bars), ` +
        `${options.agents} agents per engine, fitness ${options.fitness}, executor ${options.executor}${options.executor === 'threads' ? ` × ${options.threads}` : ''}, seed ${options.seed}.\n`,
    );
    untuned = runUntuned(spec, options.seed);
    io.write(`Untuned default, fitness per window: ${untuned.fitness.map((f) => formatRatio(f)).join(', ')} (${seconds()} s)\n`);

    const pbt = new PopulationBasedTraining({
      population: initialPopulation(options, spec),
      hyperparameterSpace: popAgentSpace(),
      perturbationInterval: 1,
      seed: options.seed,
      executor,
      checkpointStore: new PopulationCheckpointStore({ directory: join(options.out, PBT_FILES.checkpoints) }),
      lineageLog: new JsonlLineageLog(join(options.out, PBT_FILES.lineage)),
      onGeneration: (event: GenerationEvent) => {
        const scores = event.members.map((m) => m.lastScore ?? Number.NaN).sort((a, b) => a - b);
        const median = scores.length % 2 === 1 ? scores[(scores.length - 1) / 2]! : (scores[scores.length / 2 - 1]! + scores[scores.length / 2]!) / 2;
        const exploits = event.records.filter((r) => r.kind === 'exploit').length;
        const w = windows[event.generation - 1];
        io.write(
          `generation ${event.generation}/${spec.windows} (${w === undefined ? '?' : `${formatDate(w.from)} → ${formatDate(w.to)}`}): ` +
            `best #${event.best.memberId} ${formatRatio(event.best.lastScore)}, median ${formatRatio(median)}, default ${formatRatio(untuned.fitness[event.generation - 1] ?? null)}, ` +
            `exploits ${exploits}; best ${formatHyperparameters(tunableConfig(event.best.hyperparameters) as unknown as Record<string, number>)} (${seconds()} s)\n`,
        );
      },
    });
    result = await pbt.run({ generations: spec.windows });
  } finally {
    await executor.close();
  }
  if (result.resumedFrom !== null) io.write(`Resumed from the checkpoint after generation ${result.resumedFrom}.\n`);

  const rows = generationRows(result.lineage, untuned.fitness);
  io.write(`\n${formatGenerationTable(rows, bounds)}\n`);

  const best = result.best;
  const bestHyperparameters = tunableConfig(best.hyperparameters);
  const bestConfig = { population: options.agents, ...bestHyperparameters };
  const bestConfigPath = join(options.out, PBT_FILES.bestConfig);
  writeFileAtomic(bestConfigPath, `${JSON.stringify(bestConfig, null, 2)}\n`);

  const final = evaluateFinalWindow(spec, options.finalEnd, { hyperparameters: bestHyperparameters, seed: best.seed, state: best.state }, { ...untuned, seed: options.seed }, options.seed);
  io.write(
    `\nFinal window ${formatDate(options.end)} → ${formatDate(options.finalEnd)} (${final.bars} bars, never scored by PBT): fitness ` +
      `PBT best ${formatRatio(final.fitness.best)}, untuned default ${formatRatio(final.fitness.default)}, buy & hold ${formatRatio(final.fitness.buyAndHold)}\n` +
      `${formatFinalTable(final.symbols.map((s) => ({ symbol: s.symbol, best: s.best, default: s.default, buyAndHold: s.buyAndHold })))}\n`,
  );

  const document = pbtResultsSchema.parse({
    schemaVersion: 1,
    kind: 'popagent-pbt',
    generatedBy: GENERATED_BY,
    command,
    options: {
      symbols: [...options.symbols],
      timeframe: options.timeframe,
      periodsPerYear: PERIODS_PER_YEAR_24_7[options.timeframe],
      start: options.start,
      startIso: new Date(options.start).toISOString(),
      end: options.end,
      endIso: new Date(options.end).toISOString(),
      finalEnd: options.finalEnd,
      finalEndIso: new Date(options.finalEnd).toISOString(),
      population: options.population,
      generations: options.generations,
      agents: options.agents,
      seed: options.seed,
      fitness: options.fitness,
      drawdownCap: options.drawdownCap,
      executor: options.executor,
      dataDir: options.dataDir,
    },
    windows,
    generations: rows,
    best: { memberId: best.memberId, fitness: best.lastScore ?? Number.NaN, hyperparameters: { ...bestHyperparameters }, config: bestConfig, lastSeenClose: lastSeenClose(best.state as unknown as MemberState) },
    untuned: { fitness: untuned.fitness, lastSeenClose: lastSeenClose(untuned.state) },
    finalWindow: {
      from: options.end,
      to: options.finalEnd,
      firstClose: final.firstClose,
      lastClose: final.lastClose,
      bars: final.bars,
      fitness: final.fitness,
      symbols: final.symbols.map((s) => ({ symbol: s.symbol, best: storeSummary(s.best), default: storeSummary(s.default), buyAndHold: storeSummary(s.buyAndHold), equity: s.equity })),
    },
  });
  const resultsPath = join(options.out, PBT_FILES.results);
  writeFileAtomic(resultsPath, compactJson(document));
  const lineagePath = join(options.out, PBT_FILES.lineage);
  const reportFiles = await writePbtReport(options.out, document, result.lineage);
  const files = [resultsPath, bestConfigPath, lineagePath, ...reportFiles];
  const elapsedSeconds = (performance.now() - began) / 1000;
  io.write(`\nWrote ${resultsPath}\nWrote ${bestConfigPath} (use: popagent ablation --config ${bestConfigPath})\nWrote ${lineagePath}\nWrote ${reportFiles[0]} (+ ${reportFiles.length - 1} chart SVGs)\nElapsed ${elapsedSeconds.toFixed(2)} s.\n`);
  return { results: document, files, resumedFrom: result.resumedFrom, elapsedSeconds };
}
