/**
 * Loading throughput on real bundled data: `loadBars` on data/crypto/BTCUSDT_1h.csv.gz (31,433 rows: gunzip,
 * papaparse, strict field conversion, zod row validation, gap detection) and `loadNews` on the headline file.
 * Best of 7 runs after a warm-up (the first runs mostly measure JIT compilation). The PopAgent ablation loads five
 * such bar files and must fit in 10 s overall, so one file should load well under 150 ms.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBars, loadNews } from '@trading-ml/market-data';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../data');
const REPEATS = 7;

/** Best (shortest) wall time in ms of `REPEATS` calls after one warm-up call, and the last call's result. */
function bestOf<T>(load: () => T): { ms: number; result: T } {
  let result = load();
  let ms = Infinity;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const start = performance.now();
    result = load();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result };
}

export function run(): Array<{ name: string; value: number; unit: string }> {
  const bars = bestOf(() => loadBars({ dataDir: DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h' }));
  const news = bestOf(() => loadNews({ dataDir: DATA_DIR }));
  const rows = bars.result.bars.length;
  return [
    { name: `loadBars BTC/USDT 1h (${rows} rows, gzip)`, value: rows / (bars.ms / 1000), unit: 'rows/s' },
    { name: 'loadBars BTC/USDT 1h, one file', value: bars.ms, unit: 'ms' },
    { name: `loadNews (${news.result.length} rows, gzip)`, value: news.result.length / (news.ms / 1000), unit: 'rows/s' },
  ];
}
