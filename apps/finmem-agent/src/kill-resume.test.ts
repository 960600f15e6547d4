/**
 * A real kill: the CLI runs in a child process, is killed with SIGKILL mid-run, and the same command run again
 * resumes from the memory database and ends exactly where an uninterrupted run ends.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAiProtocolServer } from '../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import { runCli } from './command.js';
import { resultsDocumentSchema } from './results-schema.js';
import { captureIo } from './testing/capture-io.js';
import { startFinMemServer } from './testing/finmem-server.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let server: OpenAiProtocolServer;
beforeAll(async () => {
  server = await startFinMemServer(30);
});
afterAll(async () => {
  await server.close();
});

/** Starts the CLI in a child process and SIGKILLs it once `days` day lines were printed. */
function runAndKill(args: readonly string[], days: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@trading-ml/source', '--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if ((stdout.match(/^\d{4}-\d{2}-\d{2} /gm) ?? []).length >= days) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(stdout) : reject(new Error(`child was not killed (exit ${_code}): ${stderr}`))));
  });
}

describe('finmem-agent after a kill', () => {
  it('resumes from the last committed day and matches an uninterrupted run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finmem-kill-'));
    const args = ['train', '--symbol', 'TSLA', '--start', '2023-03-01', '--end', '2023-03-14', '--llm-model', 'test-model', '--llm-base-url', server.baseURL];
    const printed = await runAndKill([...args, '--out', join(root, 'killed')], 3);
    expect(printed).toContain('2023-03-01 ');

    const resumed = await runCli([...args, '--out', join(root, 'killed')], captureIo());
    expect(resumed.exitCode).toBe(0);
    const straight = await runCli([...args, '--out', join(root, 'straight')], captureIo());
    expect(straight.exitCode).toBe(0);

    const a = resultsDocumentSchema.parse(JSON.parse(readFileSync(join(root, 'killed', 'train.json'), 'utf8')));
    const b = resultsDocumentSchema.parse(JSON.parse(readFileSync(join(root, 'straight', 'train.json'), 'utf8')));
    expect(a.resumedDays).toBeGreaterThanOrEqual(3); // the days committed before the kill were not asked again
    expect(a.days).toBe(10);
    expect(a.decisions).toEqual(b.decisions);
    expect(a.memory).toEqual(b.memory);
  }, 60_000);
});
