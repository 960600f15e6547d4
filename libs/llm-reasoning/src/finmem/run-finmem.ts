/**
 * Walks a FinMem agent day by day over a window of daily bars, resuming after the last committed day. Each step
 * sees the bars closed so far and the headlines published since the previous close — nothing later — so the
 * memories, reflections, prompts and decisions of a day cannot depend on anything after that day's close.
 */
import { BudgetExceededError, ConfigError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import type { FinMemAgent } from './agent.js';
import type { DayRecord, Phase } from './day-record.js';
import type { Headline } from './observations.js';

/** Options of {@link runFinMem}. */
export interface RunFinMemOptions {
  readonly agent: FinMemAgent;
  readonly phase: Phase;
  /** Daily bars in time order, including bars before `start` (they give the first day its history). */
  readonly bars: readonly Bar[];
  /** Headlines in time order (any symbol filter is the caller's). */
  readonly headlines: readonly Headline[];
  /** First decision: bars with closeTime ≥ start (UTC ms). */
  readonly start: number;
  /** Last decision: bars with closeTime ≤ end (UTC ms). */
  readonly end: number;
  /** Awaited after each day, `resumed` = true for a day read back from the store instead of run. */
  readonly onDay?: (record: DayRecord, resumed: boolean) => void | Promise<void>;
}

/** Outcome of {@link runFinMem}. */
export interface FinMemRunResult {
  /** The window's records, in order (resumed and new). */
  readonly records: readonly DayRecord[];
  /** Days read back from the store. */
  readonly resumedDays: number;
  /** Days run now. */
  readonly newDays: number;
  /** Days of the window not run because the run stopped early. */
  readonly remainingDays: number;
  /** Set when a spending limit stopped the run; everything before it is committed. */
  readonly stopped?: { readonly reason: 'budget'; readonly message: string };
}

/**
 * Runs (or resumes) the agent over the window.
 * @param options - see {@link RunFinMemOptions}.
 * @returns the window's records and how many were resumed or new; `stopped` when the LLM budget ran out.
 * @throws ConfigError (parameter 'start') when the window reaches back into days already committed in another
 *   phase or skipped (memories would then hold information from after the decision); errors of the agent other
 *   than BudgetExceededError.
 * @see FinMemAgent.step
 * @example
 * const { records } = await runFinMem({ agent, phase: 'train', bars, headlines, start: Date.UTC(2023, 0, 1), end: Date.UTC(2023, 2, 1) });
 */
export async function runFinMem(options: RunFinMemOptions): Promise<FinMemRunResult> {
  const { agent, phase, bars, headlines, start, end, onDay } = options;
  const stored = new Map(agent.records.map((record) => [record.time, record]));
  const lastStored = agent.records[agent.records.length - 1]?.time ?? -Infinity;
  const window = bars.map((bar, index) => ({ bar, index })).filter(({ bar }) => bar.closeTime >= start && bar.closeTime <= end);
  const records: DayRecord[] = [];
  let resumedDays = 0;
  let newDays = 0;
  let cursor = 0; // headlines before this index are published at or before the previous bar's close
  for (const [position, { bar, index }] of window.entries()) {
    if (bar.closeTime <= lastStored) {
      const existing = stored.get(bar.closeTime);
      if (existing === undefined || existing.phase !== phase) {
        const last = agent.records[agent.records.length - 1];
        throw new ConfigError({
          parameter: 'start',
          value: new Date(start).toISOString().slice(0, 10),
          expected: `a ${phase} window after the memory's last day ${last?.day ?? ''} (${last?.phase ?? ''}), or a rerun of the same ${phase} window; day ${new Date(bar.closeTime).toISOString().slice(0, 10)} is ${existing === undefined ? 'not in the memory' : `a ${existing.phase} day`}`,
        });
      }
      records.push(existing);
      resumedDays++;
      await onDay?.(existing, true);
      continue;
    }
    const from = index > 0 ? (bars[index - 1] as Bar).closeTime : bar.openTime;
    while (cursor < headlines.length && (headlines[cursor] as Headline).time <= from) cursor++;
    let stop = cursor;
    while (stop < headlines.length && (headlines[stop] as Headline).time <= bar.closeTime) stop++;
    try {
      const record = await agent.step(phase, { history: bars.slice(0, index + 1), headlines: headlines.slice(cursor, stop) });
      records.push(record);
      newDays++;
      await onDay?.(record, false);
    } catch (error) {
      if (error instanceof BudgetExceededError) {
        return { records, resumedDays, newDays, remainingDays: window.length - position, stopped: { reason: 'budget', message: error.message } };
      }
      throw error;
    }
  }
  return { records, resumedDays, newDays, remainingDays: 0 };
}
