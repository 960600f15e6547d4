import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '@trading-ml/live';
import { FakeBinanceServer } from '../../../../libs/live/src/testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from '../../../../libs/live/src/testing/bars.js';
import { runKillableChild } from '../../../../libs/live/src/testing/killable-child.js';
import { logOf, persisted, runLiveCli } from './testing/live-fixtures.js';

const CHILD = fileURLToPath(new URL('./testing/live-child-entry.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ENV = { BINANCE_API_KEY: 'kk-live-kill-5a4b3c2d1e', BINANCE_API_SECRET: 'ks-live-kill-9f8e7d6c5b4a3921' };
const BARS = () => ({ BTCUSDT: hourlyBars(90), ETHUSDT: hourlyBars(90, 2_000) });
const DECIDED_AT = T0 + 70 * HOUR;

let dir: string;
const saved = { key: process.env.BINANCE_API_KEY, secret: process.env.BINANCE_API_SECRET };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'popagent-live-kill-'));
  Object.assign(process.env, ENV); // for the in-process reference run
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of [['BINANCE_API_KEY', saved.key], ['BINANCE_API_SECRET', saved.secret]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const liveArgs = (serverUrl: string, stateDir: string) => ['live', '--testnet', '--symbols', 'BTC,ETH', '--timeframe', '1h', '--warmup-bars', '60', '--test-once', '--as-of', new Date(DECIDED_AT).toISOString(), '--exchange-url', serverUrl, '--state-dir', stateDir, '--recv-window', '1000'];

/**
 * Runs `popagent live --testnet --test-once` in a child process. With `pauseAt`, SIGKILLs it as soon as it reports
 * having reached that checkpoint. Resolves with its stdout.
 */
function runChild(serverUrl: string, stateDir: string, pauseAt?: string): Promise<string> {
  const args = liveArgs(serverUrl, stateDir);
  if (pauseAt !== undefined) args.push('--pause-at', pauseAt);
  return runKillableChild({ entry: CHILD, args, cwd: ROOT, env: { ...process.env, ...ENV }, ...(pauseAt !== undefined ? { killOn: `PAUSED ${pauseAt}` } : {}) });
}

/**
 * The journal without the exchange's own order ids (two servers number their orders independently), fees to 1e-6
 * quote: an order found again by its client id after the kill comes from Binance's order query, which reports no
 * commission, so libs/live estimates it as filled·price·feeRate (2.6401133232 instead of the reported 2.64011332).
 */
const comparable = (journal: JournalEntry[]) => journal.map(({ exchangeOrderId: _id, fee, ...rest }) => ({ ...rest, fee: fee === null ? null : Math.round(fee * 1e6) / 1e6 }));

describe('kill -9 of a child `popagent live` mid-iteration, then restart', () => {
  it('places no order twice and leaves the same complete journal as an uninterrupted run', async () => {
    // Reference: the same iteration, never interrupted (the same command, in-process).
    const reference = await FakeBinanceServer.start(BARS());
    const referenceDir = join(dir, 'uninterrupted');
    expect((await runLiveCli(liveArgs(reference.url, referenceDir).slice(1))).exitCode).toBe(0);
    await reference.close();
    const expected = persisted(referenceDir).journal;
    const orders = expected.filter((e) => e.decidedAt === DECIDED_AT && e.clientOrderId !== null);
    expect(orders.map((e) => e.status)).toEqual(['sent', 'sent']); // both symbols trade at the decision bar

    const server = await FakeBinanceServer.start(BARS());
    try {
      const stateDir = join(dir, 'killed');
      // Killed right after the first order reached the exchange, before its answer was journaled.
      await runChild(server.url, stateDir, 'after-send');
      expect(server.orders).toHaveLength(1);
      expect(persisted(stateDir).journal.filter((e) => e.clientOrderId !== null).map((e) => e.status)).toEqual(['pending', 'pending']);

      // Restart: the first intent is found at the exchange by its client id, the second is sent now.
      const out = await runChild(server.url, stateDir);
      expect(out).toContain('(resume)');
      expect(server.orders).toHaveLength(2);
      for (const entry of orders) expect(server.ordersPerClientId.get(entry.clientOrderId as string)).toBe(1);
      expect(comparable(persisted(stateDir).journal)).toEqual(comparable(expected));
      expect(persisted(stateDir).strategy).toEqual(persisted(referenceDir).strategy);
      const log = logOf(stateDir).text;
      expect(log).not.toContain(ENV.BINANCE_API_KEY);
      expect(log).not.toContain(ENV.BINANCE_API_SECRET);
    } finally {
      await server.close();
    }
  });
});
