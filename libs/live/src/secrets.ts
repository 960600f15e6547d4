import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** Paths pino blanks in every log record, whatever the caller logs: credentials never reach a log line. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'apiKey',
  'secret',
  'password',
  '*.apiKey',
  '*.secret',
  '*.password',
  'headers["X-MBX-APIKEY"]',
  '*.headers["X-MBX-APIKEY"]',
  'headers["X-BAPI-API-KEY"]',
  '*.headers["X-BAPI-API-KEY"]',
];

const MASK = '[REDACTED]';

/**
 * Removes known secret values (API key, secret) from text, so an exchange's error message that echoes a
 * request (URL, headers) cannot leak them into logs, journal reasons or thrown errors.
 *
 * @example
 * const scrub = new SecretScrubber(['abc123']);
 * scrub.text('key abc123 rejected'); // 'key [REDACTED] rejected'
 */
export class SecretScrubber {
  private readonly secrets: readonly string[];

  /** @param secrets - values to hide; empty and very short values (< 4 characters) are ignored to keep text readable. */
  constructor(secrets: readonly (string | undefined)[]) {
    // Longest first, so a secret containing another is masked whole.
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  }

  /**
   * @param value - any text.
   * @returns the text with every occurrence of a secret (also URL-encoded) replaced by '[REDACTED]'.
   */
  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) {
      out = out.split(secret).join(MASK);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(MASK);
    }
    return out;
  }

  /**
   * @param error - anything thrown.
   * @returns its first message line, scrubbed.
   */
  message(error: unknown): string {
    const raw = error instanceof Error ? error.message : String(error);
    return this.text(raw.split('\n')[0] ?? '');
  }
}

/** Options of {@link createLiveLogger}. */
export interface LiveLoggerOptions {
  /** pino level, default 'info'. */
  readonly level?: string;
  /** Where the JSON lines go (default stdout). Tests pass a stream that collects them. */
  readonly destination?: DestinationStream;
  /** Secret values to mask wherever they appear in a log line (keys read from the environment). */
  readonly secrets?: readonly (string | undefined)[];
}

/**
 * A pino logger for the live loop: structured JSON lines, credential fields redacted by path
 * ({@link REDACTED_LOG_PATHS}), and, as a second line of defence, every formatted line scrubbed of the secret values.
 *
 * @param options - level, destination, secrets.
 * @returns the logger.
 * @see pino docs, "Redaction" (https://getpino.io/#/docs/redaction).
 * @example
 * const logger = createLiveLogger({ secrets: [process.env.BINANCE_API_KEY, process.env.BINANCE_SECRET] });
 * logger.info({ symbol: 'BTC/USDT' }, 'iteration');
 */
export function createLiveLogger(options: LiveLoggerOptions = {}): Logger {
  const scrubber = new SecretScrubber(options.secrets ?? []);
  const target: DestinationStream = options.destination ?? pino.destination(1);
  const scrubbing: DestinationStream = { write: (line: string) => target.write(scrubber.text(line)) };
  return pino({ level: options.level ?? 'info', redact: { paths: [...REDACTED_LOG_PATHS], censor: MASK }, base: { lib: 'live' } }, scrubbing);
}
