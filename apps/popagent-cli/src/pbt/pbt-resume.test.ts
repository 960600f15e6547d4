import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { runCli } from '../command.js';
import { captureIo } from '../testing/capture-io.js';
import { SHORT_PBT, comparable, exited, readResults, spawnPopagent } from './testing/short-run.js';

const tempOut = (name: string) => mkdtempSync(join(tmpdir(), `popagent-pbt-${name}-`));
const checkpoints = (out: string) => (existsSync(join(out, 'checkpoints')) ? readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.json')).sort() : []);

describe('popagent pbt --resume', () => {
  it('a run killed (SIGKILL) after its first checkpoint, resumed, ends exactly like an uninterrupted run', async () => {
    const killedOut = tempOut('killed');
    const child = spawnPopagent(['pbt', ...SHORT_PBT, '--executor', 'inline', '--out', killedOut]);
    // Kill it as soon as generation 1's checkpoint (4 completed intervals) is on disk.
    const deadline = Date.now() + 60_000;
    while (!checkpoints(killedOut).includes('pbt-checkpoint-000000004.json')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the run ended before its first checkpoint: ${child.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');
    // Not vacuous: the killed run had not finished (no final checkpoint, no results).
    expect(checkpoints(killedOut).at(-1)! < 'pbt-checkpoint-000000012.json').toBe(true);
    expect(existsSync(join(killedOut, 'results.json'))).toBe(false);

    const resumedIo = captureIo();
    expect((await runCli(['pbt', ...SHORT_PBT, '--executor', 'inline', '--resume', '--out', killedOut], resumedIo)).exitCode).toBe(0);
    expect(resumedIo.stdout.join('')).toMatch(/Resumed from the checkpoint after generation [12]\./);

    const freshOut = tempOut('uninterrupted');
    expect((await runCli(['pbt', ...SHORT_PBT, '--executor', 'inline', '--out', freshOut], captureIo())).exitCode).toBe(0);
    expect(comparable(readResults(killedOut))).toEqual(comparable(readResults(freshOut)));
    expect(readFileSync(join(killedOut, 'lineage.jsonl'), 'utf8')).toBe(readFileSync(join(freshOut, 'lineage.jsonl'), 'utf8'));
    expect(readFileSync(join(killedOut, 'best-config.json'), 'utf8')).toBe(readFileSync(join(freshOut, 'best-config.json'), 'utf8'));
  }, 90_000);

  it('refuses to resume a checkpoint written with other flags (exit 2, naming --resume)', async () => {
    const out = tempOut('other');
    expect((await runCli(['pbt', ...SHORT_PBT, '--executor', 'inline', '--out', out], captureIo())).exitCode).toBe(0);
    const io = captureIo();
    expect((await runCli(['pbt', ...SHORT_PBT, '--agents', '4', '--executor', 'inline', '--resume', '--out', out], io)).exitCode).toBe(2);
    expect(io.stderr.join('')).toMatch(/^error: Invalid --resume: got ".*", expected a checkpoint written with the same/);
  }, 30_000);
});
