/**
 * A real Redis for the tests: REDIS_URL when set, otherwise a throw-away `redis-server` on a free port of
 * 127.0.0.1 with persistence off. Never skips: without either the tests fail, saying what to install.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** A running Redis. */
export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a PING on host:port answers +PONG. */
function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function waitForPing(host: string, port: number, child?: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await ping(host, port)) return true;
    if (child?.exitCode !== null && child?.exitCode !== undefined) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * Starts (or finds) a Redis.
 * @returns its URL and a stop function (kills the spawned server; nothing for REDIS_URL).
 * @throws Error saying to install redis-server (or set REDIS_URL) when no Redis can be had.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const given = process.env['REDIS_URL'];
  if (given) {
    const url = new URL(given);
    if (!(await waitForPing(url.hostname, Number(url.port || 6379)))) throw new Error(`REDIS_URL=${given} does not answer PING; start that Redis or unset REDIS_URL`);
    return { url: given, stop: async () => undefined };
  }
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const ready = await Promise.race([waitForPing('127.0.0.1', port, child), spawnError]);
  if (ready !== true) {
    child.kill('SIGKILL');
    const why = ready instanceof Error ? ready.message : 'it did not answer PING within 5 s';
    throw new Error(`These tests need a real Redis: install redis-server (e.g. apt-get install redis-server, giving ${REDIS_SERVER}) or set REDIS_URL. Starting ${REDIS_SERVER} failed: ${why}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
