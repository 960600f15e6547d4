/**
 * PopAgent throughput on real bundled data: BTC/USDT 1h bars resampled to 4h, the default configuration
 * (population 10), decisions from 2022-01-01 to 2024-12-01 with the bars before as warm-up. Reports agent-bar
 * steps per second and the wall time of one (condition, symbol) run; the default ablation is 10 such runs
 * (conditions A and C × 5 symbols) and must fit in 10 s.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PERIODS_PER_YEAR_24_7 } from '@trading-ml/core';
import { loadBars, loadNews, resampleBars } from '@trading-ml/market-data';
import { runPopAgent } from '@trading-ml/popagent';
import type { Condition } from '@trading-ml/popagent';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../data');

export function run(): Array<{ name: string; value: number; unit: string }> {
  const bars = resampleBars(loadBars({ dataDir: DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h' }).bars, '1h', '4h');
  const news = loadNews({ dataDir: DATA_DIR, symbols: ['BTC/USDT', 'CRYPTO'] });
  const figures: Array<{ name: string; value: number; unit: string }> = [];
  let ablationMs = 0;
  for (const condition of ['A', 'C'] as Condition[]) {
    const runOnce = () =>
      runPopAgent({
        symbol: 'BTC/USDT',
        timeframe: '4h',
        bars,
        news,
        start: Date.UTC(2022, 0, 1),
        end: Date.UTC(2024, 11, 1),
        condition,
        seed: 42,
        periodsPerYear: PERIODS_PER_YEAR_24_7['4h'],
      });
    runOnce(); // warm the JIT and the VADER cache
    const repeats = 3;
    let steps = 0;
    const started = performance.now();
    for (let r = 0; r < repeats; r++) steps += runOnce().agentSteps;
    const seconds = (performance.now() - started) / 1000;
    figures.push({ name: `condition ${condition}: agent-bar steps per second`, value: steps / seconds, unit: 'steps/s' });
    figures.push({ name: `condition ${condition}: one BTC 4h run (population 10)`, value: (seconds / repeats) * 1000, unit: 'ms' });
    ablationMs += 5 * (seconds / repeats) * 1000;
  }
  figures.push({ name: 'default ablation estimate (A, C × 5 symbols)', value: ablationMs / 1000, unit: 's' });
  return figures;
}
