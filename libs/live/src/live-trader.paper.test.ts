import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import { LiveTrader } from './live-trader.js';
import type { LiveTraderOptions } from './live-trader.js';
import { createLiveExchange } from './live-exchange.js';
import { fixedClock } from './live-clock.js';
import { overrideExchangeUrls } from './exchange-urls.js';
import { FakeBinanceServer } from './testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from './testing/bars.js';
import { ScriptedStrategy } from './testing/scripted-strategy.js';
import { collectingLogger } from './testing/log-sink.js';
import type { LiveStrategy } from './types.js';

const BARS = hourlyBars(30);
const SETTLE = 10_000; // the iteration runs 10 s after the close
let server: FakeBinanceServer;
let dir: string;
beforeAll(async () => {
  server = await FakeBinanceServer.start({ BTCUSDT: BARS });
  dir = mkdtempSync(join(tmpdir(), 'live-paper-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function paperTrader(name: string, strategy: LiveStrategy, clock: ReturnType<typeof fixedClock>, extra: Partial<LiveTraderOptions> = {}, url = server.url) {
  const { exchange } = await createLiveExchange({ exchangeId: 'binance', mode: 'paper', env: {} });
  overrideExchangeUrls(exchange, url);
  return new LiveTrader({ exchange, symbols: ['BTC/USDT'], timeframe: '1h', strategy, dbPath: join(dir, `${name}.sqlite`), clock, logger: collectingLogger().logger, retries: 1, minRetryDelayMs: 1, ...extra });
}

const bar = (i: number) => BARS[i] as Bar;

describe('LiveTrader in paper mode', () => {
  it('warms up on catch-up bars without trading, decides at the newest close, fills at the next bar open', async () => {
    const clock = fixedClock(T0 + 10 * HOUR + SETTLE);
    const strategy = new ScriptedStrategy([0.5]);
    const trader = await paperTrader('fill', strategy, clock, { warmupBars: 3, paperFills: { feeRate: 0.001, slippageRate: 0.0005 } });
    const first = await trader.runIteration();
    // bars 6, 7, 8 are catch-up (learned, not traded); bar 9 closes at T0 + 10 h: the fresh decision
    expect(strategy.log.map((e) => (e.closeTime - T0) / HOUR)).toEqual([7, 8, 9, 10]);
    const journal = trader.store.journal();
    expect(journal.map((e) => e.status)).toEqual(['skipped', 'skipped', 'skipped', 'paper']);
    expect(journal[0]?.reason).toMatch(/catch-up/);
    // target 0.5 of 10 000 USDT at close_9, truncated to the 0.00001 BTC lot step
    const quantity = Math.floor(((0.5 * 10_000) / bar(9).close) * 1e5) / 1e5;
    expect(first.orders).toEqual([{ clientOrderId: `BTC/USDT-${bar(9).closeTime}`, symbol: 'BTC/USDT', side: 'buy', quantity, decidedAt: bar(9).closeTime, referencePrice: bar(9).close }]);
    expect(first.status).toContain('BTC/USDT close 10:00 target 0.50 buy');
    expect(trader.store.positions()[0]?.quantity).toBe(0); // nothing fills at the decision bar
    expect(server.seen('POST /api/v3/order')).toHaveLength(0); // paper: never sent

    clock.set(T0 + 11 * HOUR + SETTLE);
    await trader.runIteration();
    const filled = trader.store.entryByClientOrderId(`BTC/USDT-${bar(9).closeTime}`);
    const price = bar(10).open * 1.0005; // next bar's open + 5 bps slippage, not close_9
    expect(filled).toMatchObject({ status: 'filled', fillQuantity: quantity });
    expect(filled?.fillPrice).toBeCloseTo(price, 9);
    expect(filled?.fee).toBeCloseTo(quantity * price * 0.001, 9);
    expect(bar(10).open).not.toBe(bar(9).close);
    const position = trader.store.positions()[0];
    expect(position?.quantity).toBeCloseTo(quantity, 12);
    expect(position?.cash).toBeCloseTo(10_000 - quantity * price - quantity * price * 0.001, 6);
    trader.close();
  });

  it('skips the step with a reason when the newest bar is late or missing, and catches up later', async () => {
    const clock = fixedClock(T0 + 31 * HOUR + SETTLE); // the server's last bar closes at T0 + 30 h
    const trader = await paperTrader('late', new ScriptedStrategy([0.2]), clock);
    const report = await trader.runIteration();
    expect(report.symbols[0]?.skipped).toMatch(/late or missing bar: the bar closing at 2024-01-02T07:00:00.000Z is not served yet \(newest served closes at none\)/);
    expect(report.status).toContain('BTC/USDT skipped: late or missing bar');
    expect(trader.store.journal()).toHaveLength(0);
    clock.set(T0 + 30 * HOUR + SETTLE);
    expect((await trader.runIteration()).symbols[0]?.barsStepped).toBe(1);
    trader.close();
  });

  it('a restart resumes from the committed state: the strategy continues, nothing is decided twice', async () => {
    const clock = fixedClock(T0 + 12 * HOUR + SETTLE);
    const first = await paperTrader('resume', new ScriptedStrategy([0.4, 0.8, 0.1]), clock);
    await first.runIteration();
    first.close();
    const strategy = new ScriptedStrategy([0.4, 0.8, 0.1]);
    clock.set(T0 + 14 * HOUR + SETTLE); // down for one bar: the bar closing at 13 h is caught up, 14 h decided
    const second = await paperTrader('resume', strategy, clock);
    await second.runIteration();
    expect(strategy.seen['BTC/USDT']).toBe(3); // restored count 1, then 2 more bars
    const journal = second.store.journal();
    expect(journal.map((e) => [(e.decidedAt - T0) / HOUR, e.strategyTarget])).toEqual([[12, 0.4], [13, 0.8], [14, 0.1]]);
    // the paper order decided at 12 h fills at the open of the next bar, even though that bar was seen only after the restart
    expect(journal[0]).toMatchObject({ status: 'filled' });
    expect(journal[0]?.fillPrice).toBeCloseTo(bar(12).open * 1.0005, 9);
    expect(journal.map((e) => e.status).slice(1)).toEqual(['skipped', 'paper']); // 13 h caught up, 14 h decided
    second.close();
  });

  it('run() iterates once per bar close plus the settle delay until aborted; testOnce runs one iteration', async () => {
    const clock = fixedClock(T0 + 10 * HOUR + SETTLE);
    const trader = await paperTrader('loop', new ScriptedStrategy([0.5]), clock, { settleDelayMs: 7_000 });
    const controller = new AbortController();
    const times: number[] = [];
    await trader.run({ signal: controller.signal, onReport: (r) => (times.push(r.now), times.length === 3 && controller.abort()) });
    // fixedClock.sleep advances the time: next close (11:00) + 7 s, then 12:00 + 7 s
    expect(times).toEqual([T0 + 10 * HOUR + SETTLE, T0 + 11 * HOUR + 7_000, T0 + 12 * HOUR + 7_000]);
    expect(trader.store.journal().map((e) => (e.decidedAt - T0) / HOUR)).toEqual([10, 11, 12]);
    const once = await trader.run({ testOnce: true });
    expect(once.now).toBe(T0 + 12 * HOUR + 7_000);
    trader.close();
  });

  it('dry run reports the orders but places and persists nothing', async () => {
    const clock = fixedClock(T0 + 10 * HOUR + SETTLE);
    const strategy = new ScriptedStrategy([1]);
    const trader = await paperTrader('dry', strategy, clock, { dryRun: true });
    const report = await trader.runIteration();
    expect(report.orders).toHaveLength(1);
    expect(report.status).toContain('dry-run');
    expect(trader.store.journal()).toHaveLength(0);
    expect(strategy.seen['BTC/USDT'] ?? 0).toBe(0); // rolled back to the initial state
    trader.close();
  });

  it('drawdown kill switch flattens the book and stays halted across a restart', async () => {
    // 10 flat bars, then a 30 % crash over two bars
    const crash: Bar[] = hourlyBars(12).map((b, i) => {
      const price = i < 10 ? 100 : i === 10 ? 85 : 70;
      return { ...b, open: price, high: price + 1, low: price - 1, close: price };
    });
    const local = await FakeBinanceServer.start({ BTCUSDT: crash });
    const clock = fixedClock(T0 + 9 * HOUR + SETTLE);
    const options = { risk: { maxDrawdown: 0.2 }, paperFills: { feeRate: 0, slippageRate: 0 } };
    const trader = await paperTrader('kill', new ScriptedStrategy([1]), clock, options, local.url);
    for (const hour of [9, 10, 11, 12]) {
      clock.set(T0 + hour * HOUR + SETTLE);
      await trader.runIteration();
    }
    const journal = trader.store.journal();
    // equity: 10 000 long at 100 → 8 500 at 85 (−15 %, trading on) → 7 000 at 70 (−30 % > 20 %): flatten
    expect(journal.map((e) => e.appliedTarget)).toEqual([1, 1, 1, 0]);
    expect(journal[3]?.reason).toMatch(/kill switch: drawdown 30.00% from peak 10000.00/);
    expect(journal[3]?.side).toBe('sell');
    trader.close();
    const restarted = await paperTrader('kill', new ScriptedStrategy([1]), clock, options, local.url);
    await restarted.start();
    clock.set(T0 + 12 * HOUR + SETTLE);
    const report = await restarted.runIteration();
    expect(report.halted).toMatch(/drawdown/);
    expect(report.status).toContain('HALTED');
    restarted.close();
    await local.close();
  });
});

describe('no lookahead through the live loop', () => {
  it('altering the bars after T changes no decision at or before T', async () => {
    // A price-reading strategy: long when the close rose, flat otherwise.
    const momentum = (): LiveStrategy => {
      let previous: number | null = null;
      return {
        onBar: (_s, b) => {
          const target = previous !== null && b.close > previous ? 1 : 0;
          previous = b.close;
          return target;
        },
        snapshot: () => ({ previous }),
        restore: (state) => {
          previous = (state as { previous: number | null }).previous;
        },
      };
    };
    const altered = BARS.map((b, i) => (i > 14 ? { ...b, open: b.open * 1.5, high: b.high * 2, low: b.low * 0.5, close: b.close * (i % 2 ? 1.7 : 0.6) } : b));
    const other = await FakeBinanceServer.start({ BTCUSDT: altered });
    const run = async (name: string, url: string) => {
      const clock = fixedClock(T0 + 8 * HOUR + SETTLE);
      const trader = await paperTrader(name, momentum(), clock, { warmupBars: 2 }, url);
      for (let hour = 8; hour <= 20; hour++) {
        clock.set(T0 + hour * HOUR + SETTLE);
        await trader.runIteration();
      }
      const journal = trader.store.journal();
      trader.close();
      return journal;
    };
    const original = await run('prefix-a', server.url);
    const changed = await run('prefix-b', other.url);
    const cut = T0 + 15 * HOUR; // bar 14 closes here; bars from 15 on differ
    const before = (j: typeof original) => j.filter((e) => e.decidedAt <= cut).map((e) => ({ ...e, status: e.decidedAt === cut ? 'final' : e.status, fillPrice: e.decidedAt === cut ? 0 : e.fillPrice, fee: e.decidedAt === cut ? 0 : e.fee, fillQuantity: e.decidedAt === cut ? 0 : e.fillQuantity }));
    expect(before(changed)).toEqual(before(original));
    expect(original.filter((e) => e.decidedAt > cut)).not.toEqual(changed.filter((e) => e.decidedAt > cut)); // the test can fail
    await other.close();
  });
});

describe('history limit', () => {
  it('trims the kernels once they exceed the limit by 100 bars, without changing any decision', async () => {
    const long = hourlyBars(240);
    const local = await FakeBinanceServer.start({ BTCUSDT: long });
    const run = async (name: string, historyLimit: number) => {
      const clock = fixedClock(T0 + 240 * HOUR + SETTLE);
      const trader = await paperTrader(name, new ScriptedStrategy([0.2, 0.9, 0.4, 0.7]), clock, { warmupBars: 100, historyLimit }, local.url);
      for (let hour = 110; hour <= 240; hour += 10) {
        clock.set(T0 + hour * HOUR + SETTLE);
        await trader.runIteration();
      }
      const history = (trader.store.load().kernels.get('BTC/USDT') as { history: unknown[] }).history.length;
      const result = { journal: trader.store.journal(), positions: trader.store.positions(), history };
      trader.close();
      return result;
    };
    const trimmed = await run('trim-20', 20);
    const full = await run('trim-none', 10_000);
    expect(full.history).toBe(231); // bars closing at 10 h … 240 h: nothing trimmed
    expect(trimmed.history).toBeLessThanOrEqual(120);
    expect(trimmed.history).toBeGreaterThanOrEqual(20);
    expect(trimmed.journal).toEqual(full.journal);
    expect(trimmed.positions).toEqual(full.positions);
    await local.close();
  });
});
