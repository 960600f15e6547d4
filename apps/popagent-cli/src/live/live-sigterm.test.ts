import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import { FakeBinanceServer } from '../../../../libs/live/src/testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from '../../../../libs/live/src/testing/bars.js';
import { logOf, persisted } from './testing/live-fixtures.js';

const CHILD = fileURLToPath(new URL('./testing/live-child-entry.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ENV = { BINANCE_API_KEY: 'kk-live-term-1a2b3c4d', BINANCE_API_SECRET: 'ks-live-term-5e6f7a8b9c' };
/** In the fixture bars both symbols trade at this close (see live-kill.test.ts). */
const DECIDED_AT = T0 + 70 * HOUR;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'popagent-live-sigterm-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture bars moved in time so that the decision bar is the newest closed bar right now (real clock). */
function barsClosingNow(now: number): Record<string, Bar[]> {
  const shift = Math.floor(now / HOUR) * HOUR - DECIDED_AT;
  const move = (bars: Bar[]) => bars.map((b) => ({ ...b, openTime: b.openTime + shift, closeTime: b.closeTime + shift }));
  return { BTCUSDT: move(hourlyBars(90)), ETHUSDT: move(hourlyBars(90, 2_000)) };
}

/** The per-iteration status lines (they start with the iteration's time; the header line does not). */
const statusLines = (stdout: string): string[] => stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\dT\S+ testnet \| /.test(line));

interface Child {
  readonly stdout: () => string;
  readonly exited: Promise<{ code: number | null; signal: string | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `popagent live --testnet` (a long run on the real clock, one iteration per hour) in a child process. */
function startLive(serverUrl: string, stateDir: string): Child {
  const args = ['live', '--testnet', '--symbols', 'BTC,ETH', '--timeframe', '1h', '--warmup-bars', '60', '--exchange-url', serverUrl, '--state-dir', stateDir];
  const child = spawn(process.execPath, ['--conditions=@trading-ml/source', CHILD, ...args], { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += String(chunk)));
  child.stderr.on('data', (chunk) => (err += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr: err })));
  return { stdout: () => out, exited, kill: (signal) => child.kill(signal) };
}

async function until(what: string, condition: () => boolean, child: Child): Promise<void> {
  let done = false;
  void child.exited.then(() => (done = true));
  for (let i = 0; i < 1_200 && !condition(); i++) {
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!condition()) throw new Error(`never saw ${what}; stdout:\n${child.stdout()}\nstderr:\n${(await Promise.race([child.exited, Promise.resolve(null)]))?.stderr ?? ''}`);
}

describe('SIGTERM of a long-running `popagent live` (real clock, local exchange server)', () => {
  it('mid-iteration: the iteration finishes and journals its orders, the process exits 0; a restart places nothing twice and a SIGTERM while it waits exits 0', async () => {
    // Stay clear of an hour boundary, where the newest closed bar would change under the test.
    const toNextHour = HOUR - (Date.now() % HOUR);
    if (toNextHour < 60_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 1_000));
    const server = await FakeBinanceServer.start(barsClosingNow(Date.now()));
    try {
      const stateDir = join(dir, 'state');
      // The first order's answer comes late; the signal arrives while the exchange holds it.
      server.fail('POST /api/v3/order', { delayMs: 1_500 });
      const first = startLive(server.url, stateDir);
      await until('the first order at the exchange', () => server.seen('POST /api/v3/order').length >= 1, first);
      first.kill('SIGTERM');
      const ended = await first.exited;
      expect(ended, ended.stderr).toMatchObject({ code: 0, signal: null });
      expect(statusLines(first.stdout())).toHaveLength(1); // one iteration, finished; no second one
      expect(server.orders).toHaveLength(2); // both symbols' orders went out before the process stopped
      const orders = persisted(stateDir).journal.filter((e) => e.clientOrderId !== null);
      expect(orders.map((e) => e.status)).toEqual(['sent', 'sent']);
      expect(logOf(stateDir).records.at(-1)).toMatchObject({ msg: 'popagent live stopped', iterations: 1 });

      // Restart in the same hour: the bar was decided on already, so no order is placed again. Then it waits for
      // the next hour, and a SIGTERM there ends it at once.
      const second = startLive(server.url, stateDir);
      await until('the restart’s status line', () => statusLines(second.stdout()).length > 0, second);
      second.kill('SIGTERM');
      const ended2 = await second.exited;
      expect(ended2, ended2.stderr).toMatchObject({ code: 0, signal: null });
      expect(second.stdout()).toContain('(resume)');
      expect(server.orders).toHaveLength(2);
      for (const entry of orders) expect(server.ordersPerClientId.get(entry.clientOrderId as string)).toBe(1);
      expect(logOf(stateDir).records.at(-1)).toMatchObject({ msg: 'popagent live stopped', iterations: 1 });
      expect(logOf(stateDir).text).not.toContain(ENV.BINANCE_API_SECRET);
    } finally {
      await server.close();
    }
  }, 60_000);
});
