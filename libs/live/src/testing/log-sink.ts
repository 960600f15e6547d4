import type { Logger } from 'pino';
import { createLiveLogger } from '../secrets.js';

/** A live logger (redaction and scrubbing included) whose JSON lines are kept in memory, for assertions. */
export function collectingLogger(secrets: readonly string[] = []): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLiveLogger({ destination: { write: (line: string) => void lines.push(line) }, secrets, level: 'debug' }), lines };
}
