/**
 * Where the app writes: standard output and error, and whether stdout is a terminal. Injected so tests run
 * the real command and read what it printed.
 */

/** The app's output channels. */
export interface CliIo {
  /** Writes text to standard output (the caller supplies newlines). */
  write(text: string): void;
  /** Writes text to standard error. */
  writeError(text: string): void;
  /** True when standard output is an interactive terminal (the progress bar is shown only then). */
  readonly isTTY: boolean;
  /** Stream the progress bar draws on (stdout in the real app). */
  readonly progressStream?: NodeJS.WritableStream;
}

/**
 * The process's own stdout/stderr.
 *
 * @returns a CliIo writing to `process.stdout` and `process.stderr`.
 * @throws never.
 * @see CliIo
 * @example
 * processIo().write('hello\n');
 */
export function processIo(): CliIo {
  return {
    write: (text) => void process.stdout.write(text),
    writeError: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    progressStream: process.stdout,
  };
}
