/**
 * PopAgentEngine: steps per second (condition A and C, population 10, BTC/USDT 4h) and the cost of a checkpoint
 * of 20 000 4h bars (about 9 years): snapshot size as JSON, snapshot + JSON.stringify, JSON.parse + restore into
 * a fresh engine (replays every bar through the indicators), and restore into an engine that has seen the same bars
 * (a PBT exploit between members of one stream: no replay). The bundled 4h history has ~7 900 bars, so the 20 000
 * bars are the first 20 000 BTC/USDT 1h bars re-stamped 4 hours apart (real prices, 4h clock).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bar } from '@trading-ml/core';
import { loadBars, loadNews, resampleBars } from '@trading-ml/market-data';
import { PopAgentEngine } from '@trading-ml/popagent';
import type { PopAgentEngineOptions } from '@trading-ml/popagent';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../data');
const FOUR_HOURS = 4 * 3_600_000;
const WARM_UP = 200;

function feed(engine: PopAgentEngine, bars: readonly Bar[]): void {
  for (let i = 0; i < bars.length; i++) {
    if (i < WARM_UP) engine.warmUp(bars[i]!);
    else engine.step(bars[i]!);
  }
}

export function run(): Array<{ name: string; value: number; unit: string }> {
  const hourly = loadBars({ dataDir: DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h' }).bars;
  const fourHour = resampleBars(hourly, '1h', '4h');
  const news = loadNews({ dataDir: DATA_DIR, symbols: ['BTC/USDT', 'CRYPTO'] });
  const figures: Array<{ name: string; value: number; unit: string }> = [];

  for (const condition of ['A', 'C'] as const) {
    const options: PopAgentEngineOptions = { symbol: 'BTC/USDT', timeframe: '4h', condition, seed: 42, periodsPerYear: 2190, news };
    feed(new PopAgentEngine(options), fourHour); // warm the JIT and the VADER cache (every headline scored once)
    const started = performance.now();
    feed(new PopAgentEngine(options), fourHour);
    const seconds = (performance.now() - started) / 1000;
    figures.push({ name: `condition ${condition}: engine bars per second (population 10)`, value: fourHour.length / seconds, unit: 'bars/s' });
  }

  const first = hourly[0]!.closeTime;
  const bars = hourly.slice(0, 20_000).map((bar, i) => ({ ...bar, openTime: first + (i - 1) * FOUR_HOURS + 1, closeTime: first + i * FOUR_HOURS }));
  const options: PopAgentEngineOptions = { symbol: 'BTC/USDT', timeframe: '4h', condition: 'C', seed: 42, periodsPerYear: 2190, news };
  const engine = new PopAgentEngine(options);
  feed(engine, bars);
  const twin = new PopAgentEngine({ ...options, seed: 7 });
  feed(twin, bars);
  let text = '';
  let snapshotMs = Infinity;
  let restoreMs = Infinity;
  let sameBarsMs = Infinity;
  for (let repeat = 0; repeat < 3; repeat++) {
    let started = performance.now();
    text = JSON.stringify(engine.snapshot());
    snapshotMs = Math.min(snapshotMs, performance.now() - started);
    started = performance.now();
    new PopAgentEngine(options).restore(JSON.parse(text));
    restoreMs = Math.min(restoreMs, performance.now() - started);
    started = performance.now();
    twin.restore(JSON.parse(text));
    sameBarsMs = Math.min(sameBarsMs, performance.now() - started);
  }
  figures.push({ name: 'snapshot of 20 000 4h bars (condition C), JSON', value: text.length / 1e6, unit: 'MB' });
  figures.push({ name: 'snapshot + JSON.stringify, 20 000 bars', value: snapshotMs, unit: 'ms' });
  figures.push({ name: 'JSON.parse + restore into a fresh engine (replay)', value: restoreMs, unit: 'ms' });
  figures.push({ name: 'JSON.parse + restore, same bars seen (PBT exploit)', value: sameBarsMs, unit: 'ms' });
  return figures;
}
