import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it, expect } from 'vitest';
import { resultsDocumentSchema } from './results-schema.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Two months of ETH and SOL, 3 agents, conditions A and C: four runs, two per worker thread with --threads 2. */
const SHORT = ['--condition', 'all', '--symbols', 'ETH,SOL', '--start', '2024-01-01', '--end', '2024-03-01', '--population', '3', '--seed', '7', '--no-progress'];

/** Runs the real command the way `npm run popagent` does (tsx, source condition) in a subprocess. */
async function popagent(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const argv = ['--conditions=@trading-ml/source', '--import', 'tsx', 'apps/popagent-cli/src/main.ts', ...args];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, argv, { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('popagent ablation --threads (end to end, subprocess)', () => {
  it('gives the same runs on two worker threads as in-process', async () => {
    const threadedOut = mkdtempSync(join(tmpdir(), 'popagent-threads2-'));
    const inProcessOut = mkdtempSync(join(tmpdir(), 'popagent-threads1-'));
    const [threaded, inProcess] = await Promise.all([
      popagent(['ablation', ...SHORT, '--threads', '2', '--out', threadedOut]),
      popagent(['ablation', ...SHORT, '--threads', '1', '--out', inProcessOut]),
    ]);
    expect(threaded.stderr).toBe('');
    expect(threaded.exitCode).toBe(0);
    expect(inProcess.stderr).toBe('');
    expect(inProcess.exitCode).toBe(0);
    expect(threaded.stdout).toMatch(/Elapsed [\d.]+ s on 2 threads \(/);
    expect(inProcess.stdout).toMatch(/Elapsed [\d.]+ s on 1 thread \(/);
    // Non-TTY progress: one line per finished run, counted in finishing order.
    expect(threaded.stdout.match(/^\[\d\/4\] [AC] (ETH|SOL)\/USDT done in [\d.]+ s$/gm)).toHaveLength(4);

    const read = (folder: string) => resultsDocumentSchema.parse(JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8')));
    const threadedDoc = read(threadedOut);
    const inProcessDoc = read(inProcessOut);
    // Result order is (condition, symbol) whatever order the threads finished in.
    expect(threadedDoc.runs.map((run) => `${run.condition} ${run.symbol}`)).toEqual(['A ETH/USDT', 'A SOL/USDT', 'C ETH/USDT', 'C SOL/USDT']);
    expect(threadedDoc.runs).toEqual(inProcessDoc.runs);
    // Runs hold no timing fields; the rest of the document differs only in the command line.
    expect({ ...threadedDoc, command: '' }).toEqual({ ...inProcessDoc, command: '' });
    // Not vacuous: the two conditions did differ on these inputs.
    expect(threadedDoc.runs[0]!.exposure).not.toEqual(threadedDoc.runs[2]!.exposure);
  }, 120_000);
});
