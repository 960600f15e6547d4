/**
 * A PBT Redis worker in its own process, for the lost-worker test: `node --conditions=@trading-ml/source
 * --import tsx redis-worker-process.ts <redis url> <queue name> <lockDuration ms> <stalledInterval ms>`.
 * Trains the quadratic test trainable; prints "ready" once connected. PBT_TEST_DELAY_MS slows each step.
 */
import { startPbtWorker } from '../redis-executor.js';
import { quadraticModuleUrl } from './quadratic-trainable.js';

const [url, queueName, lockDuration, stalledInterval] = process.argv.slice(2);
if (url === undefined || queueName === undefined) {
  console.error('usage: redis-worker-process.ts <redis url> <queue name> [lockDuration ms] [stalledInterval ms]');
  process.exit(2);
}
const worker = startPbtWorker({
  connection: url,
  queueName,
  trainableModule: quadraticModuleUrl,
  lockDuration: Number(lockDuration ?? 30_000),
  stalledInterval: Number(stalledInterval ?? 30_000),
});
worker.worker.on('active', (job) => console.log(`active ${job.id}`));
await worker.worker.waitUntilReady();
console.log('ready');
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
