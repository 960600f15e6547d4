/**
 * Atomic file writes through `write-file-atomic`: the content goes to a temporary file in the target's folder, is
 * fsynced, then renamed over the target, so a run killed mid-write leaves the old file or the new one, never half
 * of one.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sync as writeFileAtomicSync } from 'write-file-atomic';

/**
 * Writes `content` to `path` atomically (temp file in the same folder, fsync, then rename).
 * @param path - target file; its folder is created when missing.
 * @param content - UTF-8 text.
 * @returns nothing.
 * @throws the file-system error of the write or the rename (the temp file is removed first).
 * @see POSIX rename(2): atomic within one file system; npm's write-file-atomic.
 * @example
 * writeFileAtomic('out/finmem/results.json', '{}');
 */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, content, 'utf8');
}
