import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_IDENTITY_FILE } from './run-identity.js';
import { logOf, persisted, runLiveCli } from './testing/live-fixtures.js';

const HOUR = 3_600_000;
/** The last bundled close (data through 2024-12-31T23:00 open time). */
const LAST_CLOSE = Date.UTC(2025, 0, 1);
/** Resume test times: June 2022, inside the span of the bundled headlines (so condition C's sentiment is live). */
const T1 = Date.UTC(2022, 5, 1);
const T2 = T1 + 8 * HOUR;
const bundled = ['--source', 'bundled', '--symbols', 'BTC,ETH', '--warmup-bars', '400'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'popagent-live-cmd-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The proposals logged at info (the newest close of each iteration), without pino's wall-clock time. */
const proposals = (stateDir: string) =>
  logOf(stateDir)
    .records.filter((r) => r.msg === 'proposal')
    .map((r) => ({ symbol: r.symbol, proposal: r.proposal }));

describe('popagent live --source bundled (paper, offline)', () => {
  it('--test-once runs one full iteration at the last bundled close, journals the decision and writes state and log', async () => {
    const stateDir = join(dir, 'once');
    const result = await runLiveCli([...bundled, '--test-once', '--state-dir', stateDir]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2); // the start line and one status line
    expect(lines[0]).toContain('paper | bundled data, now 2025-01-01T00:00:00.000Z');
    expect(lines[1]).toMatch(/^2025-01-01T00:00:00\.000Z paper \| BTC\/USDT close 00:00 target \d\.\d\d .*\| ETH\/USDT close 00:00 target .*\| equity \d+\.\d\d$/);

    const { journal, strategy, kernels } = persisted(stateDir);
    // 400 warm-up bars + the decision bar per symbol, each journaled once; only the decision bar may trade.
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      const rows = journal.filter((e) => e.symbol === symbol);
      expect(rows).toHaveLength(401);
      expect(rows.at(-1)?.decidedAt).toBe(LAST_CLOSE);
      expect(rows.at(-2)?.decidedAt).toBe(LAST_CLOSE - 4 * HOUR);
      expect(rows.slice(0, -1).every((e) => e.status === 'no-order' || (e.status === 'skipped' && e.reason?.startsWith('catch-up bar')))).toBe(true);
      expect(['no-order', 'paper', 'skipped']).toContain(rows.at(-1)?.status);
    }
    expect([...kernels.keys()].sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    const engines = (strategy as { engines: Record<string, { bars: unknown }> }).engines;
    expect(Object.keys(engines).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(existsSync(join(stateDir, RUN_IDENTITY_FILE))).toBe(true);

    const logged = proposals(stateDir);
    expect(logged.map((p) => p.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    const decision = journal.find((e) => e.symbol === 'ETH/USDT' && e.decidedAt === LAST_CLOSE);
    const proposal = logged[1]?.proposal as { time: string; exposure: number; sentiment: number | null; methods: unknown[] };
    expect(proposal.time).toBe('2025-01-01T00:00:00.000Z');
    expect(proposal.exposure).toBe(decision?.strategyTarget); // the journaled target is the population's exposure
    expect(proposal.sentiment).toBeNull(); // condition A
    expect(proposal.methods.length).toBeGreaterThan(10);

    // The folder belongs to these settings: another timeframe is refused (exit 2 naming the flag), nothing changes.
    const other = await runLiveCli([...bundled, '--timeframe', '1h', '--test-once', '--state-dir', stateDir]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/^error: Invalid --timeframe: got "1h", expected "4h" \(timeframe\) as when the state in .* was created/);
    expect(persisted(stateDir).journal).toEqual(journal);
  });

  it('a restart resumes at the next unseen bar and continues exactly like an uninterrupted run (condition C)', async () => {
    const common = [...bundled, '--use-news', '--interval', '8'];
    const uninterrupted = join(dir, 'uninterrupted');
    const straight = await runLiveCli([...common, '--as-of', '2022-06-01', '--max-iterations', '2', '--state-dir', uninterrupted]);
    expect(straight.exitCode).toBe(0);

    const resumed = join(dir, 'resumed');
    expect((await runLiveCli([...common, '--as-of', '2022-06-01', '--test-once', '--state-dir', resumed])).exitCode).toBe(0);
    const before = persisted(resumed).journal;
    const second = await runLiveCli([...common, '--as-of', '2022-06-01T08:00Z', '--test-once', '--state-dir', resumed]);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('(resume)');
    expect(second.stdout).toContain('BTC/USDT close 08:00');

    const after = persisted(resumed);
    // The second run stepped only the unseen bars: 04:00 (learned, not traded) and 08:00 (the decision).
    const added = after.journal.filter((e) => !before.some((b) => b.symbol === e.symbol && b.decidedAt === e.decidedAt));
    expect(added.map((e) => [e.symbol, e.decidedAt]).sort()).toEqual([
      ['BTC/USDT', T1 + 4 * HOUR], ['BTC/USDT', T2], ['ETH/USDT', T1 + 4 * HOUR], ['ETH/USDT', T2],
    ]);
    const keys = after.journal.map((e) => `${e.symbol}@${e.decidedAt}`);
    expect(new Set(keys).size).toBe(keys.length); // no decision repeated

    const reference = persisted(uninterrupted);
    expect(after.journal).toEqual(reference.journal);
    expect(after.strategy).toEqual(reference.strategy); // every engine: models, agents, news cursor, bars
    expect(after.kernels).toEqual(reference.kernels);
    const logged = proposals(resumed);
    expect(logged).toEqual(proposals(uninterrupted));
    expect(logged).toHaveLength(4);
    expect(logged.every((p) => Math.abs((p.proposal as { sentiment: number }).sentiment) > 0)).toBe(true); // the headlines reached the engines
  });

  it('--dry-run prints the orders it would place and persists nothing', async () => {
    const stateDir = join(dir, 'dry');
    const result = await runLiveCli([...bundled, '--symbols', 'BTC,ETH,SOL', '--test-once', '--dry-run', '--state-dir', stateDir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('paper dry-run');
    const wouldPlace = result.stdout.match(/^ {2}would place (buy|sell) [\d.]+ \w+\/USDT \(client id \w+\/USDT-1735689600000, reference price [\d.]+\)$/gm) ?? [];
    expect(wouldPlace.length).toBe((result.stdout.match(/dry run: not placed/g) ?? []).length);
    expect(wouldPlace.length).toBeGreaterThan(0);
    expect(persisted(stateDir).journal).toEqual([]);
    expect(existsSync(join(stateDir, RUN_IDENTITY_FILE))).toBe(false);
  });

});

describe('popagent live: bad flags exit 2 with one line naming the flag', () => {
  const cases: [string[], RegExp][] = [
    [['--live-real'], /^error: Invalid --live-real: got true, expected also the flag --i-understand-real-money/],
    [['--i-understand-real-money'], /^error: Invalid --i-understand-real-money: .*only together with --live-real/],
    [['--testnet', '--live-real', '--i-understand-real-money'], /^error: Invalid --testnet: .*not both/],
    [['--use-llm'], /^error: Invalid --use-llm: got true, expected also --llm-model NAME and either --llm-base-url URL/],
    [['--use-llm', '--llm-model', 'm', '--llm-base-url', 'localhost:1'], /^error: Invalid --llm-base-url: got "localhost:1"/],
    [['--use-llm', '--llm-model', 'm', '--llm-cache', 'x.sqlite', '--llm-every', '0'], /^error: Invalid --llm-every: got "0"/],
    [['--source', 'bundled', '--testnet'], /^error: Invalid --source: got "bundled", expected .*paper mode only/],
    [['--source', 'files'], /^error: Invalid --source: got "files"/],
    [['--interval', '0'], /^error: Invalid --interval: got "0", expected hours between iterations/],
    [['--timeframe', '5m'], /^error: Invalid --timeframe: got "5m", expected one of 1h, 4h, 1d/],
    [['--symbols', 'BTC,NOPE', '--source', 'bundled'], /^error: Invalid --symbols: got "NOPE", expected a comma-separated list of crypto bases/],
    [['--symbols', 'BTC,BTC'], /^error: Invalid --symbols: got "BTC", expected each symbol once/],
    [['--exchange', 'kraken'], /^error: Invalid --exchange: got "kraken", expected 'binance' or 'bybit'/],
    [['--seed', 'x'], /^error: Invalid --seed: got "x"/],
    [['--max-drawdown', '1.5'], /^error: Invalid --max-drawdown: got "1.5", expected a fraction in \(0, 1\)/],
    [['--max-order-notional', 'lots'], /^error: Invalid --max-order-notional: got "lots", expected an amount of quote currency > 0/],
    [['--warmup-bars', '-1'], /^error: (Invalid --warmup-bars|option '--warmup-bars <n>' argument missing)/],
    [['--as-of', 'yesterday'], /^error: Invalid --as-of: got "yesterday", expected a UTC time/],
    [['--as-of', '2030-01-01', '--source', 'bundled'], /^error: Invalid --as-of: got "2030-01-01T00:00:00.000Z", expected a time from .* to 2025-01-01T00:00:00.000Z/],
    [['--as-of', '2024-01-01'], /^error: Invalid --as-of: .*also --test-once or --max-iterations/],
    [['--exchange-url', 'ftp://x', '--testnet'], /^error: Invalid --exchange-url: got "ftp:\/\/x"/],
    [['--pause-at', 'lunch'], /^error: Invalid --pause-at: got "lunch", expected one of after-commit/],
    [['--recv-window', '90000'], /^error: Invalid --recv-window: got "90000", expected an integer number of ms from 1 to 60000/],
    [['--bogus'], /^error: unknown option '--bogus'/],
  ];
  it.each(cases)('%j', async (args, message) => {
    const result = await runLiveCli([...args, '--state-dir', join(dir, 'bad')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
