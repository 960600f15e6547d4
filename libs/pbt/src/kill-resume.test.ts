import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PopulationCheckpointStore } from './checkpoint-store.js';
import { InlineExecutor } from './inline-executor.js';
import { JsonlLineageLog } from './lineage-log.js';
import { parseLineage } from './lineage.js';
import { PopulationBasedTraining } from './pbt.js';
import { RESUME_FIXTURE_GENERATIONS, resumeFixtureOptions } from './testing/fixtures.js';
import * as quadratic from './testing/quadratic-trainable.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./testing/pbt-run-process.ts', import.meta.url));

describe('kill-and-resume through a real process killed with SIGKILL', () => {
  it('resumes from the last checkpoint and ends exactly like an uninterrupted run', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pbt-sigkill-'));
    const lineagePath = join(directory, 'lineage.jsonl');
    // 6 members × 5 steps × 15 ms ≈ 0.45 s a generation: slow enough to be killed mid-run.
    const child = spawn(process.execPath, ['--conditions=@trading-ml/source', '--import', 'tsx', SCRIPT, directory, lineagePath], {
      cwd: REPO_ROOT,
      env: { ...process.env, PBT_TEST_DELAY_MS: '15' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // Kill it once generation 3's checkpoint is on disk (it is then inside generation 4).
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(directory, 'pbt-checkpoint-000000018.json'))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the child never reached generation 3: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toContain('done');
    const killedAt = new PopulationCheckpointStore({ directory }).loadLatest()!;
    expect(killedAt.generation).toBeGreaterThanOrEqual(3);
    expect(killedAt.generation).toBeLessThan(RESUME_FIXTURE_GENERATIONS);

    const resumed = await new PopulationBasedTraining({
      ...resumeFixtureOptions(new InlineExecutor(quadratic)),
      checkpointStore: new PopulationCheckpointStore({ directory }),
      lineageLog: new JsonlLineageLog(lineagePath),
    }).run({ generations: RESUME_FIXTURE_GENERATIONS });
    const uninterrupted = await new PopulationBasedTraining(resumeFixtureOptions(new InlineExecutor(quadratic))).run({ generations: RESUME_FIXTURE_GENERATIONS });
    expect(resumed.resumedFrom).toBe(killedAt.generation);
    expect(resumed.members).toEqual(uninterrupted.members);
    expect(resumed.lineage).toEqual(uninterrupted.lineage);
    expect(parseLineage(readFileSync(lineagePath, 'utf8'), lineagePath)).toEqual(uninterrupted.lineage);
    rmSync(directory, { recursive: true, force: true });
  }, 90_000);
});
