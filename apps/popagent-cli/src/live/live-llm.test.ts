import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReply, startOpenAiProtocolServer } from '../../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import type { OpenAiProtocolServer } from '../../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import { logOf, persisted, runLiveCli } from './testing/live-fixtures.js';

const KEY = 'sk-live-llm-test-0a9b8c7d6e5f';
const saved = process.env.OPENAI_API_KEY;
let server: OpenAiProtocolServer;
let dir: string;
beforeAll(async () => {
  // Every consultation answers BUY with confidence 0.5.
  server = await startOpenAiProtocolServer({ respond: () => jsonReply({ action: 'BUY', confidence: 0.5, rationale: 'trend up', citedMemoryIds: [] }) });
  dir = mkdtempSync(join(tmpdir(), 'popagent-live-llm-'));
  process.env.OPENAI_API_KEY = KEY;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved;
});

const chatCalls = () => server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
interface Logged { symbol: string; proposal: { exposure: number; decision: number }; llm?: { exposure: number; consulted: boolean; view: { action: string } } }
const decisions = (stateDir: string) => logOf(stateDir).records.filter((r) => r.msg === 'proposal') as unknown as Logged[];

describe('popagent live --use-llm (condition B) against a local OpenAI-protocol server', () => {
  it('consults only fresh due decisions, holds the view across a restart exactly as an uninterrupted run', async () => {
    const common = ['--source', 'bundled', '--symbols', 'BTC,ETH', '--warmup-bars', '400', '--use-llm', '--llm-base-url', server.baseURL, '--llm-model', 'test-model', '--llm-every', '2'];
    const times = ['2022-06-01T00:00Z', '2022-06-01T04:00Z', '2022-06-01T08:00Z'];

    const straightDir = join(dir, 'uninterrupted');
    const before = chatCalls();
    const straight = await runLiveCli([...common, '--as-of', times[0]!, '--max-iterations', '3', '--state-dir', straightDir]);
    expect(straight.stderr).toBe('');
    expect(straight.exitCode).toBe(0);
    const straightCalls = chatCalls() - before;

    const resumedDir = join(dir, 'resumed');
    const middle = chatCalls();
    for (const time of times) expect((await runLiveCli([...common, '--as-of', time, '--test-once', '--state-dir', resumedDir])).exitCode).toBe(0);
    expect(chatCalls() - middle).toBe(straightCalls); // the same consultations, none repeated after a restart

    const logged = decisions(resumedDir);
    expect(logged).toHaveLength(6); // 3 fresh decisions × 2 symbols; the 400 history bars never asked the LLM
    for (const { symbol, proposal, llm } of logged) {
      // The first fresh decision asks (no view yet), then every 2nd decision index; the others hold BUY 0.5.
      const first = logged.find((d) => d.symbol === symbol) === logged.find((d) => d.symbol === symbol && d.proposal === proposal);
      expect(llm?.consulted).toBe(first || proposal.decision % 2 === 0);
      expect(llm?.view.action).toBe('BUY');
      expect(llm?.exposure).toBeCloseTo(proposal.exposure + 0.5 * (1 - proposal.exposure), 12); // combineExposure: p + c·(1 − p)
    }
    expect(straightCalls).toBe(logged.filter((d) => d.llm?.consulted).length);
    expect(logged.filter((d) => d.llm?.consulted === false)).toHaveLength(2); // one held-view decision per symbol

    const a = persisted(resumedDir);
    const b = persisted(straightDir);
    expect(a.journal).toEqual(b.journal);
    expect(a.strategy).toEqual(b.strategy);
    const targets = a.journal.filter((e) => e.decidedAt >= Date.parse(times[0]!)).map((e) => e.strategyTarget).sort();
    expect(targets).toEqual(logged.map((d) => d.llm?.exposure).sort()); // the committed (LLM-moved) exposure is traded
    for (const text of [logOf(resumedDir).text, logOf(straightDir).text, straight.stdout]) expect(text).not.toContain(KEY);
  });
});
