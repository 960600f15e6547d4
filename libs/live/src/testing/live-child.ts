/**
 * Child process of the kill-and-resume test: testnet iterations against the local Binance server at fixed times,
 * with a pause hook. Started through live-child-entry.mjs (`node --conditions=@trading-ml/source live-child-entry.mjs`).
 * LIVE_CHILD_CONFIG = JSON { serverUrl, dbPath, times: UTC ms[] } (one iteration per time);
 * LIVE_PAUSE_AT = '<checkpoint>@<time>': on its first occurrence during the iteration at that time, the child prints
 * "PAUSED <checkpoint>" and waits forever, so the parent can SIGKILL it exactly there.
 */
import { createLiveExchange } from '../live-exchange.js';
import { overrideExchangeUrls } from '../exchange-urls.js';
import { LiveTrader } from '../live-trader.js';
import { fixedClock } from '../live-clock.js';
import { createLiveLogger } from '../secrets.js';
import { ScriptedStrategy } from './scripted-strategy.js';

export const CHILD_TARGETS = [0.3, 0.6, 0.2, 0.5] as const;

const config = JSON.parse(process.env.LIVE_CHILD_CONFIG ?? '{}') as { serverUrl: string; dbPath: string; times: number[] };
const [pauseAt, pauseTime] = (process.env.LIVE_PAUSE_AT ?? '').split('@');
const clock = fixedClock(config.times[0] ?? 0);
const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: process.env, timeoutMs: 2000, recvWindowMs: 1000 });
overrideExchangeUrls(exchange, config.serverUrl);
const trader = new LiveTrader({
  exchange,
  secrets,
  mode: 'testnet',
  symbols: ['BTC/USDT', 'ETH/USDT'],
  timeframe: '1h',
  strategy: new ScriptedStrategy(CHILD_TARGETS),
  dbPath: config.dbPath,
  clock,
  retries: 1,
  minRetryDelayMs: 10,
  logger: createLiveLogger({ destination: { write: (line: string) => void process.stderr.write(line) }, secrets }),
  onCheckpoint: async (point) => {
    if (point === pauseAt && clock.now() === Number(pauseTime)) {
      process.stdout.write(`PAUSED ${point}\n`);
      await new Promise(() => undefined);
    }
  },
});
for (const time of config.times) {
  clock.set(time);
  const report = await trader.runIteration();
  process.stdout.write(`STATUS ${report.status}\n`);
}
trader.close();
process.stdout.write('DONE\n');
