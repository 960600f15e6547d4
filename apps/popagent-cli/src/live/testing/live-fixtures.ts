/** Helpers of the `popagent live` tests: run the real command in-process and read back what it persisted. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStateStore } from '@trading-ml/live';
import type { JournalEntry } from '@trading-ml/live';
import { runCli } from '../../command.js';
import { captureIo } from '../../testing/capture-io.js';
import { LIVE_LOG_FILE } from '../live-log.js';

/** Runs `popagent live …args` in-process. */
export async function runLiveCli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const { exitCode } = await runCli(['live', ...args], io);
  return { exitCode, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

/** The journal, strategy snapshot and kernel snapshots persisted in a state folder. */
export function persisted(stateDir: string): { journal: JournalEntry[]; strategy: unknown; kernels: Map<string, unknown> } {
  const store = new SqliteStateStore(join(stateDir, 'live-state.sqlite'));
  try {
    const { strategy, kernels } = store.load();
    return { journal: store.journal(), strategy, kernels };
  } finally {
    store.close();
  }
}

/** The JSON lines of `<stateDir>/live.log` (raw text and parsed). */
export function logOf(stateDir: string): { text: string; records: Record<string, unknown>[] } {
  const path = join(stateDir, LIVE_LOG_FILE);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  return { text, records: text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Record<string, unknown>) };
}
