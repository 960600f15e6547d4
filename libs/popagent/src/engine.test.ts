import { describe, expect, it } from 'vitest';
import { assertPrefixInvariant } from '@trading-ml/backtest';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { PopAgentEngine } from './engine.js';
import type { PopAgentEngineOptions, PopAgentEngineState, PopAgentProposal } from './engineTypes.js';
import { TUNABLE_HYPERPARAMETERS } from './hyperparameters.js';
import { validatePopAgentConfig } from './config.js';
import { runPopAgent } from './run.js';
import { realFourHourBars, realNews } from './testing/realBars.js';

const WARM_UP = 200;
const btc = realFourHourBars('BTC/USDT').slice(0, 330);
const news = realNews('BTC/USDT');
const eth = realFourHourBars('ETH/USDT')
  .filter((bar) => bar.closeTime >= btc[0]!.closeTime)
  .slice(0, 330);
const btcByClose = new Map(realFourHourBars('BTC/USDT').map((bar) => [bar.closeTime, bar]));
const SMALL = { population: 4, transferEvery: 12, rankingWindow: 12 };

interface Stream {
  readonly options: PopAgentEngineOptions;
  readonly bars: readonly Bar[];
  readonly reference: (bar: Bar) => Bar | null;
}

/** A: ETH with BTC as the reference asset (the correlation feature is replayed too); C: BTC with news. */
const STREAMS: Record<'A' | 'C', Stream> = {
  A: {
    options: { symbol: 'ETH/USDT', timeframe: '4h', condition: 'A', seed: 42, periodsPerYear: 2190, config: SMALL },
    bars: eth,
    reference: (bar) => btcByClose.get(bar.closeTime) ?? null,
  },
  C: { options: { symbol: 'BTC/USDT', timeframe: '4h', condition: 'C', seed: 42, periodsPerYear: 2190, config: SMALL, news }, bars: btc, reference: () => null },
};

/** Feeds bars [from, to) (warm-up before WARM_UP), returning the proposal of each step (null while warming up). */
function drive(engine: PopAgentEngine, stream: Stream, bars: readonly Bar[], from: number, to: number): Array<PopAgentProposal | null> {
  const out: Array<PopAgentProposal | null> = [];
  for (let i = from; i < to; i++) {
    const bar = bars[i]!;
    if (i < WARM_UP) {
      engine.warmUp(bar, stream.reference(bar));
      out.push(null);
    } else out.push(engine.step(bar, stream.reference(bar)));
  }
  return out;
}

function throughJson(state: PopAgentEngineState): PopAgentEngineState {
  return JSON.parse(JSON.stringify(state)) as PopAgentEngineState;
}

describe('PopAgentEngine', () => {
  it.each(['A', 'C'] as const)('condition %s: snapshot → JSON → restore into a fresh engine continues bit-identically, at every cut', (condition) => {
    const stream = STREAMS[condition];
    const full = new PopAgentEngine(stream.options);
    const uninterrupted = drive(full, stream, stream.bars, 0, stream.bars.length);
    const finalState = JSON.stringify(full.snapshot());
    // 0: nothing seen; 30: before the HMM exists (< 42 returns); 150: warm-up; 200: first step next; 261: mid-run,
    // a pending decision, between transfers (every 12 decisions) and medium refreshes (every 6 bars).
    for (const cut of [0, 30, 150, 200, 261]) {
      const first = new PopAgentEngine(stream.options);
      drive(first, stream, stream.bars, 0, cut);
      const resumed = new PopAgentEngine(stream.options);
      resumed.restore(throughJson(first.snapshot()));
      expect(resumed.barsSeen).toBe(cut);
      const rest = drive(resumed, stream, stream.bars, cut, stream.bars.length);
      expect(rest).toStrictEqual(uninterrupted.slice(cut));
      expect(JSON.stringify(resumed.snapshot())).toBe(finalState);
    }
  });

  it('snapshots are plain JSON data: the round trip changes nothing', () => {
    const stream = STREAMS.C;
    const engine = new PopAgentEngine(stream.options);
    drive(engine, stream, stream.bars, 0, 240);
    const state = engine.snapshot();
    expect(throughJson(state)).toStrictEqual(state);
    expect(state.bars.close.length).toBe(240);
    expect(state.population.agents.length).toBe(4);
  });

  it.each(['A', 'C'] as const)('condition %s: THE LOOKAHEAD TEST — proposals up to a bar do not change when later bars are altered or appended', (condition) => {
    const stream = STREAMS[condition];
    const bars = stream.bars.slice(0, 300);
    // Whole proposals are compared: a peek would show in a forecast, a signal or a selection count.
    const decide = (variant: readonly Bar[]) => drive(new PopAgentEngine(stream.options), stream, variant, 0, variant.length);
    for (const cutIndex of [230, 270]) assertPrefixInvariant({ bars, decide, cutIndex, rng: Rng.fromSeed(cutIndex) });
  });

  it('drives runPopAgent: the same exposures and selections as stepping an engine by hand', () => {
    const stream = STREAMS.C;
    const result = runPopAgent({ ...stream.options, bars: btc, start: btc[WARM_UP]!.closeTime, end: Number.MAX_SAFE_INTEGER, news });
    const proposals = drive(new PopAgentEngine(stream.options), stream, btc, 0, btc.length).filter((p) => p !== null);
    expect(result.exposure).toStrictEqual(proposals.map((p) => p.exposure));
    expect(result.selections[2]!.counts).toStrictEqual(proposals[12]!.methods.map((m) => m.selectedBy));
    expect(result.methods).toStrictEqual(proposals[0]!.methods.map((m) => m.name));
  });

  it('runPopAgent on the engine reproduces the pre-engine implementation exactly (golden values)', () => {
    // Recorded with the one-call runPopAgent before the engine existed (same bars, seed and config).
    const bars = realFourHourBars('BTC/USDT').slice(0, 400);
    const golden = {
      A: { e: [0.23229127516660636, 0.17338897727231592, 0.593883602020571], equity: 10000.200500176721, sum: 48.54983322839502, counts: [2, 0, 1, 3, 1, 0, 1, 0, 0, 2, 1, 0, 1, 0] },
      C: { e: [0.3156246084999397, 0, 0.6959003368567798], equity: 10240.322647278423, sum: 46.117227090790024, counts: [1, 0, 1, 1, 2, 1, 0, 0, 1, 1, 1, 1, 0, 2, 0] },
    };
    for (const condition of ['A', 'C'] as const) {
      const r = runPopAgent({ symbol: 'BTC/USDT', timeframe: '4h', bars, news, condition, seed: 42, periodsPerYear: 2190, start: bars[200]!.closeTime, end: Number.MAX_SAFE_INTEGER, config: SMALL });
      const g = golden[condition];
      expect([r.exposure[0], r.exposure[57], r.exposure[199]]).toStrictEqual(g.e);
      expect(r.equity.strategy.at(-1)).toBe(g.equity);
      expect(r.exposure.reduce((a, b) => a + b, 0)).toBe(g.sum);
      expect(r.selections.at(-1)!.counts).toStrictEqual(g.counts);
    }
  });

  it('proposes a complete, consistent picture of the decision', () => {
    const stream = STREAMS.C;
    const engine = new PopAgentEngine(stream.options);
    const proposals = drive(engine, stream, btc, 0, btc.length).filter((p) => p !== null);
    const last = proposals.at(-1)!;
    expect(last.time).toBe(btc.at(-1)!.closeTime);
    expect(last.decision).toBe(btc.length - WARM_UP - 1);
    expect(last.methods.map((m) => m.name)).toContain('newsSentiment');
    expect(last.methods.reduce((sum, m) => sum + m.selectedBy, 0)).toBe(4 * 3); // 4 agents × k = 3
    expect(last.regimePosterior!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(last.regime).toBe(['bear', 'neutral', 'bull'][last.regimePosterior!.indexOf(Math.max(...last.regimePosterior!))]);
    expect(last.volatility).toBeGreaterThan(0);
    for (const key of ['sgd', 'rls', 'medium'] as const) expect(Number.isFinite(last.forecasts[key])).toBe(true);
    expect(last.sentiment).not.toBeNull();
    // The exposure is the agents' average of their selected signals, each clipped to [0, 1] (long-only).
    for (const p of proposals) {
      expect(p.exposure).toBeGreaterThanOrEqual(0);
      expect(p.exposure).toBeLessThanOrEqual(1);
      for (const m of p.methods) expect(Math.abs(m.signal)).toBeLessThanOrEqual(1);
    }
    const a = new PopAgentEngine({ ...STREAMS.A.options, symbol: 'BTC/USDT' });
    const first = drive(a, STREAMS.A, btc, 0, WARM_UP + 1).at(-1)!;
    expect(first.sentiment).toBeNull();
    expect(first.methods.map((m) => m.name)).not.toContain('newsSentiment');
  });

  it('setHyperparameters validates like the config: ConfigError for a fixed key or a bad value, and nothing changes', () => {
    const engine = new PopAgentEngine(STREAMS.A.options);
    const before = engine.config;
    expect(() => engine.setHyperparameters({ population: 3 } as never)).toThrow(ConfigError);
    expect(() => engine.setHyperparameters({ population: 3 } as never)).toThrow(/Invalid population: got 3, expected one of the tunable keys/);
    expect(() => engine.setHyperparameters({ allowShort: true } as never)).toThrow('Invalid allowShort');
    expect(() => engine.setHyperparameters({ discount: 0 })).toThrow('Invalid discount: got 0, expected a number in (0, 1]');
    expect(() => engine.setHyperparameters({ transferRate: 0.1, rankingWindow: 2.5 })).toThrow('Invalid rankingWindow: got 2.5');
    expect(() => engine.setHyperparameters({ methodsPerDecision: 15 })).toThrow('Invalid methodsPerDecision: got 15, expected an integer in [1, 14]');
    expect(engine.config).toBe(before);
    engine.setHyperparameters({ discount: 0.97, methodsPerDecision: 2, sgdLearningRate: 0.003, volatilityTarget: 0.8 });
    expect(engine.config).toStrictEqual({ ...before, discount: 0.97, methodsPerDecision: 2, sgdLearningRate: 0.003, volatilityTarget: 0.8 });
    const state = engine.snapshot();
    expect(state.config.discount).toBe(0.97);
    expect(state.population.agents[0]!.methodsPerDecision).toBe(2);
    expect((state.population.agents[0]!.bandit as { discount: number }).discount).toBe(0.97);
    expect((state.models.sgd.learner as { learningRate: number }).learningRate).toBe(0.003);
  });

  it('TUNABLE_HYPERPARAMETERS are valid search spaces: every bound passes the config validation and contains the default', () => {
    const defaults = validatePopAgentConfig();
    for (const { name, min, max, scale } of TUNABLE_HYPERPARAMETERS) {
      expect(min).toBeLessThan(max);
      if (scale === 'int') expect(Number.isInteger(min) && Number.isInteger(max)).toBe(true);
      if (scale === 'log') expect(min).toBeGreaterThan(0);
      expect(() => validatePopAgentConfig({ [name]: min }) && validatePopAgentConfig({ [name]: max })).not.toThrow();
      expect(defaults[name]).toBeGreaterThanOrEqual(min);
      expect(defaults[name]).toBeLessThanOrEqual(max);
    }
    const engine = new PopAgentEngine(STREAMS.A.options);
    engine.setHyperparameters(Object.fromEntries(TUNABLE_HYPERPARAMETERS.map((r) => [r.name, r.max])));
    engine.setHyperparameters(Object.fromEntries(TUNABLE_HYPERPARAMETERS.map((r) => [r.name, r.min])));
  });

  it('PBT exploit: restore a better member’s snapshot (other hyperparameters and seed), then setHyperparameters(own) — continues as that member explored to own values', () => {
    const stream = STREAMS.C;
    const own = { discount: 0.95, methodsPerDecision: 2, transferEvery: 7, transferRate: 0.4, rankingWindow: 5, sgdLearningRate: 0.02, rlsForgettingFactor: 0.98, volatilityTarget: 0.3, rebalanceThreshold: 0.05 };
    const cut = 250;
    const source = new PopAgentEngine({ ...stream.options, seed: 1 });
    drive(source, stream, btc, 0, cut);
    const member = new PopAgentEngine({ ...stream.options, seed: 2, config: { ...SMALL, ...own } });
    drive(member, stream, btc, 0, cut);
    member.restore(throughJson(source.snapshot()));
    expect(member.config).toStrictEqual(source.config);
    member.setHyperparameters(own);
    expect(member.config).toStrictEqual({ ...source.config, ...own });
    // Reference: the source itself explored to the same values at the same bar.
    source.setHyperparameters(own);
    const expected = drive(source, stream, btc, cut, btc.length);
    const actual = drive(member, stream, btc, cut, btc.length);
    expect(actual).toStrictEqual(expected);
    // and the new values matter: without them the member would have decided otherwise
    const unexplored = new PopAgentEngine({ ...stream.options, seed: 1 });
    drive(unexplored, stream, btc, 0, btc.length - 1);
    expect(drive(unexplored, stream, btc, btc.length - 1, btc.length)).not.toStrictEqual(expected.slice(-1));
  });

  it('restore rejects a corrupted snapshot with a StateError naming the field, and leaves the engine as it was', () => {
    const stream = STREAMS.C;
    const engine = new PopAgentEngine(stream.options);
    drive(engine, stream, btc, 0, 260);
    const good = engine.snapshot();
    const corrupt = (mutate: (s: Record<string, any>) => void): PopAgentEngineState => {
      const copy = throughJson(good) as unknown as Record<string, any>;
      mutate(copy);
      return copy as unknown as PopAgentEngineState;
    };
    const cases: Array<[(s: Record<string, any>) => void, RegExp]> = [
      [(s) => (s.kind = 'other'), /field "kind" is "other"/],
      [(s) => (s.symbol = 'ETH/USDT'), /field "symbol" is "ETH\/USDT", expected "BTC\/USDT"/],
      [(s) => (s.config.discount = 2), /field "config.discount" is 2, expected a number in \(0, 1\]/],
      [(s) => (s.config.population = 5), /field "population.agents" is .*expected an array of 5 agent snapshots/],
      [(s) => s.bars.close.pop(), /field "bars.close" .*as many high, low, close and referenceClose values/],
      [(s) => (s.bars.closeTimeSteps[7] = -5), /field "bars.closeTimeSteps.7" is -5/],
      [(s) => (s.population.agents[1].bandit.mean[2] = 'x'), /field "population.agents.1.bandit.mean.2" is "x"/],
      [(s) => (s.population.agents[3].rewards = [1]), /field "population.agents.3.rewards"/],
      [(s) => (s.models.rls.learner.weights = [1, 2]), /field "models.rls.learner.weights" is \[1,2\]/],
      [(s) => (s.models.fastScaler.m2[0] = -1), /field "models.fastScaler.m2.0" is -1/],
      [(s) => (s.models.index = 3), /field "models.index" is 3, expected 259/],
      [(s) => (s.news = null), /field "news" is null/],
      [(s) => (s.news.weightTotal = -2), /field "news.weightTotal" is -2/],
    ];
    for (const [mutate, message] of cases) {
      const attempt = () => engine.restore(corrupt(mutate));
      expect(attempt).toThrow(StateError);
      expect(attempt).toThrow(message);
    }
    expect(engine.snapshot()).toStrictEqual(good);
    expect(() => engine.restore(null as never)).toThrow(/Cannot restore PopAgentEngine: the snapshot is null/);
  });

  it('rejects bad bars with a DataError and stays usable', () => {
    const stream = STREAMS.A;
    const engine = new PopAgentEngine(stream.options);
    drive(engine, stream, eth, 0, 220);
    const state = JSON.stringify(engine.snapshot());
    expect(() => engine.step(eth[219]!)).toThrow(/closeTime/); // duplicate
    expect(() => engine.step({ ...eth[220]!, high: Number.NaN })).toThrow(/finite prices/);
    expect(() => engine.step(eth[220]!, { ...eth[220]!, closeTime: eth[221]!.closeTime })).toThrow(/reference/);
    expect(JSON.stringify(engine.snapshot())).toBe(state);
  });

  it('steps B exactly like A and D like C (the LLM of B/D acts outside the engine)', () => {
    for (const [llm, stream] of [['B', STREAMS.A], ['D', STREAMS.C]] as const) {
      const plain = new PopAgentEngine(stream.options);
      const withLlm = new PopAgentEngine({ ...stream.options, condition: llm });
      expect(withLlm.methodNames).toEqual(plain.methodNames);
      expect(drive(withLlm, stream, stream.bars, 0, 230)).toEqual(drive(plain, stream, stream.bars, 0, 230));
    }
    expect(() => new PopAgentEngine({ ...STREAMS.A.options, condition: 'E' as 'A' })).toThrow(ConfigError);
  });
});
