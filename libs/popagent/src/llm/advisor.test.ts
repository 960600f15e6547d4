// LlmAdvisor snapshot / restore: the real openai client (createLlmReasoner) over HTTP to the llm-reasoning test
// server on 127.0.0.1, proposals of a real engine on bundled bars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateError } from '@trading-ml/core';
import { createLlmReasoner } from '@trading-ml/llm-reasoning';
import type { LlmReasoner } from '@trading-ml/llm-reasoning';
import { jsonReply, startOpenAiProtocolServer } from '../../../llm-reasoning/src/testing/openai-protocol-server.js';
import type { OpenAiProtocolServer, RecordedRequest } from '../../../llm-reasoning/src/testing/openai-protocol-server.js';
import { PopAgentEngine } from '../engine.js';
import type { PopAgentProposal } from '../engineTypes.js';
import { realFourHourBars } from '../testing/realBars.js';
import { LlmAdvisor } from './advisor.js';
import type { AdvisedExposure, LlmAdvisorOptions } from './advisor.js';
import type { LlmAdvisorState } from './advisorState.js';
import { combineExposure } from './combineExposure.js';

const WARM_UP = 200;
const DECISIONS = 30;
const EVERY = 4;
const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

let server: OpenAiProtocolServer;
let reasoner: LlmReasoner;
let proposals: PopAgentProposal[];

/** The decision time written in a prompt's first line. */
function decisionTime(request: RecordedRequest): number {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  return Date.parse(/ at (\S+), the close/.exec(messages.find((message) => message.role === 'user')!.content)![1]!);
}

beforeAll(async () => {
  // Answers from the decision time alone (BUY, SELL, HOLD in turn per 4h close; confidence 0.25, 0.5 or 0.75), so a
  // resumed advisor and an uninterrupted one receive the same answer for the same decision.
  server = await startOpenAiProtocolServer({
    respond: (request) => {
      const step = Math.floor(decisionTime(request) / (4 * 3_600_000));
      return jsonReply({ action: (['BUY', 'SELL', 'HOLD'] as const)[step % 3]!, confidence: 0.25 * (1 + (step % 3)), rationale: `close ${step}`, citedMemoryIds: [] });
    },
  });
  reasoner = createLlmReasoner({ baseURL: server.baseURL, model: 'test-model', maxRetries: 0, env: {}, logger: silent });
  const bars = realFourHourBars('BTC/USDT').slice(0, WARM_UP + DECISIONS);
  const engine = new PopAgentEngine({ symbol: 'BTC/USDT', timeframe: '4h', condition: 'B', seed: 42, periodsPerYear: 2190, config: { population: 4 } });
  for (const bar of bars.slice(0, WARM_UP)) engine.warmUp(bar);
  proposals = bars.slice(WARM_UP).map((bar) => engine.step(bar));
});
afterAll(async () => {
  reasoner.close();
  await server.close();
});

const options = (extra: Partial<LlmAdvisorOptions> = {}): LlmAdvisorOptions => ({
  reasoner, condition: 'B', symbol: 'BTC/USDT', timeframe: '4h', population: 4, allowShort: false, periodsPerYear: 2190,
  volatilityTarget: 0.5, every: EVERY, ...extra,
});

async function adviseAll(advisor: LlmAdvisor, from: number, to: number): Promise<AdvisedExposure[]> {
  const out: AdvisedExposure[] = [];
  for (const proposal of proposals.slice(from, to)) out.push(await advisor.advise(proposal));
  return out;
}

describe('LlmAdvisor snapshot / restore', () => {
  it('snapshot → JSON → restore into a fresh advisor continues identically, without an extra consultation', async () => {
    const sentBefore = server.requests.length;
    const straight = new LlmAdvisor(options());
    const expected = await adviseAll(straight, 0, DECISIONS);
    const straightRequests = server.requests.length - sentBefore;
    expect(straightRequests).toBe(Math.ceil(DECISIONS / EVERY)); // decisions 0, 4, …, 28

    // Cut at decision 14 (between consultations 12 and 16): the resumed advisor must hold the view of decision 12.
    const cut = 14;
    const first = new LlmAdvisor(options());
    const head = await adviseAll(first, 0, cut);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as LlmAdvisorState;
    const resumed = new LlmAdvisor(options());
    resumed.restore(saved);
    const tail = await adviseAll(resumed, cut, DECISIONS);
    expect(server.requests.length - sentBefore).toBe(2 * straightRequests); // no consultation repeated at the cut
    expect([...head, ...tail]).toEqual(expected);
    expect(tail[0]).toMatchObject({ consulted: false, view: expected[12]!.view });
    expect(resumed.takenViews()).toEqual(straight.takenViews());
    expect(resumed.counts()).toEqual(straight.counts());
    expect(resumed.snapshot()).toEqual(straight.snapshot());

    // Independent reference: each committed exposure is the population's moved by the view of the last due decision.
    const views = straight.takenViews();
    expect(views.map((view) => view.time)).toEqual(proposals.filter((_, i) => i % EVERY === 0).map((proposal) => proposal.time));
    proposals.forEach((proposal, i) => {
      expect(expected[i]!.exposure).toBe(combineExposure(proposal.exposure, views[Math.floor(i / EVERY)]!, false));
    });
    // The answers cycle, so the views really differ (a held view that never changed could not tell a stale one).
    expect(new Set(views.map((view) => view.action)).size).toBe(3);
  });

  it('a fresh advisor at the cut consults at once: the restored view is what avoids it', async () => {
    const fresh = new LlmAdvisor(options());
    const sent = server.requests.length;
    const [advised] = await adviseAll(fresh, 14, 15);
    expect(advised!.consulted).toBe(true);
    expect(server.requests.length - sent).toBe(1);
  });

  it('holdView applies the held view without consulting, and is null before the first consultation', async () => {
    const advisor = new LlmAdvisor(options());
    const sent = server.requests.length;
    expect(advisor.holdView(proposals[0]!)).toBeNull();
    const taken = await advisor.advise(proposals[0]!);
    const held = advisor.holdView(proposals[4]!); // due, but holdView never asks
    expect(server.requests.length - sent).toBe(1);
    expect(held).toEqual({ exposure: combineExposure(proposals[4]!.exposure, taken.view, false), view: taken.view, consulted: false });
    expect(advisor.takenViews()).toHaveLength(1);
  });

  it('snapshot is a copy: mutating it never affects the advisor', async () => {
    const advisor = new LlmAdvisor(options());
    await adviseAll(advisor, 0, 5);
    const snapshot = advisor.snapshot();
    const before = JSON.parse(JSON.stringify(snapshot)) as LlmAdvisorState;
    const views = snapshot.views as unknown as Array<{ confidence: number; cited: string[] }>;
    views[0]!.confidence = 0.123;
    views[0]!.cited.push('x');
    expect(advisor.snapshot()).toEqual(before);
  });

  it('restore is all or nothing: a malformed field, another symbol or condition is a StateError naming the field', async () => {
    const advisor = new LlmAdvisor(options());
    await adviseAll(advisor, 0, 9); // three views
    const good = advisor.snapshot();
    const copy = () => JSON.parse(JSON.stringify(good)) as { views: Array<Record<string, unknown>> } & Record<string, unknown>;
    const badConfidence = copy();
    badConfidence.views[1]!.confidence = 2;
    const badAction = copy();
    badAction.views[0]!.action = 'LIQUIDATE';
    const unordered = copy();
    unordered.views.reverse();
    const cases: Array<[unknown, RegExp]> = [
      [badConfidence, /Cannot restore LlmAdvisor: field "views\.1\.confidence" is 2, expected a number in \[0, 1\]/],
      [badAction, /field "views\.0\.action" is "LIQUIDATE", expected "BUY", "SELL" or "HOLD"/],
      [unordered, /field "views" is .*expected views in time order/],
      [{ ...copy(), kind: 'popagent-engine' }, /field "kind" is "popagent-engine", expected "popagent-llm-advisor"/],
      [{ ...copy(), symbol: 'ETH/USDT' }, /field "symbol" is "ETH\/USDT", expected "BTC\/USDT"/],
      [{ ...copy(), condition: 'D' }, /field "condition" is "D", expected "B"/],
      [null, /Cannot restore LlmAdvisor: the snapshot is null/],
    ];
    for (const [state, message] of cases) {
      expect(() => advisor.restore(state as LlmAdvisorState)).toThrow(StateError);
      expect(() => advisor.restore(state as LlmAdvisorState)).toThrow(message);
    }
    expect(advisor.snapshot()).toEqual(good);
  });

  it('restores into an advisor with another cadence: the held view stays, consultations follow the new cadence', async () => {
    const advisor = new LlmAdvisor(options());
    await adviseAll(advisor, 0, 5); // views at decisions 0 and 4
    const other = new LlmAdvisor(options({ every: 3 }));
    other.restore(advisor.snapshot());
    const sent = server.requests.length;
    const [at5, at6] = await adviseAll(other, 5, 7);
    const held = advisor.takenViews()[1]!;
    expect(at5).toMatchObject({ consulted: false, view: { action: held.action, confidence: held.confidence } });
    expect(at6!.consulted).toBe(true);
    expect(server.requests.length - sent).toBe(1);
  });
});
