import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, it, expect } from 'vitest';
import { parseLineage } from '@trading-ml/pbt';
import { EXIT_USAGE, runCli } from '../command.js';
import { resultsDocumentSchema } from '../results-schema.js';
import { captureIo } from '../testing/capture-io.js';
import { xmlProblem } from '../testing/fixtures.js';
import type { PbtResultsDocument } from './results-schema.js';
import { SHORT_PBT, comparable, readResults } from './testing/short-run.js';

const tempOut = (name: string) => mkdtempSync(join(tmpdir(), `popagent-pbt-${name}-`));

/** Runs `popagent pbt` in-process; fails the test on a non-zero exit. */
async function pbt(out: string, extra: readonly string[]): Promise<{ results: PbtResultsDocument; lineage: string; stdout: string }> {
  const io = captureIo();
  const { exitCode } = await runCli(['pbt', ...SHORT_PBT, ...extra, '--out', out], io);
  expect(io.stderr.join('')).toBe('');
  expect(exitCode).toBe(0);
  return { results: readResults(out), lineage: readFileSync(join(out, 'lineage.jsonl'), 'utf8'), stdout: io.stdout.join('') };
}

let reference: Awaited<ReturnType<typeof pbt>>;
let referenceOut: string;

beforeAll(async () => {
  referenceOut = tempOut('inline');
  reference = await pbt(referenceOut, ['--executor', 'inline']);
}, 30_000);

describe('popagent pbt (end to end, in-process, bundled data)', () => {
  it('prints a row per generation and the final table, and exploits happen', () => {
    expect(reference.stdout).toMatch(/^generation 1\/3 \(2024-01-01 → 2024-01-21\): best #\d /m);
    expect(reference.stdout).toMatch(/^generation 3\/3 /m);
    expect(reference.stdout).toContain('untuned default');
    expect(reference.stdout).toContain('buy & hold');
    const lineage = parseLineage(reference.lineage, 'lineage.jsonl');
    expect(lineage.filter((r) => r.kind === 'exploit').length).toBeGreaterThan(0);
    expect(reference.results.generations.map((g) => g.exploits).at(-1)).toBe(0); // no decision after the last window
    expect(reference.results.generations.reduce((sum, g) => sum + g.exploits, 0)).toBe(lineage.filter((r) => r.kind === 'exploit').length);
    const html = readFileSync(join(referenceOut, 'report.html'), 'utf8');
    expect(html).toContain('id="pbt-lineage"');
    expect(html).toContain('PBT best');
    const svg = readFileSync(join(referenceOut, 'pbt-lineage.svg'), 'utf8');
    expect(xmlProblem(svg)).toBeNull();
    expect(svg).toContain('#d62728'); // the exploit edges' colour
  });

  it('the same seed gives the same schedule and results, inline and on two worker threads', async () => {
    const again = await pbt(tempOut('inline-again'), ['--executor', 'inline']);
    const threaded = await pbt(tempOut('threads'), ['--executor', 'threads', '--threads', '2']);
    expect(again.lineage).toBe(reference.lineage);
    expect(comparable(again.results)).toEqual(comparable(reference.results));
    expect(threaded.lineage).toBe(reference.lineage);
    expect(comparable(threaded.results)).toEqual(comparable(reference.results));
    expect(threaded.results.options.executor).toBe('threads');
  }, 60_000);

  it('the final window lies after every scored window and after every bar the engines had seen', () => {
    const { windows, finalWindow, best, untuned, options } = reference.results;
    expect(windows).toHaveLength(3);
    expect(windows[0]!.from).toBe(options.start);
    expect(windows.at(-1)!.to).toBe(options.end);
    windows.forEach((w, k) => {
      expect(w.firstClose).toBeGreaterThanOrEqual(w.from);
      expect(w.lastClose).toBeLessThan(w.to);
      if (k > 0) expect(w.from).toBe(windows[k - 1]!.to);
    });
    const lastScored = Math.max(...windows.map((w) => w.lastClose));
    expect(finalWindow.firstClose).toBeGreaterThan(lastScored);
    expect(finalWindow.firstClose).toBeGreaterThanOrEqual(options.end);
    expect(finalWindow.lastClose).toBeLessThanOrEqual(options.finalEnd);
    // Both contenders had seen exactly the PBT windows, and nothing of the final window.
    expect(best.lastSeenClose).toBe(lastScored);
    expect(untuned.lastSeenClose).toBe(lastScored);
    expect(finalWindow.symbols[0]!.equity.time[0]).toBe(finalWindow.firstClose);
  });

  it('best-config.json is accepted by `popagent ablation --config` and runs with exactly those values', async () => {
    const configPath = join(referenceOut, 'best-config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, number>;
    expect(config).toEqual(reference.results.best.config);
    const out = tempOut('ablation');
    const io = captureIo();
    const { exitCode } = await runCli(['ablation', '--config', configPath, '--condition', 'A', '--symbols', 'BTC', '--start', '2024-03-01', '--end', '2024-03-15', '--threads', '1', '--no-progress', '--out', out], io);
    expect(io.stderr.join('')).toBe('');
    expect(exitCode).toBe(0);
    const ablation = resultsDocumentSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    for (const [key, value] of Object.entries(config)) expect(ablation.runs[0]!.config[key as keyof typeof ablation.runs[0]['config']]).toBe(value);
  }, 30_000);

  it('a bad flag exits 2 with one line naming the flag, the value and what was expected', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--executor', 'gpu'], /^error: Invalid --executor: got "gpu", expected one of inline, threads, redis\n$/],
      [['--executor', 'redis'], /^error: Invalid --redis-url: got undefined, expected a redis:\/\/ URL/],
      [['--generations', '400'], /^error: Invalid --generations: got "400", expected at most 179/],
      [['--final-end', '2024-02-01'], /^error: Invalid --final-end: got "2024-02-01", expected a date after --end 2024-03-01/],
      [['--fitness', 'calmar'], /^error: Invalid --fitness: got "calmar", expected one of sharpe, sharpe-dd-cap, composite\n$/],
      [['--population', '1'], /^error: Invalid --population: got "1", expected an integer from 2 to 1000/],
    ];
    for (const [flags, message] of cases) {
      const io = captureIo();
      const { exitCode } = await runCli(['pbt', ...SHORT_PBT, ...flags, '--out', tempOut('bad')], io);
      expect(exitCode).toBe(EXIT_USAGE);
      expect(io.stderr.join('')).toMatch(message);
      expect(io.stderr.join('').trimEnd().split('\n')).toHaveLength(1);
      expect(io.stdout.join('')).toBe('');
    }
    const worker = captureIo();
    expect((await runCli(['pbt-worker'], worker)).exitCode).toBe(EXIT_USAGE);
    expect(worker.stderr.join('')).toContain("required option '--redis-url <url>' not specified");
  });
});
