/** Test support: a CliIo that keeps what was printed. */
import type { CliIo } from '../io.js';

/** @returns a CliIo whose output lands in `stdout` / `stderr` arrays. */
export function captureIo(): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, write: (text) => void stdout.push(text), writeError: (text) => void stderr.push(text) };
}
