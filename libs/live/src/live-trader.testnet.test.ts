import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import { LiveTrader } from './live-trader.js';
import type { LiveTraderOptions } from './live-trader.js';
import { createLiveExchange } from './live-exchange.js';
import { fixedClock } from './live-clock.js';
import { ERRORS } from './testing/binance-fixtures.js';
import { overrideExchangeUrls } from './exchange-urls.js';
import { FakeBinanceServer } from './testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from './testing/bars.js';
import { ScriptedStrategy } from './testing/scripted-strategy.js';
import { collectingLogger } from './testing/log-sink.js';

const ENV = { BINANCE_API_KEY: 'tk-9f8e7d6c5b4a', BINANCE_API_SECRET: 'ts-0a1b2c3d4e5f6a7b8c9d' };
const BTC = hourlyBars(30);
const ETH = hourlyBars(30, 2_000);
const SETTLE = 10_000;
// Generous against a loaded CI machine: a prompt local answer must never look like a timeout.
const TIMEOUT_MS = 1_500;
const LATE_MS = 2 * TIMEOUT_MS;
/** The exchange accepts a signed request up to this long after its timestamp (ccxt's recvWindow). */
const RECV_WINDOW_MS = 3_000;
let server: FakeBinanceServer;
let dir: string;
beforeAll(async () => {
  server = await FakeBinanceServer.start({ BTCUSDT: BTC, ETHUSDT: ETH });
  dir = mkdtempSync(join(tmpdir(), 'live-testnet-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function testnetTrader(name: string, targets: number[], clock: ReturnType<typeof fixedClock>, extra: Partial<LiveTraderOptions> = {}) {
  const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: ENV, timeoutMs: TIMEOUT_MS, recvWindowMs: RECV_WINDOW_MS });
  overrideExchangeUrls(exchange, server.url);
  const log = collectingLogger(secrets);
  const trader = new LiveTrader({
    exchange, secrets, mode: 'testnet', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', strategy: new ScriptedStrategy(targets),
    dbPath: join(dir, `${name}.sqlite`), clock, logger: log.logger, retries: 2, minRetryDelayMs: 1, ...extra,
  });
  return { trader, lines: log.lines };
}
const at = (hour: number) => T0 + hour * HOUR + SETTLE;
const floorTo = (value: number, step: number) => Math.floor(value / step + 1e-9) * step;

describe('LiveTrader in testnet mode against the local Binance server', () => {
  it('places real HTTP market orders with deterministic client ids and amounts rounded to the lot step', async () => {
    const clock = fixedClock(at(10));
    const { trader } = await testnetTrader('orders', [0.3], clock);
    const report = await trader.runIteration();
    const close = T0 + 10 * HOUR;
    const posts = server.seen('POST /api/v3/order').filter((r) => r.params.newClientOrderId?.endsWith(`-${close}`));
    const btcQty = floorTo((0.3 * 10_000) / (BTC[9] as Bar).close, 1e-5); // LOT_SIZE stepSize 0.00001
    const ethQty = floorTo((0.3 * 10_000) / (ETH[9] as Bar).close, 1e-4); // stepSize 0.0001
    expect(posts.map((p) => [p.params.newClientOrderId, p.params.side, p.params.type, Number(p.params.quantity)])).toEqual([
      [`BTC/USDT-${close}`, 'BUY', 'MARKET', btcQty],
      [`ETH/USDT-${close}`, 'BUY', 'MARKET', ethQty],
    ]);
    expect(server.ordersPerClientId.get(`BTC/USDT-${close}`)).toBe(1);
    expect(trader.store.journal().map((e) => e.status)).toEqual(['sent', 'sent']);
    expect(report.status).toMatch(/BTC\/USDT close 10:00 target 0.30 buy 0.0\d+ \(sent\)/);

    clock.set(at(11)); // the next bar records the exchange's fill in the kernel
    await trader.runIteration();
    const btc = trader.store.entryByClientOrderId(`BTC/USDT-${close}`);
    expect(btc).toMatchObject({ status: 'filled', fillQuantity: btcQty, fillPrice: (BTC[29] as Bar).close });
    expect(btc?.fee).toBeCloseTo(btcQty * (BTC[29] as Bar).close * 0.001, 6); // commission from the FULL response
    expect(trader.store.positions().find((p) => p.symbol === 'BTC/USDT')?.quantity).toBeCloseTo(btcQty, 12);
    trader.close();
  });

  it('applies notional caps and skips orders below the market minimum with a reason', async () => {
    const clock = fixedClock(at(12));
    const { trader } = await testnetTrader('limits', [1], clock, { risk: { maxOrderNotional: 1_000 }, symbols: ['BTC/USDT'] });
    await trader.runIteration();
    const [capped] = trader.store.journal();
    expect(capped?.quantity).toBeCloseTo(floorTo(1_000 / (BTC[11] as Bar).close, 1e-5), 12);
    expect(capped?.reason).toBe('capped by maxOrderNotional 1000');
    trader.close();

    const tiny = (await testnetTrader('minimum', [0.5], fixedClock(at(12)), { initialCash: 8, symbols: ['BTC/USDT'] })).trader; // 4 USDT < 5 USDT NOTIONAL
    const before = server.seen('POST /api/v3/order').length;
    await tiny.runIteration();
    const [skipped] = tiny.store.journal();
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.reason).toMatch(/below the market minimum cost 5/);
    expect(server.seen('POST /api/v3/order').length).toBe(before);
    tiny.close();
  });

  it('logs a non-retryable rejection, places nothing for it, and carries on with the other symbol', async () => {
    const clock = fixedClock(at(14));
    const { trader, lines } = await testnetTrader('rejected', [0.3], clock);
    server.fail('POST /api/v3/order', { status: 400, body: ERRORS.insufficientFunds });
    const before = server.seen('POST /api/v3/order').length;
    const report = await trader.runIteration();
    const [btc, eth] = trader.store.journal();
    expect(btc).toMatchObject({ status: 'rejected' });
    expect(btc?.reason).toMatch(/InsufficientFunds.*insufficient balance/);
    expect(eth?.status).toBe('sent');
    expect(server.seen('POST /api/v3/order').length - before).toBe(2); // no retry of the rejection
    expect(lines.some((l) => l.includes('order rejected by the exchange'))).toBe(true);
    expect(report.status).toContain('(rejected');
    clock.set(at(15)); // the rejected order never filled: BTC decides again from flat
    await trader.runIteration();
    expect(trader.store.positions().find((p) => p.symbol === 'BTC/USDT')?.quantity).toBe(0);
    expect(trader.store.journal({ symbol: 'BTC/USDT' }).at(-1)?.status).toBe('sent');
    trader.close();
  });

  it('retries bars a bounded number of times, then skips only that symbol', async () => {
    const clock = fixedClock(at(16));
    const { trader } = await testnetTrader('bars-down', [0.3], clock);
    await trader.start();
    const before = server.seen('GET /api/v3/klines').length;
    server.fail('GET /api/v3/klines', { status: 503, body: 'Service Unavailable' }, { status: 429, body: ERRORS.rateLimit }, { delayMs: LATE_MS });
    const report = await trader.runIteration();
    expect(server.seen('GET /api/v3/klines').length - before).toBe(4); // 3 attempts for BTC (retries 2), 1 for ETH
    expect(report.symbols[0]?.skipped).toMatch(/bars unavailable: .*after 3 attempts/);
    expect(report.symbols[1]?.decision?.status).toBe('sent');
    trader.close();
  });

  it('an order whose outcome stays unknown is reconciled by client id on the next iteration, never placed twice', async () => {
    const clock = fixedClock(at(18));
    const { trader } = await testnetTrader('unknown', [0.3], clock, { symbols: ['ETH/USDT'], retries: 0 });
    server.fail('POST /api/v3/order', { delayMs: (TIMEOUT_MS + RECV_WINDOW_MS) / 2 + 250 }); // accepted after ccxt timed out, within the receive window
    await trader.runIteration();
    const id = `ETH/USDT-${T0 + 18 * HOUR}`;
    expect(trader.store.entryByClientOrderId(id)?.status).toBe('pending');
    // At once: the exchange still holds the request, so the reconciliation waits out the receive window and asks again.
    clock.set(at(18) + 60_000);
    await trader.runIteration();
    expect(trader.store.entryByClientOrderId(id)?.status).toBe('sent');
    expect(server.ordersPerClientId.get(id)).toBe(1);
    expect(server.seen('POST /api/v3/order').filter((r) => r.params.newClientOrderId === id)).toHaveLength(1);
    trader.close();
  });

  it('an order the exchange refused for arriving after its receive window is sent again on the next iteration, once', async () => {
    const clock = fixedClock(at(19));
    const { trader } = await testnetTrader('refused', [0.3], clock, { symbols: ['ETH/USDT'], retries: 0 });
    server.fail('POST /api/v3/order', { delayMs: RECV_WINDOW_MS + 1_500 });
    await trader.runIteration();
    const id = `ETH/USDT-${T0 + 19 * HOUR}`;
    expect(trader.store.entryByClientOrderId(id)?.status).toBe('pending');
    clock.set(at(19) + 60_000);
    await trader.runIteration();
    expect(trader.store.entryByClientOrderId(id)?.status).toBe('sent');
    expect(server.seen('POST /api/v3/order').filter((r) => r.params.newClientOrderId === id)).toHaveLength(2);
    expect(server.ordersPerClientId.get(id)).toBe(1);
    trader.close();
  });
});
