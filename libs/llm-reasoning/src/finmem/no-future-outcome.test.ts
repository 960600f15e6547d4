/**
 * The no-future-outcome rule: whatever happens after day t — prices altered, bars appended, headlines published
 * later — no memory, reflection, prompt or decision at or before t changes.
 */
import { describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import type { MemoryItem } from '../memory/memory-item.js';
import { SqliteMemoryStore } from '../memory/sqlite-memory-store.js';
import { FinMemAgent } from './agent.js';
import type { DayRecord } from './day-record.js';
import type { Headline } from './observations.js';
import { runFinMem } from './run-finmem.js';
import { scriptedReasoner, weekdayBars } from './testing/scripted-reasoner.js';

const CLOSES = [100, 101, 103, 102, 99, 98, 100, 104, 107, 105, 103, 106, 108, 104];
const original = weekdayBars('2023-01-23', CLOSES);
const CUT = 7; // day t = bar index 7
const cutTime = original[CUT]!.closeTime;

/** Every bar after the cut replaced by a crash path, two more bars appended (same weekday calendar). */
const altered = weekdayBars('2023-01-23', [...CLOSES.slice(0, CUT + 1), 60, 55, 70, 40, 45, 30, 35, 20]);

const headlines: Headline[] = [
  { time: original[2]!.closeTime - 3_600_000, source: 'wire', headline: 'Tesla recall widens' },
  { time: original[5]!.closeTime - 3_600_000, source: 'wire', headline: 'Deliveries beat estimates' },
];
const futureHeadlines: Headline[] = [...headlines, { time: original[CUT + 1]!.closeTime - 3_600_000, source: 'wire', headline: 'Shares collapse after fraud probe' }];

async function run(bars: readonly Bar[], news: readonly Headline[]) {
  const store = new SqliteMemoryStore(':memory:');
  const reasoner = scriptedReasoner();
  const agent = await FinMemAgent.open({ symbol: 'TSLA', reasoner, store, character: 'self-adaptive' });
  let memoryAtCut: MemoryItem[] = [];
  const result = await runFinMem({
    agent,
    phase: 'train',
    bars,
    headlines: news,
    start: -Infinity,
    end: Infinity,
    onDay: async (record) => {
      if (record.time === cutTime) memoryAtCut = await store.items('TSLA');
    },
  });
  await store.close();
  const upToCut = <T extends { asOf: number }>(requests: readonly T[]) => requests.filter((request) => request.asOf <= cutTime);
  return {
    records: result.records.filter((record: DayRecord) => record.time <= cutTime),
    memoryAtCut,
    decisionPrompts: upToCut(reasoner.decisions),
    reflectionPrompts: upToCut(reasoner.completions),
    allRecords: result.records,
  };
}

describe('no-future-outcome rule', () => {
  it('leaves every memory, reflection, prompt and decision up to day t unchanged when prices after t change', async () => {
    // sanity: the altered series really differs after the cut and is still ordered
    expect(altered.slice(0, CUT + 1)).toEqual(original.slice(0, CUT + 1));
    expect(altered[CUT + 1]!.close).not.toBe(original[CUT + 1]!.close);
    expect(altered.length).toBe(original.length + 2);

    const truncated = await run(original.slice(0, CUT + 1), headlines);
    const base = await run(original, headlines);
    const changed = await run(altered, futureHeadlines);

    expect(truncated.records).toHaveLength(CUT + 1);
    for (const other of [base, changed]) {
      expect(other.records).toEqual(truncated.records);
      expect(other.memoryAtCut).toEqual(truncated.memoryAtCut);
      expect(other.decisionPrompts).toEqual(truncated.decisionPrompts);
      expect(other.reflectionPrompts).toEqual(truncated.reflectionPrompts);
    }
    // the reflections up to t exist and only ever speak of outcomes realized by their own day
    const reflections = truncated.memoryAtCut.filter((item) => item.layer === 'reflection');
    expect(reflections.length).toBeGreaterThan(0);
    for (const reflection of reflections) expect(reflection.eventTime).toBeLessThanOrEqual(cutTime);
    // and the future did change what came after t (the test can fail)
    expect(changed.allRecords.slice(CUT + 1)).not.toEqual(base.allRecords.slice(CUT + 1));
  });
});
