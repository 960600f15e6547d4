/**
 * The structured log of `popagent live`: pino JSON lines appended to `<state-dir>/live.log`, with libs/live's
 * credential redaction and secret scrubbing. Each line is appended synchronously, so a killed process loses none.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLiveLogger } from '@trading-ml/live';

/** The pino logger libs/live creates. */
export type LiveLogger = ReturnType<typeof createLiveLogger>;

/** File name of the log inside the state folder. */
export const LIVE_LOG_FILE = 'live.log';

/**
 * @param path - the log file (its folder is created).
 * @param secrets - API key and secret, masked wherever they would appear.
 * @param level - pino level (default 'info'; 'debug' also logs every catch-up decision).
 * @returns a pino logger writing JSON lines to the file.
 * @see pino docs, "Redaction".
 * @example
 * const logger = createFileLogger('out/live/paper/live.log', []);
 * logger.info({ symbol: 'BTC/USDT' }, 'proposal');
 */
export function createFileLogger(path: string, secrets: readonly string[], level = 'info'): LiveLogger {
  mkdirSync(dirname(path), { recursive: true });
  return createLiveLogger({ destination: { write: (line: string) => appendFileSync(path, line) }, secrets, level }).child({ app: 'popagent-live' });
}
