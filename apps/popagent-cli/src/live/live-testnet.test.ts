import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBinanceServer } from '../../../../libs/live/src/testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from '../../../../libs/live/src/testing/bars.js';
import { logOf, persisted, runLiveCli } from './testing/live-fixtures.js';

const KEY = 'pk-live-test-7c1d9e2f4a6b';
const SECRET = 'ps-live-test-3e5f7a9b1c2d4e6f';
const BARS = { BTCUSDT: hourlyBars(90), ETHUSDT: hourlyBars(90, 2_000) };
const asOf = (hour: number) => new Date(T0 + hour * HOUR).toISOString();

let server: FakeBinanceServer;
let dir: string;
const saved = { key: process.env.BINANCE_API_KEY, secret: process.env.BINANCE_API_SECRET };
beforeAll(async () => {
  server = await FakeBinanceServer.start(BARS);
  dir = mkdtempSync(join(tmpdir(), 'popagent-live-testnet-'));
  process.env.BINANCE_API_KEY = KEY;
  process.env.BINANCE_API_SECRET = SECRET;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of [['BINANCE_API_KEY', saved.key], ['BINANCE_API_SECRET', saved.secret]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const testnetArgs = (stateDir: string, hour: number) => [
  '--testnet', '--symbols', 'BTC,ETH', '--timeframe', '1h', '--warmup-bars', '60', '--test-once',
  '--as-of', asOf(hour), '--exchange-url', server.url, '--state-dir', stateDir,
];

describe('popagent live --source exchange against the local Binance server (ccxt urls overridden)', () => {
  it('places market orders with the kernel client ids, journals them, and never logs or prints a key', async () => {
    const stateDir = join(dir, 'testnet');
    const first = await runLiveCli(testnetArgs(stateDir, 70));
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const decidedAt = T0 + 70 * HOUR;
    const { journal } = persisted(stateDir);
    const decisions = journal.filter((e) => e.decidedAt === decidedAt);
    expect(decisions.map((e) => e.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    const placed = decisions.filter((e) => e.clientOrderId !== null && e.status === 'sent');
    expect(placed.length).toBeGreaterThan(0); // the population took a position on at least one symbol
    for (const entry of placed) {
      expect(entry.clientOrderId).toBe(`${entry.symbol}-${decidedAt}`);
      const posts = server.seen('POST /api/v3/order').filter((r) => r.params.newClientOrderId === entry.clientOrderId);
      expect(posts).toHaveLength(1);
      expect(Number(posts[0]?.params.quantity)).toBe(entry.quantity);
      expect(posts[0]?.params.side).toBe(entry.side === 'buy' ? 'BUY' : 'SELL');
      expect(posts[0]?.headers['x-mbx-apikey']).toBe(KEY); // the key went to the exchange, and only there
    }
    // The 60 warm-up bars were learned, not traded: no order before the decision bar.
    expect(server.seen('POST /api/v3/order').every((r) => r.params.newClientOrderId?.endsWith(`-${decidedAt}`))).toBe(true);
    expect(first.stdout).toMatch(/testnet \| BTC\/USDT close 22:00 target \d\.\d\d/);

    // The next hour: the fills of hour 70 are booked, a new decision is made; nothing is placed twice.
    const second = await runLiveCli(testnetArgs(stateDir, 71));
    expect(second.exitCode).toBe(0);
    const after = persisted(stateDir).journal;
    for (const entry of placed) {
      expect(after.find((e) => e.clientOrderId === entry.clientOrderId)?.status).toBe('filled');
      expect(server.ordersPerClientId.get(entry.clientOrderId as string)).toBe(1);
    }
    expect(after.filter((e) => e.decidedAt === T0 + 71 * HOUR)).toHaveLength(2);

    const log = logOf(stateDir);
    expect(log.records.some((r) => r.msg === 'order placed')).toBe(true);
    for (const text of [log.text, first.stdout, second.stdout, first.stderr, second.stderr]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
    }
  });

  it('paper mode on the exchange source loops one iteration per interval, 5 s after each close (no keys needed)', async () => {
    const stateDir = join(dir, 'paper');
    const result = await runLiveCli(['--symbols', 'ETH', '--timeframe', '1h', '--warmup-bars', '60', '--as-of', new Date(T0 + 70 * HOUR + 5000).toISOString(), '--max-iterations', '3', '--exchange-url', server.url, '--state-dir', stateDir]);
    expect(result.exitCode).toBe(0);
    const statuses = result.stdout.trim().split('\n').slice(1);
    expect(statuses.map((line) => line.slice(0, 24))).toEqual([new Date(T0 + 70 * HOUR + 5000).toISOString(), new Date(T0 + 71 * HOUR + 5000).toISOString(), new Date(T0 + 72 * HOUR + 5000).toISOString()]);
    expect(statuses.map((line) => /ETH\/USDT close (\d\d:\d\d)/.exec(line)?.[1])).toEqual(['22:00', '23:00', '00:00']);
    const { journal } = persisted(stateDir);
    expect(journal.filter((e) => e.decidedAt >= T0 + 70 * HOUR).map((e) => (e.decidedAt - T0) / HOUR)).toEqual([70, 71, 72]);
    expect(journal.every((e) => e.status !== 'pending' && e.status !== 'sent')).toBe(true); // paper: nothing sent
  });

  it('exits 2 naming --symbols when the exchange does not list a market', async () => {
    const result = await runLiveCli(['--symbols', 'BTC,SOL', '--timeframe', '1h', '--test-once', '--as-of', asOf(70), '--exchange-url', server.url, '--state-dir', join(dir, 'no-sol')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: Invalid --symbols: got "SOL\/USDT", expected a spot market of binance/);
    // The typo does not tie the folder to these symbols: the right ones run there afterwards.
    const fixed = await runLiveCli(['--symbols', 'BTC', '--timeframe', '1h', '--warmup-bars', '10', '--test-once', '--as-of', asOf(70), '--exchange-url', server.url, '--state-dir', join(dir, 'no-sol')]);
    expect(fixed.exitCode).toBe(0);
  });

  it('exits 2 naming the missing key variable, without printing any value', async () => {
    delete process.env.BINANCE_API_SECRET;
    try {
      const result = await runLiveCli(testnetArgs(join(dir, 'no-secret'), 70));
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/^error: Invalid BINANCE_API_SECRET: got "unset"/);
      expect(result.stderr).not.toContain(KEY);
    } finally {
      process.env.BINANCE_API_SECRET = SECRET;
    }
  });
});
