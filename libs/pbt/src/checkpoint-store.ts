/**
 * Population checkpoints on disk: one JSON file per checkpoint, written atomically by `write-file-atomic`
 * (temporary file in the same folder, fsync, then rename), so a run killed mid-write leaves the previous checkpoint
 * intact.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sync as writeFileAtomicSync } from 'write-file-atomic';
import { ConfigError, parseState } from '@trading-ml/core';
import { populationCheckpointSchema } from './checkpoint.js';
import type { CheckpointStore, PopulationCheckpoint } from './checkpoint.js';

const FILE = /^pbt-checkpoint-(\d{9})\.json$/;

/**
 * Writes `content` to `path` atomically (temporary file in the same folder, fsync, then rename).
 *
 * @param path - target file; its folder must exist.
 * @param content - UTF-8 text.
 * @returns nothing.
 * @throws the file-system error (the temporary file is removed first).
 * @see POSIX rename(2): atomic within one file system; npm's write-file-atomic.
 * @example
 * writeFileAtomic('/tmp/run/lineage.jsonl', '');
 */
export function writeFileAtomic(path: string, content: string): void {
  writeFileAtomicSync(path, content, 'utf8');
}

/**
 * A folder of population checkpoints, `pbt-checkpoint-<completed intervals, 9 digits>.json`, keeping the newest
 * `keep` files.
 *
 * @example
 * const store = new PopulationCheckpointStore({ directory: 'out/pbt/checkpoints' });
 * const pbt = new PopulationBasedTraining({ …, checkpointStore: store }); // resumes from the newest file, if any
 */
export class PopulationCheckpointStore implements CheckpointStore {
  /** The folder holding the files. */
  readonly directory: string;
  /** How many newest checkpoints are kept (older ones are deleted after each save). */
  readonly keep: number;

  /**
   * @param options.directory - folder for the files (created when missing).
   * @param options.keep - newest checkpoints to keep, an integer ≥ 1 (default 2).
   * @throws ConfigError when `keep` is not an integer ≥ 1 or `directory` is empty.
   */
  constructor(options: { directory: string; keep?: number }) {
    if (typeof options.directory !== 'string' || options.directory === '') {
      throw new ConfigError({ parameter: 'checkpoint directory', value: options.directory, expected: 'a folder path' });
    }
    const keep = options.keep ?? 2;
    if (!Number.isInteger(keep) || keep < 1) throw new ConfigError({ parameter: 'keep', value: keep, expected: 'an integer ≥ 1' });
    this.directory = options.directory;
    this.keep = keep;
  }

  /**
   * Writes a checkpoint atomically, then deletes all but the newest `keep` files.
   * @param checkpoint - the population checkpoint.
   * @returns nothing.
   * @throws the file-system error of the write.
   */
  save(checkpoint: PopulationCheckpoint): void {
    mkdirSync(this.directory, { recursive: true });
    const name = `pbt-checkpoint-${String(checkpoint.completedIntervals).padStart(9, '0')}.json`;
    writeFileAtomic(join(this.directory, name), JSON.stringify(checkpoint));
    for (const old of this.files().slice(0, -this.keep)) rmSync(join(this.directory, old), { force: true });
  }

  /**
   * The newest checkpoint in the folder, validated with zod.
   * @returns the checkpoint, or null when the folder holds none (or does not exist).
   * @throws StateError naming the file and the first invalid field when the newest file is not a valid checkpoint.
   */
  loadLatest(): PopulationCheckpoint | null {
    const newest = this.files().at(-1);
    if (newest === undefined) return null;
    const path = join(this.directory, newest);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      value = `unreadable JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    return parseState(`PBT checkpoint ${path}`, populationCheckpointSchema, value);
  }

  /** Checkpoint file names, oldest first. */
  private files(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return [];
    }
    return names.filter((n) => FILE.test(n)).sort();
  }
}
