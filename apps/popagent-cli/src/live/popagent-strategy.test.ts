import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, PERIODS_PER_YEAR_24_7, StateError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { createLlmReasoner } from '@trading-ml/llm-reasoning';
import type { LlmReasoner } from '@trading-ml/llm-reasoning';
import { loadNews } from '@trading-ml/market-data';
import type { NewsItem } from '@trading-ml/market-data';
import { PopAgentEngine, combineExposure } from '@trading-ml/popagent';
import type { PopAgentProposal } from '@trading-ml/popagent';
import { jsonReply, startOpenAiProtocolServer } from '../../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import type { OpenAiProtocolServer, RecordedRequest } from '../../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import { loadBundledBars } from './bundled-exchange.js';
import { PopAgentLiveStrategy } from './popagent-strategy.js';
import type { LiveAdvice, PopAgentLiveStrategyOptions } from './popagent-strategy.js';
import { MemoryReferenceFeed } from './reference-feed.js';

const DATA = fileURLToPath(new URL('../../../../data', import.meta.url));
/** Spring 2022: the bundled headlines about BTC, ETH and the market are dense then (2021-10 … 2022-07). */
const FROM = Date.UTC(2022, 2, 1);
const COUNT = 240;
const WARM_UP = 120;
let btc: Bar[];
let eth: Bar[];
let news: NewsItem[];
beforeAll(() => {
  const slice = (bars: Bar[]) => bars.filter((bar) => bar.openTime >= FROM).slice(0, COUNT);
  btc = slice(loadBundledBars(DATA, 'BTC/USDT', '4h'));
  eth = slice(loadBundledBars(DATA, 'ETH/USDT', '4h'));
  news = loadNews({ dataDir: DATA, symbols: ['BTC', 'ETH', 'CRYPTO'], start: FROM - 30 * 86_400_000, end: eth[COUNT - 1]!.closeTime });
});

const strategyOptions = (extra: Partial<PopAgentLiveStrategyOptions> = {}): PopAgentLiveStrategyOptions => ({
  symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '4h', condition: 'A', seed: 7, warmUpBars: WARM_UP, config: { population: 4 },
  reference: new MemoryReferenceFeed('BTC/USDT', btc), ...extra,
});

/** Feeds bars [from, to) of both symbols, BTC first at each close as the live loop does; returns the targets. */
async function feed(strategy: PopAgentLiveStrategy, from: number, to: number): Promise<number[]> {
  const targets: number[] = [];
  for (let i = from; i < to; i++) {
    targets.push(await strategy.onBar('BTC/USDT', btc[i]!));
    targets.push(await strategy.onBar('ETH/USDT', eth[i]!));
  }
  return targets;
}

describe('PopAgentLiveStrategy', () => {
  it('returns 0 while warming up, then exactly what a PopAgentEngine driven like the ablation proposes (BTC as ETH’s reference)', async () => {
    const proposals: [string, PopAgentProposal][] = [];
    const strategy = new PopAgentLiveStrategy(strategyOptions({ onProposal: (symbol, proposal) => proposals.push([symbol, proposal]) }));
    const targets = await feed(strategy, 0, COUNT);

    // Second implementation: the engines fed directly, warmUp for the first WARM_UP bars, then step (runPopAgent's loop).
    const engine = (symbol: string) => new PopAgentEngine({ symbol, timeframe: '4h', condition: 'A', seed: 7, periodsPerYear: PERIODS_PER_YEAR_24_7['4h'], config: { population: 4 } });
    const [btcEngine, ethEngine] = [engine('BTC/USDT'), engine('ETH/USDT')];
    const expected: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      if (i < WARM_UP) {
        btcEngine.warmUp(btc[i]!);
        ethEngine.warmUp(eth[i]!, btc[i]!);
        expected.push(0, 0);
      } else {
        expected.push(btcEngine.step(btc[i]!).exposure, ethEngine.step(eth[i]!, btc[i]!).exposure);
      }
    }
    expect(targets).toEqual(expected);
    expect(new Set(targets.slice(2 * WARM_UP)).size).toBeGreaterThan(10); // the population actually moves
    expect(proposals).toHaveLength(2 * (COUNT - WARM_UP)); // one per decision, none during warm-up
    expect(proposals[0]?.[1].time).toBe(btc[WARM_UP]!.closeTime);
  });

  it('snapshot → JSON → restore into a fresh strategy continues bit-identically', async () => {
    const straight = new PopAgentLiveStrategy(strategyOptions());
    const expected = await feed(straight, 0, COUNT);

    const first = new PopAgentLiveStrategy(strategyOptions());
    const head = await feed(first, 0, 180);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as unknown;
    const resumed = new PopAgentLiveStrategy(strategyOptions());
    resumed.restore(saved);
    const tail = await feed(resumed, 180, COUNT);
    expect([...head, ...tail]).toEqual(expected);
    expect(resumed.snapshot()).toEqual(straight.snapshot());
  });

  it('condition C: rebuilding with the headlines known at each iteration equals having them all from the start', async () => {
    const sentiments: number[] = [];
    const allNews = new PopAgentLiveStrategy(strategyOptions({ condition: 'C', news, onProposal: (_s, p) => sentiments.push(p.sentiment ?? Number.NaN) }));
    const expected = await feed(allNews, 0, COUNT);

    // Live: every 40 bars an iteration knows the headlines published before its newest close, no later ones.
    const live = new PopAgentLiveStrategy(strategyOptions({ condition: 'C', news: [] }));
    const targets: number[] = [];
    for (let from = 0; from < COUNT; from += 40) {
      const now = btc[Math.min(from + 40, COUNT) - 1]!.closeTime;
      expect(live.setNews(news.filter((item) => item.time < now))).toBe(true);
      targets.push(...(await feed(live, from, Math.min(from + 40, COUNT))));
    }
    expect(live.setNews(news.filter((item) => item.time < btc[COUNT - 1]!.closeTime))).toBe(false); // unchanged: no rebuild
    expect(targets).toEqual(expected);
    expect(live.snapshot()).toEqual(allNews.snapshot());
    expect(sentiments.filter((s) => s !== 0).length).toBeGreaterThan(100); // the headlines did reach the engines
  });

  it('restore is all or nothing: another symbol set or a corrupt engine field is a StateError and changes nothing', async () => {
    const strategy = new PopAgentLiveStrategy(strategyOptions());
    await feed(strategy, 0, 150);
    const before = strategy.snapshot();
    const good = JSON.parse(JSON.stringify(before)) as { engines: Record<string, { population: { agents: unknown[] } }> };
    expect(() => strategy.restore({ ...good, engines: { 'BTC/USDT': good.engines['BTC/USDT'] } })).toThrow(/field "engines" holds BTC\/USDT, expected BTC\/USDT, ETH\/USDT/);
    const corrupt = JSON.parse(JSON.stringify(before)) as typeof good;
    corrupt.engines['ETH/USDT']!.population.agents = 'x' as unknown as unknown[];
    expect(() => strategy.restore(corrupt)).toThrow(StateError);
    expect(() => strategy.restore({ kind: 'other' })).toThrow(/Cannot restore PopAgentLiveStrategy: field "kind"/);
    expect(strategy.snapshot()).toEqual(before);
    await expect(strategy.onBar('SOL/USDT', btc[150]!)).rejects.toThrow(ConfigError);
  });
});

describe('PopAgentLiveStrategy, condition B (the real openai client against a local OpenAI-protocol server)', () => {
  let server: OpenAiProtocolServer;
  let reasoner: LlmReasoner;
  /** The decision time written in a prompt's first line. */
  const decisionTime = (request: RecordedRequest) => {
    const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
    return Date.parse(/ at (\S+), the close/.exec(messages.find((message) => message.role === 'user')!.content)![1]!);
  };
  beforeAll(async () => {
    // BUY, SELL, HOLD in turn per close, so a stale held view would show.
    server = await startOpenAiProtocolServer({
      respond: (request) => {
        const step = Math.floor(decisionTime(request) / (4 * 3_600_000));
        return jsonReply({ action: (['BUY', 'SELL', 'HOLD'] as const)[step % 3]!, confidence: 0.5, rationale: 'test', citedMemoryIds: [] });
      },
    });
    reasoner = createLlmReasoner({ baseURL: server.baseURL, model: 'test-model', maxRetries: 0, env: {}, logger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } });
  });
  afterAll(async () => {
    reasoner.close();
    await server.close();
  });

  // Decisions before bar 150 and in [170, 180) are history / catch-up (learned, not traded): they never consult.
  const isFresh = (bar: Bar) => {
    const i = btc.findIndex((b) => b.closeTime === bar.closeTime);
    return i >= 150 && (i < 170 || i >= 180);
  };
  const llmOptions = (advices: Array<[string, PopAgentProposal, LiveAdvice | null]>) =>
    strategyOptions({ condition: 'B', llm: { reasoner, every: 4 }, isFresh, onProposal: (symbol, proposal, advice) => advices.push([symbol, proposal, advice]) });

  it('consults only fresh due decisions, holds the view otherwise, and snapshot → JSON → restore continues identically', async () => {
    const sent = server.requests.length;
    const straightAdvices: Array<[string, PopAgentProposal, LiveAdvice | null]> = [];
    const straight = new PopAgentLiveStrategy(llmOptions(straightAdvices));
    const expected = await feed(straight, 0, COUNT);
    const straightCalls = server.requests.length - sent;

    for (const [, proposal, advice] of straightAdvices) {
      const i = btc.findIndex((b) => b.closeTime === proposal.time);
      if (i < 150) expect(advice).toBeNull(); // history before the first consultation: the population's exposure stands
      else expect(advice!.exposure).toBe(combineExposure(proposal.exposure, advice!.view, false));
      // Fresh decisions ask when due (every 4th index) and at the first fresh one; history never asks.
      expect(advice?.consulted ?? false).toBe(isFresh(btc[i]!) && (i === 150 || proposal.decision % 4 === 0));
    }
    expect(straightAdvices.some(([, proposal, advice]) => advice !== null && advice.exposure !== proposal.exposure)).toBe(true); // the views moved it
    const consulted = straightAdvices.filter(([, , advice]) => advice?.consulted === true);
    expect(straightCalls).toBe(consulted.length);
    expect(straightAdvices.filter(([, p, a]) => a !== null && !a.consulted && p.time >= btc[170]!.closeTime && p.time < btc[180]!.closeTime)).toHaveLength(20);

    // Cut at bar 175, inside the catch-up window: the resumed strategy must hold the views of the last consultations.
    const first = new PopAgentLiveStrategy(llmOptions([]));
    const head = await feed(first, 0, 175);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as unknown;
    const resumed = new PopAgentLiveStrategy(llmOptions([]));
    resumed.restore(saved);
    const tail = await feed(resumed, 175, COUNT);
    expect([...head, ...tail]).toEqual(expected);
    expect(server.requests.length - sent).toBe(2 * straightCalls); // no consultation repeated after the restart
    expect(resumed.snapshot()).toEqual(straight.snapshot());
  });

  it('restore names a missing or corrupt advisor snapshot and changes nothing', async () => {
    const strategy = new PopAgentLiveStrategy(llmOptions([]));
    await feed(strategy, 0, 160);
    const before = strategy.snapshot();
    const copy = () => JSON.parse(JSON.stringify(before)) as { advisors: Record<string, { views: Array<{ confidence: number }> }> };
    const missing = copy();
    delete missing.advisors['ETH/USDT'];
    expect(() => strategy.restore(missing)).toThrow(/field "advisors" holds BTC\/USDT, expected BTC\/USDT, ETH\/USDT/);
    const corrupt = copy();
    corrupt.advisors['ETH/USDT']!.views[0]!.confidence = 2;
    expect(() => strategy.restore(corrupt)).toThrow(/advisor of ETH\/USDT: Cannot restore LlmAdvisor: field "views\.0\.confidence" is 2/);
    expect(() => strategy.restore({ ...copy(), version: 1 })).toThrow(/field "version" is 1, expected 2/);
    expect(strategy.snapshot()).toEqual(before);
    // An A strategy holds no advisor: a B snapshot does not fit it.
    expect(() => new PopAgentLiveStrategy(strategyOptions()).restore(copy())).toThrow(/field "advisors" holds BTC\/USDT, ETH\/USDT, expected no symbol/);
  });
});
