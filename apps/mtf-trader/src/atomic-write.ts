/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, which is then renamed over
 * the target. A rename inside one file system is atomic, so a run killed mid-write leaves either the old file
 * or the new one, never half of one.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `path` atomically (temp file in the same folder, then rename).
 *
 * @param path - target file path; its folder is created when missing.
 * @param content - UTF-8 text.
 * @returns nothing.
 * @throws the file-system error of the write or the rename (the temp file is removed first).
 * @see POSIX rename(2): "the rename is atomic" within one file system.
 * @example
 * writeFileAtomic('out/ablation/results.json', '{"schemaVersion":1}');
 */
export function writeFileAtomic(path: string, content: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content, 'utf8');
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
