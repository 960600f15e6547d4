import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveTrader } from './live-trader.js';
import { createLiveExchange } from './live-exchange.js';
import { fixedClock } from './live-clock.js';
import { SqliteStateStore } from './sqlite-state-store.js';
import { overrideExchangeUrls } from './exchange-urls.js';
import { FakeBinanceServer } from './testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from './testing/bars.js';
import { ScriptedStrategy } from './testing/scripted-strategy.js';
import { collectingLogger } from './testing/log-sink.js';
import { runKillableChild } from './testing/killable-child.js';
import type { JournalEntry } from './types.js';

const ENV = { BINANCE_API_KEY: 'kill-key-1234abcd', BINANCE_API_SECRET: 'kill-secret-5678efgh' };
const TARGETS = [0.3, 0.6, 0.2, 0.5]; // = CHILD_TARGETS in testing/live-child.ts
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'live-child-entry.mjs');
const BARS = { BTCUSDT: hourlyBars(20), ETHUSDT: hourlyBars(20, 2_000) };
const at = (hour: number) => T0 + hour * HOUR + 10_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'live-kill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs testnet iterations at `times` in a child process (tsx). With `pause`, waits until the child reports that it
 * reached that checkpoint in the iteration at that time, then SIGKILLs it there. Resolves with the child's stdout.
 */
function runChild(serverUrl: string, dbPath: string, times: number[], pause?: { at: string; time: number }): Promise<string> {
  return runKillableChild({
    entry: CHILD,
    env: { ...process.env, ...ENV, LIVE_CHILD_CONFIG: JSON.stringify({ serverUrl, dbPath, times }), LIVE_PAUSE_AT: pause ? `${pause.at}@${pause.time}` : '' },
    ...(pause ? { killOn: `PAUSED ${pause.at}` } : {}),
  });
}

function journalOf(dbPath: string): JournalEntry[] {
  const store = new SqliteStateStore(dbPath);
  const journal = store.journal();
  store.close();
  return journal;
}

describe('kill -9 and resume', () => {
  it('a SIGKILL at any point loses no committed decision and never places an order twice', async () => {
    const server = await FakeBinanceServer.start(BARS);
    const dbPath = join(dir, 'killed.sqlite');

    // Hour 10: killed right after the first order reached the exchange, before its answer was journaled.
    await runChild(server.url, dbPath, [at(10)], { at: 'after-send', time: at(10) });
    expect(journalOf(dbPath).map((e) => e.status)).toEqual(['pending', 'pending']); // both intents committed before sending
    expect(server.orders).toHaveLength(1);

    // Restart: reconciles hour 10 (BTC found by client id, ETH never sent → sent now), then at hour 11 is killed
    // after the commit, before any order was sent.
    await runChild(server.url, dbPath, [at(10), at(11)], { at: 'before-send', time: at(11) });
    const afterSecondKill = journalOf(dbPath);
    expect(afterSecondKill.map((e) => [(e.decidedAt - T0) / HOUR, e.status])).toEqual([[10, 'filled'], [10, 'filled'], [11, 'pending'], [11, 'pending']]);
    expect(server.orders).toHaveLength(2);

    // Restart: sends the hour-11 intents, then trades hour 12 without interruption.
    expect(await runChild(server.url, dbPath, [at(11), at(12)])).toContain('DONE');

    for (const [id, count] of server.ordersPerClientId) expect([id, count]).toEqual([id, 1]);
    const killed = journalOf(dbPath);
    expect(killed.map((e) => [e.symbol, (e.decidedAt - T0) / HOUR])).toEqual([
      ['BTC/USDT', 10], ['ETH/USDT', 10], ['BTC/USDT', 11], ['ETH/USDT', 11], ['BTC/USDT', 12], ['ETH/USDT', 12],
    ]);
    expect(server.orders.map((o) => o.clientOrderId).sort()).toEqual(killed.filter((e) => e.clientOrderId !== null).map((e) => e.clientOrderId).sort());

    // The same three hours without any kill, in process, against a fresh server: the same journal.
    const reference = await FakeBinanceServer.start(BARS);
    const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: ENV });
    overrideExchangeUrls(exchange, reference.url);
    const clock = fixedClock(at(10));
    const trader = new LiveTrader({ exchange, secrets, mode: 'testnet', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', strategy: new ScriptedStrategy(TARGETS), dbPath: join(dir, 'reference.sqlite'), clock, logger: collectingLogger().logger });
    for (const hour of [10, 11, 12]) {
      clock.set(at(hour));
      await trader.runIteration();
    }
    const expected = trader.store.journal();
    trader.close();
    // Exchange order ids differ between the two servers; an order reconciled through fetchOrder carries the fee
    // estimated at the fee rate rather than the commission reported in the order's FULL response.
    const strip = (j: JournalEntry[]) => j.map(({ exchangeOrderId: _id, fee, ...rest }) => ({ ...rest, fee: fee === null ? null : Math.round(fee * 1e4) / 1e4 }));
    expect(strip(killed)).toEqual(strip(expected));
    await reference.close();
    await server.close();
  }, 120_000);
});
