import { describe, expect, it } from 'vitest';
import { assertPrefixInvariant } from '@trading-ml/backtest';
import { ConfigError, Rng } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';
import { INITIAL_CASH, LLM_CONDITIONS, runPopAgent, SELECTION_EVERY } from './run.js';
import { realFourHourBars, realNews } from './testing/realBars.js';
import type { PopAgentInput } from './types.js';

const WARM_UP = 200;
const bars = realFourHourBars('BTC/USDT').slice(0, 600);
const news = realNews('BTC/USDT');

function input(overrides: Partial<PopAgentInput> = {}): PopAgentInput {
  return {
    symbol: 'BTC/USDT',
    timeframe: '4h',
    bars,
    start: bars[WARM_UP]!.closeTime,
    end: Number.MAX_SAFE_INTEGER,
    condition: 'A',
    seed: 42,
    periodsPerYear: 2190,
    config: { population: 4, transferEvery: 12, rankingWindow: 12 },
    ...overrides,
  };
}

/** One decision per bar (null during warm-up), the shape the prefix-invariance helper compares. */
function decisionsPerBar(base: PopAgentInput) {
  return (variant: readonly Bar[]) => {
    const { exposure } = runPopAgent({ ...base, bars: variant });
    return [...new Array<null>(WARM_UP).fill(null), ...exposure];
  };
}

describe('runPopAgent', () => {
  it('THE LOOKAHEAD TEST: decisions on the first k bars do not change when later bars are altered or appended', () => {
    // A peek of even one bar changes a reward, hence posterior draws; several cuts and the full population of 10
    // make it (almost surely) flip at least one agent's selection at a cut bar.
    for (const condition of ['A', 'C'] as const) {
      const base = input({ condition, news, config: { population: 10, transferEvery: 12, rankingWindow: 12 } });
      for (const cutIndex of [260, 330, 400, 470, 540]) {
        assertPrefixInvariant({ bars, decide: decisionsPerBar(base), cutIndex, rng: Rng.fromSeed(cutIndex) });
      }
    }
  });

  it('a headline timestamped at or after a bar close has no effect on that bar’s decision', () => {
    const config = { population: 10, transferEvery: 12, rankingWindow: 12 };
    const base = runPopAgent(input({ condition: 'C', news, config }));
    for (const k of [250, 320, 390, 460, 530]) {
      const closeTime = bars[k]!.closeTime;
      const flood: NewsItem[] = Array.from({ length: 20 }, (_, j) => ({
        time: closeTime + j * 60_000, // the first one exactly at the close: not known before it
        symbol: 'BTC',
        source: 'test',
        headline: 'Bitcoin soars: amazing, wonderful, best rally ever, huge gains and joy',
        url: '',
      }));
      const withLate = runPopAgent(input({ condition: 'C', news: [...news, ...flood], config }));
      const d = k - WARM_UP; // decision index of bar k
      expect(withLate.exposure.slice(0, d + 1)).toEqual(base.exposure.slice(0, d + 1));
      expect(withLate.exposure.slice(d + 1)).not.toEqual(base.exposure.slice(d + 1)); // it does count afterwards
    }
  });

  it('returns one exposure and equity point per decision bar, selections every 6 decisions, population × decisions steps', () => {
    let lastProgress: [number, number] = [0, 0];
    const result = runPopAgent(input({ condition: 'C', news }), { onProgress: (done, total) => (lastProgress = [done, total]) });
    const decisions = bars.length - WARM_UP;
    expect(lastProgress).toEqual([bars.length, bars.length]);
    expect(result.exposure.length).toBe(decisions);
    expect(result.equity.time).toEqual(bars.slice(WARM_UP).map((b) => b.closeTime));
    expect(result.equity.strategy.length).toBe(decisions);
    expect(result.equity.buyAndHold.length).toBe(decisions);
    expect(result.equity.strategy[0]).toBe(INITIAL_CASH);
    expect(result.equity.buyAndHold[0]).toBe(INITIAL_CASH);
    expect(result.agentSteps).toBe(4 * decisions);
    expect(result.selections.length).toBe(Math.ceil(decisions / SELECTION_EVERY));
    expect(result.selections[1]!.time).toBe(bars[WARM_UP + SELECTION_EVERY]!.closeTime);
    for (const sample of result.selections) {
      expect(sample.counts.length).toBe(result.methods.length);
      expect(sample.counts.reduce((a, b) => a + b, 0)).toBe(4 * 3); // every agent picks k = 3 methods
      expect(['bear', 'neutral', 'bull']).toContain(sample.regime);
    }
    expect(result.methods).toContain('newsSentiment');
    for (const e of result.exposure) {
      expect(e).toBeGreaterThanOrEqual(0); // long-only by default
      expect(e).toBeLessThanOrEqual(1);
    }
    expect(new Set(result.exposure).size).toBeGreaterThan(10);
    expect(Number.isFinite(result.metrics.sharpeRatio)).toBe(true);
    expect(result.metrics.trades).toBeGreaterThan(0);
    expect(result.buyAndHold.totalReturn).toBeCloseTo(result.equity.buyAndHold.at(-1)! / INITIAL_CASH - 1, 9);
  });

  it('same seed ⇒ identical run; different seeds ⇒ different selections', () => {
    const a = runPopAgent(input());
    const b = runPopAgent(input());
    const c = runPopAgent(input({ seed: 43 }));
    expect(b).toEqual(a);
    expect(c.selections).not.toEqual(a.selections);
  });

  it('uses the reference asset only at equal close times', () => {
    const eth = realFourHourBars('ETH/USDT');
    const ethBars = eth.filter((bar) => bar.closeTime >= bars[0]!.closeTime).slice(0, 600);
    const base = { ...input(), symbol: 'ETH/USDT', bars: ethBars, start: ethBars[WARM_UP]!.closeTime };
    const without = runPopAgent(base);
    const withReference = runPopAgent({ ...base, referenceBars: bars });
    const shifted = bars.map((bar) => ({ ...bar, openTime: bar.openTime + 1, closeTime: bar.closeTime + 1 }));
    const misaligned = runPopAgent({ ...base, referenceBars: shifted });
    expect(withReference.exposure).not.toEqual(without.exposure); // the correlation feature reaches the medium model
    expect(misaligned.exposure).toEqual(without.exposure); // no reference bar shares a close time: none is used
  });

  it('rejects B and D: they ask an LLM, which runPopAgentAsync wires in', () => {
    expect(LLM_CONDITIONS).toEqual(['B', 'D']);
    for (const condition of LLM_CONDITIONS) {
      const attempt = () => runPopAgent(input({ condition }));
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`Invalid condition: got "${condition}", expected 'A' or 'C' for runPopAgent: condition ${condition} asks an LLM; run it with runPopAgentAsync`);
    }
  });

  it('rejects bad inputs with ConfigErrors naming the parameter', () => {
    expect(() => runPopAgent(input({ config: { methodsPerDecision: 20 } }))).toThrow('Invalid methodsPerDecision: got 20');
    expect(() => runPopAgent(input({ start: 10, end: 5 }))).toThrow('Invalid start');
    expect(() => runPopAgent(input({ start: Number.MAX_SAFE_INTEGER - 1 }))).toThrow(ConfigError);
    expect(() => runPopAgent(input({ periodsPerYear: 0 }))).toThrow('Invalid periodsPerYear');
  });
});
