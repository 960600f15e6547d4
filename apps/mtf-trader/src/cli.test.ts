import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const folder = mkdtempSync(join(tmpdir(), 'mtf-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the CLI in-process and captures what it printed. */
async function cli(argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const { exitCode } = await runCli(argv, { write: (t) => void (stdout += t), writeError: (t) => void (stderr += t) });
  return { exitCode, stdout, stderr };
}

describe('mtf-trader flag errors', () => {
  const badYaml = join(folder, 'bad.yaml');
  writeFileSync(badYaml, 'cnn:\n  epochs: -1\n');
  it.each([
    [['--mode', 'test'], "error: Invalid --mode: got \"test\", expected 'train' or 'trade'"],
    [[], "error: Invalid --mode: got undefined, expected 'train' or 'trade'"],
    [['--mode', 'train', '--seed', 'abc'], 'error: Invalid --seed: got "abc", expected an integer'],
    [['--mode', 'trade', '--symbols', 'BTC ETH'], 'error: Invalid --symbols: got "BTC ETH"'],
    [['--mode', 'trade', '--start', '2024-10-02', '--end', '2024-10-01'], 'error: Invalid --start: got "2024-10-02", expected a time before --end 2024-10-01'],
    [['--mode', 'train', '--bogus'], "error: unknown option '--bogus'"],
    [['--mode', 'train', '--config', badYaml], `error: Invalid cnn.epochs in ${badYaml}: got -1, expected an integer ≥ 1`],
    [['--mode', 'train', '--config', join(folder, 'none.yaml')], 'error: Invalid --config: got'],
  ])('%j exits 2 with one line naming the flag, the value and what was expected', async (argv, message) => {
    const { exitCode, stderr, stdout } = await cli(argv);
    expect(exitCode).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('exits 2 when trading from a models folder a train run did not write', async () => {
    const { exitCode, stderr } = await cli(['--mode', 'trade', '--models-dir', join(folder, 'empty'), '--backend', 'cpu']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^error: Invalid --models-dir: .*manifest.json missing/);
  });
});
