/**
 * Progress of the ablation's runs: a cli-progress bar on a terminal, or one plain line per finished run when
 * the bar is off (--no-progress) or stdout is not a terminal (a pipe, a CI log). In-process runs report
 * start, per-bar steps and finish; runs on worker threads report only their finish, in the order they end.
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

/** Units of the bar per run; a run's fraction done is scaled to this. */
const UNITS_PER_RUN = 1000;

/** Receives the progress of every run. */
export interface RunProgress {
  /** A run starts (in-process runs only). */
  start(label: string): void;
  /** `done` of `total` steps of the current run are finished (PopAgent's onProgress; in-process runs only). */
  step(done: number, total: number): void;
  /** A run finished after `seconds` (wall-clock). */
  finish(label: string, seconds: number): void;
  /** All runs are finished (removes the bar). */
  stop(): void;
}

/**
 * Creates the progress reporter for `runs` runs.
 *
 * @param io - where to write; `io.progressStream` is where the bar is drawn.
 * @param runs - number of (condition, symbol) runs.
 * @param wantBar - false for --no-progress.
 * @returns a bar when `wantBar` and `io.isTTY` and a progress stream exists, else a line-per-run reporter.
 * @throws never.
 * @see cli-progress README (SingleBar)
 * @example
 * const progress = createProgress(io, 10, true);
 * progress.start('A BTC/USDT'); progress.step(5, 10); progress.finish('A BTC/USDT', 0.4); progress.stop();
 */
export function createProgress(io: CliIo, runs: number, wantBar: boolean): RunProgress {
  let index = 0;
  if (!wantBar || !io.isTTY || io.progressStream === undefined) {
    return {
      start: () => undefined,
      step: () => undefined,
      finish: (label, seconds) => {
        index += 1;
        io.write(`[${index}/${runs}] ${label} done in ${seconds.toFixed(2)} s\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: io.progressStream,
      format: ' {bar} {percentage}% | {status} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(runs * UNITS_PER_RUN, 0, { status: `0/${runs} runs done` });
  return {
    start: (label) => bar.update(index * UNITS_PER_RUN, { status: `run ${index + 1}/${runs} ${label}` }),
    step: (done, total) => bar.update(Math.round((index + (total > 0 ? done / total : 0)) * UNITS_PER_RUN)),
    finish: (label) => {
      index += 1;
      bar.update(index * UNITS_PER_RUN, { status: `${index}/${runs} runs done, last ${label}` });
    },
    stop: () => bar.stop(),
  };
}
