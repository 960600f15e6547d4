/**
 * Helpers of the PBT tests: a small run on the bundled data (BTC, 4 members, 3 windows of 20 days, 3 agents),
 * reading its outputs, and running the real command in a subprocess the way `npm run popagent` does.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pbtResultsSchema } from '../results-schema.js';
import type { PbtResultsDocument } from '../results-schema.js';

/** The repository root (where `npm run popagent` runs). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

/** A small PBT run: one symbol, 4 members, 2 exploit/explore rounds (3 windows), a one-month final window. */
export const SHORT_PBT = ['--symbols', 'BTC', '--start', '2024-01-01', '--end', '2024-03-01', '--final-end', '2024-04-01', '--population', '4', '--generations', '2', '--agents', '3', '--seed', '7'];

/** results.json of an output folder, validated. */
export function readResults(out: string): PbtResultsDocument {
  return pbtResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
}

/** The parts of a results document that do not depend on how the run was executed (command line, executor). */
export function comparable(document: PbtResultsDocument): unknown {
  return { ...document, command: '', options: { ...document.options, executor: '' } };
}

/** Starts the real `popagent` command in a subprocess (tsx, source condition), output piped. */
export function spawnPopagent(args: readonly string[]): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--conditions=@trading-ml/source', '--import', 'tsx', 'apps/popagent-cli/src/main.ts', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return Object.assign(child, { output: () => text });
}

/** Resolves with the exit code (or signal name) of a child process. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
}
