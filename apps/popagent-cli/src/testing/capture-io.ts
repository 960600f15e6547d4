/** A CliIo that records what the command printed, for in-process tests of the real command. */
import type { CliIo } from '../io.js';

/** Captured output plus the CliIo writing into it (not a terminal, so no progress bar). */
export function captureIo(): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    write: (text) => void stdout.push(text),
    writeError: (text) => void stderr.push(text),
    isTTY: false,
  };
}
