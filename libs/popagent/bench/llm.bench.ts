/**
 * Conditions B and D without the model's own latency: BTC/USDT 4h, 2022-01-01 … 2024-12-01, population 10, the LLM
 * asked every 6th decision through the real openai client and HTTP to the llm-reasoning test server on 127.0.0.1
 * (answers HOLD at once). Reports the wall time of one B run against the same A run (`runPopAgent`), the client's
 * per-consultation overhead (prompt, HTTP, validation, SQLite cache write), and an offline replay of the same run
 * from the response cache. A real endpoint adds its own latency per consultation (≈ 1 100 consultations a run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PERIODS_PER_YEAR_24_7 } from '@trading-ml/core';
import { createLlmReasoner } from '@trading-ml/llm-reasoning';
import { loadBars, resampleBars } from '@trading-ml/market-data';
import { runPopAgent, runPopAgentAsync } from '@trading-ml/popagent';
import type { PopAgentInput } from '@trading-ml/popagent';
import { jsonReply, startOpenAiProtocolServer } from '../../llm-reasoning/src/testing/openai-protocol-server.js';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../data');
const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

export async function run(): Promise<Array<{ name: string; value: number; unit: string }>> {
  const bars = resampleBars(loadBars({ dataDir: DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h' }).bars, '1h', '4h');
  const input: PopAgentInput = {
    symbol: 'BTC/USDT',
    timeframe: '4h',
    bars,
    start: Date.UTC(2022, 0, 1),
    end: Date.UTC(2024, 11, 1),
    condition: 'B',
    seed: 42,
    periodsPerYear: PERIODS_PER_YEAR_24_7['4h'],
  };
  const server = await startOpenAiProtocolServer({ respond: () => jsonReply({ action: 'HOLD', confidence: 0.5, rationale: 'bench', citedMemoryIds: [] }) });
  const folder = mkdtempSync(join(tmpdir(), 'popagent-llm-bench-'));
  try {
    runPopAgent({ ...input, condition: 'A' }); // warm the JIT
    let started = performance.now();
    runPopAgent({ ...input, condition: 'A' });
    const aMs = performance.now() - started;

    const cache = join(folder, 'cache.sqlite');
    const live = createLlmReasoner({ baseURL: server.baseURL, model: 'bench-model', cache, maxRetries: 0, env: {}, logger: silent });
    started = performance.now();
    const b = await runPopAgentAsync(input, { reasoner: live });
    const bMs = performance.now() - started;
    live.close();

    const offline = createLlmReasoner({ model: 'bench-model', cache, env: {}, logger: silent });
    started = performance.now();
    await runPopAgentAsync(input, { reasoner: offline });
    const replayMs = performance.now() - started;
    offline.close();

    const consultations = b.llm?.consultations ?? 0;
    return [
      { name: 'condition A: one BTC 4h run (runPopAgent)', value: aMs, unit: 'ms' },
      { name: `condition B: same run, ${consultations} local HTTP consultations`, value: bMs, unit: 'ms' },
      { name: 'condition B: client overhead per consultation', value: (bMs - aMs) / consultations, unit: 'ms' },
      { name: 'condition B: offline replay from the cache', value: replayMs, unit: 'ms' },
    ];
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
