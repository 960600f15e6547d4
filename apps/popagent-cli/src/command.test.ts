import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { EXIT_USAGE, runCli } from './command.js';
import { resultsDocumentSchema } from './results-schema.js';
import { captureIo } from './testing/capture-io.js';
import { xmlProblem } from './testing/fixtures.js';

/**
 * Two months of ETH (with BTC as the reference asset) from the bundled data, 3 agents, into a temp folder.
 * `--threads 1` keeps every run in this process (the path with per-bar progress); threads.test.ts runs the
 * real command on worker threads in a subprocess and compares the two.
 */
const SHORT = ['--symbols', 'ETH', '--start', '2024-01-01', '--end', '2024-03-01', '--population', '3', '--seed', '7', '--no-progress', '--threads', '1'];

describe('popagent ablation (end to end, in-process)', () => {
  it('runs A and C on real bundled data and writes a valid results.json and report.html', async () => {
    const out = mkdtempSync(join(tmpdir(), 'popagent-e2e-'));
    const io = captureIo();
    const { exitCode, outcome } = await runCli(['ablation', ...SHORT, '--out', out], io);
    expect(io.stderr.join('')).toBe('');
    expect(exitCode).toBe(0);

    const document = resultsDocumentSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(document.runs.map((run) => `${run.condition} ${run.symbol}`)).toEqual(['A ETH/USDT', 'C ETH/USDT']);
    expect(document.options.skippedConditions).toEqual(['B', 'D']);
    expect(document.command).toBe(`popagent ablation ${[...SHORT, '--out', out].join(' ')}`);
    for (const run of document.runs) {
      expect(run.config.population).toBe(3);
      expect(run.equity.time.length).toBeGreaterThan(300); // 2 months of 4h bars ≈ 360
      expect(run.equity.time[0]!).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 1));
      expect(run.equity.time[run.equity.time.length - 1]!).toBeLessThanOrEqual(Date.UTC(2024, 2, 1));
    }
    expect(outcome?.results).toEqual(document);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(xmlProblem(readFileSync(join(out, 'equity-ETH-USDT.svg'), 'utf8'))).toBeNull();
    expect(existsSync(join(out, 'selection-by-regime-C.svg'))).toBe(true);

    const printed = io.stdout.join('');
    expect(printed).toContain('need an LLM endpoint');
    expect(printed).toMatch(/news: [1-9]\d* headlines/); // condition C loads news once
    expect(printed).toContain('ETH/USDT: ');
    expect(printed).toContain('Sharpe [95 % CI]');
    expect(printed).toContain('buy & hold');
    expect(printed).toMatch(/\[1\/2\] A ETH\/USDT done in/);
    expect(printed).toMatch(/Elapsed [\d.]+ s on 1 thread \(/);
    expect(printed).toMatch(/agent-steps\/s/);
  }, 20_000);

  it('warns when the data holds fewer warm-up bars than wanted before --start', async () => {
    // The bundled 1h data begins 2021-06-01 00:00 UTC: 30 days = 180 four-hour bars up to 2021-07-01 00:00; the
    // one closing exactly at --start is the first decision, so 179 close before it (300 wanted).
    const out = mkdtempSync(join(tmpdir(), 'popagent-warm-'));
    const io = captureIo();
    const args = ['ablation', '--symbols', 'BTC', '--condition', 'A', '--start', '2021-07-01', '--end', '2021-07-15', '--population', '2', '--no-progress', '--threads', '1', '--out', out];
    expect((await runCli(args, io)).exitCode).toBe(0);
    expect(io.stdout.join('')).toContain('warning: BTC/USDT has only 179 of 300 warm-up bars before --start (its data begins 2021-06-01T00:00:00.000Z)');
    const full = captureIo();
    expect((await runCli(['ablation', ...SHORT, '--out', out], full)).exitCode).toBe(0);
    expect(full.stdout.join('')).not.toContain('warning:');
  }, 20_000);

  it('exits 2 with one line naming the flag, value and expectation for a bad flag', async () => {
    const io = captureIo();
    const { exitCode } = await runCli(['ablation', '--population', '0'], io);
    expect(exitCode).toBe(EXIT_USAGE);
    expect(io.stderr.join('')).toBe('error: Invalid --population: got "0", expected an integer from 1 to 1000\n');
    expect(io.stdout.join('')).toBe('');
  });

  it('exits 2 for condition B alone, saying it needs an LLM endpoint', async () => {
    const io = captureIo();
    const { exitCode } = await runCli(['ablation', '--condition', 'B'], io);
    expect(exitCode).toBe(EXIT_USAGE);
    const lines = io.stderr.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: Invalid --condition: got "B", expected .*LLM endpoint/);
  });

  it('exits 2 for an unknown flag and for a bad config file, naming the file and key', async () => {
    const unknown = captureIo();
    expect((await runCli(['ablation', '--populaton', '3'], unknown)).exitCode).toBe(EXIT_USAGE);
    expect(unknown.stderr.join('')).toContain("unknown option '--populaton'");

    const path = join(mkdtempSync(join(tmpdir(), 'popagent-cfg-')), 'config.json');
    writeFileSync(path, '{ "discount": 0 }');
    const io = captureIo();
    expect((await runCli(['ablation', '--config', path], io)).exitCode).toBe(EXIT_USAGE);
    expect(io.stderr.join('')).toMatch(new RegExp(`^error: Invalid discount in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: got 0, expected .+\\n$`));
  });
});
