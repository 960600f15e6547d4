/**
 * Where lineage records go as the run makes decisions: a JSONL file (one record per line) an app can tail,
 * chart with `lineageTree` or replay with `scheduleOf` + `replaySchedule`.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './checkpoint-store.js';
import type { LineageRecord } from './lineage.js';

/** A sink for lineage records. */
export interface LineageLog {
  /** Appends records in order. */
  append(records: readonly LineageRecord[]): void | Promise<void>;
  /** Replaces the whole log with `records` (on resume: the lineage of the checkpoint). */
  reset(records: readonly LineageRecord[]): void | Promise<void>;
}

/**
 * A JSONL lineage log file.
 *
 * @example
 * const log = new JsonlLineageLog('out/pbt/lineage.jsonl');
 * new PopulationBasedTraining({ …, lineageLog: log });
 * // later: parseLineage(readFileSync('out/pbt/lineage.jsonl', 'utf8'), 'lineage.jsonl')
 */
export class JsonlLineageLog implements LineageLog {
  /** @param path - the file; its folder is created when missing. */
  constructor(readonly path: string) {}

  /** Appends one line per record. @throws the file-system error. */
  append(records: readonly LineageRecord[]): void {
    if (records.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  }

  /** Rewrites the file atomically with exactly `records`. @throws the file-system error. */
  reset(records: readonly LineageRecord[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomic(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
