/**
 * A real Redis for the tests: REDIS_URL when set, otherwise a throw-away `/usr/bin/redis-server` on a free port
 * of 127.0.0.1 with persistence off (as libs/pbt's tests do). Never skips: without either the test fails.
 */
import { spawn } from 'node:child_process';
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

async function waitForPing(host: string, port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await ping(host, port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * Starts (or finds) a Redis.
 * @returns its URL and a stop function (SIGTERM to the spawned server; nothing for REDIS_URL).
 * @throws Error saying to install redis-server or set REDIS_URL.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const given = process.env['REDIS_URL'];
  if (given) {
    const url = new URL(given);
    if (!(await waitForPing(url.hostname, Number(url.port || 6379)))) throw new Error(`REDIS_URL=${given} does not answer PING`);
    return { url: given, stop: async () => undefined };
  }
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.once('error', () => undefined);
  if (!(await waitForPing('127.0.0.1', port))) {
    child.kill('SIGKILL');
    throw new Error(`This test needs a real Redis: install redis-server (${REDIS_SERVER}) or set REDIS_URL`);
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
