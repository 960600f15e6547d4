import { describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import type { DayRecord } from '@trading-ml/llm-reasoning';
import { evaluateDecisions } from './evaluate.js';

const DAY = 86_400_000;
const bars: Bar[] = [
  { openTime: 0, closeTime: DAY / 4, open: 100, high: 100, low: 100, close: 100, volume: 1 },
  { openTime: DAY, closeTime: DAY + DAY / 4, open: 110, high: 121, low: 110, close: 121, volume: 1 },
  { openTime: 2 * DAY, closeTime: 2 * DAY + DAY / 4, open: 125, high: 133.1, low: 125, close: 133.1, volume: 1 },
];

function record(bar: Bar, targetPosition: -1 | 0 | 1): DayRecord {
  return {
    version: 1, day: '', time: bar.closeTime, phase: 'test', close: bar.close, realizedMove: null, attitude: 'risk-seeking', offeredIds: [],
    decision: { action: targetPosition === 1 ? 'BUY' : 'SELL', confidence: 1, rationale: '', citedMemoryIds: [] },
    source: 'llm', targetPosition, feedback: null, reflectionId: null, added: [], promoted: [], removed: [],
  };
}

describe('evaluateDecisions', () => {
  it('fills a decision taken at close t at the open of t+1 with 5 bps slippage and 10 bps fee, like buy-and-hold', () => {
    const evaluation = evaluateDecisions(bars, [record(bars[0]!, 0), record(bars[1]!, 1), record(bars[2]!, 1)], {
      symbol: 'TSLA', positions: 'long-flat', periodsPerYear: 252, seed: 1,
    });
    // FinMem buys at the close of bar 1: quantity = 10 000 / 121, filled at bar 2's open 125·1.0005
    const quantity = 10_000 / 121;
    const price = 125 * 1.0005;
    const finalFinMem = 10_000 - quantity * price * 1.001 + quantity * 133.1;
    expect(evaluation.equity.finmem).toHaveLength(3);
    expect(evaluation.equity.finmem[0]).toBe(10_000);
    expect(evaluation.equity.finmem[1]).toBe(10_000); // decided at bar 1's close: nothing filled on bar 1
    expect(evaluation.equity.finmem[2]).toBeCloseTo(finalFinMem, 8);
    expect(evaluation.finmem.cumulativeReturn).toBeCloseTo(finalFinMem / 10_000 - 1, 10);
    // buy-and-hold decides at bar 0's close: 100 units at 110·1.0005, marked at 121 and 133.1
    const bhCash = 10_000 - 100 * 110 * 1.0005 * 1.001;
    expect(evaluation.equity.buyAndHold[1]).toBeCloseTo(bhCash + 100 * 121, 8);
    expect(evaluation.equity.buyAndHold[2]).toBeCloseTo(bhCash + 100 * 133.1, 8);
    expect(evaluation.finmem.fills).toBe(1); // the repeated target 1 on bar 2 placed no second order
  });
});
