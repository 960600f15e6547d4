/**
 * A real PostgreSQL for the tests: DATABASE_URL when set (`.ci/run` starts one on 127.0.0.1), otherwise a
 * throw-away cluster (`initdb` + `postgres` on a free port of 127.0.0.1, fsync off) in a temporary folder, removed
 * on stop. Never skips: without either the tests fail, saying what to install.
 *
 * PostgreSQL refuses to run as root; under root the cluster is created and run as the `postgres` user (which the
 * Debian package creates) through util-linux `setpriv`.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running PostgreSQL. */
export interface TestPostgres {
  /** `postgres://…` URL of a database the tests may create schemas in. */
  readonly url: string;
  stop(): Promise<void>;
}

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

/** The folder of `initdb` and `postgres`: `pg_config --bindir`, else the newest /usr/lib/postgresql/<v>/bin. */
function binDir(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // no pg_config on PATH
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0] as string, 'bin') : null;
}

/** True once a connection answers `SELECT 1`. */
async function answers(url: string, child?: ChildProcess): Promise<boolean> {
  const { default: pg } = await import('pg');
  for (let i = 0; i < 200; i++) {
    if (child !== undefined && child.exitCode !== null) return false;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}

const INSTALL = 'install PostgreSQL (e.g. apt-get install postgresql) or set DATABASE_URL to a postgres:// URL';

/**
 * Starts (or finds) a PostgreSQL.
 * @returns its URL and a stop function (stops and deletes the throw-away cluster; nothing for DATABASE_URL).
 * @throws Error saying what to install (or to set DATABASE_URL) when no PostgreSQL can be had.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env['DATABASE_URL'];
  if (given) {
    if (!(await answers(given))) throw new Error(`DATABASE_URL does not answer SELECT 1; start that PostgreSQL or unset DATABASE_URL`);
    return { url: given, stop: async () => undefined };
  }
  const bin = binDir();
  if (bin === null) throw new Error(`These tests need a real PostgreSQL: ${INSTALL}. No initdb was found (pg_config --bindir, /usr/lib/postgresql/*/bin).`);
  const asRoot = process.getuid?.() === 0;
  // A cluster run as 'postgres' must be able to reach its folder: under root, not inside a private temp folder.
  const dir = mkdtempSync(join(asRoot ? '/tmp' : tmpdir(), 'pg-test-'));
  // setpriv execs in place (no wrapper process), so signals reach postgres itself.
  const run = (command: string, args: string[]): [string, string[]] => (asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]] : [command, args]);
  try {
    if (asRoot) {
      const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
      const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
      chownSync(dir, Number(ids), Number(gid));
      chmodSync(dir, 0o700);
    }
    const [initdb, initArgs] = run(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    execFileSync(initdb, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`These tests need a real PostgreSQL: ${INSTALL}. initdb failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const port = await freePort();
  const [postgres, args] = run(join(bin, 'postgres'), ['-D', join(dir, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
  const child = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const ready = await Promise.race([answers(url, child), spawnError]);
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGINT'); // PostgreSQL's "fast" shutdown
    });
  if (ready !== true) {
    child.kill('SIGKILL');
    await stop();
    const why = ready instanceof Error ? ready.message : `it did not accept connections within 10 s: ${stderr.slice(-1000)}`;
    throw new Error(`These tests need a real PostgreSQL: ${INSTALL}. Starting ${postgres} failed: ${why}`);
  }
  return { url, stop };
}
