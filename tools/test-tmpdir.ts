/**
 * Vitest global setup: every test run gets its own temporary directory, and it is removed when the run ends.
 *
 * Tests create their files under `os.tmpdir()` (state databases, results, reports, fixtures). Pointing TMPDIR at a
 * fresh directory for the run (worker threads and spawned child processes inherit it) means a run leaves nothing
 * behind in the machine's /tmp, even when a test fails before its own clean-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'trading-ml-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
