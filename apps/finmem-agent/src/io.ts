/**
 * Where the app writes: standard output and error. Injected so tests run the real command in-process and read
 * what it printed.
 */

/** The app's output channels. */
export interface CliIo {
  /** Writes text to standard output (the caller supplies newlines). */
  write(text: string): void;
  /** Writes text to standard error. */
  writeError(text: string): void;
}

/**
 * The process's own stdout/stderr.
 * @returns a CliIo writing to `process.stdout` and `process.stderr`.
 * @throws never.
 * @example
 * processIo().write('hello\n');
 */
export function processIo(): CliIo {
  return { write: (text) => void process.stdout.write(text), writeError: (text) => void process.stderr.write(text) };
}
