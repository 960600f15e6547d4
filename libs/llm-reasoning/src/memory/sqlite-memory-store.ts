/**
 * The embedded {@link MemoryStore}: one SQLite file (better-sqlite3), one transaction per simulated day.
 */
import Database from 'better-sqlite3';
import { DataError, StateError } from '@trading-ml/core';
import { memoryItemFromRow } from './memory-store.js';
import type { DayCommit, MemoryItemRow, MemoryStore, StoredDay } from './memory-store.js';
import type { MemoryItem } from './memory-item.js';

const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS memory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memory_items (
  symbol TEXT NOT NULL, id TEXT NOT NULL, layer TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
  event_time INTEGER NOT NULL, recency_anchor INTEGER NOT NULL, importance REAL NOT NULL,
  importance_time INTEGER NOT NULL, access_count INTEGER NOT NULL, embedding TEXT,
  removed_at INTEGER, PRIMARY KEY (symbol, id)
);
CREATE TABLE IF NOT EXISTS memory_days (
  symbol TEXT NOT NULL, time INTEGER NOT NULL, phase TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (symbol, time)
);
`;

/**
 * SQLite-backed memory store. Open with a file path (created when missing) or ':memory:' for a throwaway store.
 * @param path - database file.
 * @throws StateError when the file holds a memory schema of another version.
 * @see better-sqlite3 docs, `Database#transaction` (a function wrapped in BEGIN/COMMIT, rolled back on throw).
 * @example
 * const store = new SqliteMemoryStore('out/finmem/memory.db');
 * await store.commitDay({ symbol: 'TSLA', phase: 'train', time, upserts: [item], removals: [], record: {} });
 * (await store.items('TSLA')).length; // 1
 * await store.close();
 */
export class SqliteMemoryStore implements MemoryStore {
  readonly #db: Database.Database;
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(SCHEMA);
    const row = this.#db.prepare('SELECT value FROM memory_meta WHERE key = ?').get('schemaVersion') as { value: string } | undefined;
    if (row === undefined) this.#db.prepare('INSERT INTO memory_meta (key, value) VALUES (?, ?)').run('schemaVersion', SCHEMA_VERSION);
    else if (row.value !== SCHEMA_VERSION) {
      this.#db.close();
      throw new StateError({ what: `memory database ${path}`, problem: `schemaVersion is ${row.value}, expected ${SCHEMA_VERSION}` });
    }
  }

  async items(symbol: string): Promise<MemoryItem[]> {
    const rows = this.#db
      .prepare('SELECT * FROM memory_items WHERE symbol = ? AND removed_at IS NULL ORDER BY event_time, id')
      .all(symbol) as (MemoryItemRow & { embedding: string | null })[];
    return rows.map((row) => memoryItemFromRow({ ...row, embedding: row.embedding === null ? null : (JSON.parse(row.embedding) as unknown) }, this.path));
  }

  async commitDay(commit: DayCommit): Promise<void> {
    const last = this.#db.prepare('SELECT MAX(time) AS time FROM memory_days WHERE symbol = ?').get(commit.symbol) as { time: number | null };
    if (last.time !== null && commit.time <= last.time) {
      throw new DataError({
        code: 'DATA_ORDER',
        location: { file: this.path, column: `memory_days(${commit.symbol}).time` },
        value: new Date(commit.time).toISOString(),
        expected: `a day after the last committed day ${new Date(last.time).toISOString()}`,
      });
    }
    const upsert = this.#db.prepare(`
      INSERT INTO memory_items (symbol, id, layer, kind, text, event_time, recency_anchor, importance, importance_time, access_count, embedding, removed_at)
      VALUES (@symbol, @id, @layer, @kind, @text, @eventTime, @recencyAnchor, @importance, @importanceTime, @accessCount, @embedding, NULL)
      ON CONFLICT (symbol, id) DO UPDATE SET layer = excluded.layer, kind = excluded.kind, text = excluded.text,
        event_time = excluded.event_time, recency_anchor = excluded.recency_anchor, importance = excluded.importance,
        importance_time = excluded.importance_time, access_count = excluded.access_count, embedding = excluded.embedding,
        removed_at = NULL`);
    const remove = this.#db.prepare('UPDATE memory_items SET removed_at = ? WHERE symbol = ? AND id = ?');
    const day = this.#db.prepare('INSERT INTO memory_days (symbol, time, phase, record) VALUES (?, ?, ?, ?)');
    this.#db.transaction(() => {
      for (const item of commit.upserts) {
        upsert.run({ ...item, symbol: commit.symbol, embedding: item.embedding === undefined ? null : JSON.stringify(item.embedding) });
      }
      for (const id of commit.removals) remove.run(commit.time, commit.symbol, id);
      day.run(commit.symbol, commit.time, commit.phase, JSON.stringify(commit.record));
    })();
  }

  async days(symbol: string): Promise<StoredDay[]> {
    const rows = this.#db.prepare('SELECT symbol, time, phase, record FROM memory_days WHERE symbol = ? ORDER BY time').all(symbol) as {
      symbol: string;
      time: number;
      phase: string;
      record: string;
    }[];
    return rows.map((row) => ({ symbol: row.symbol, time: row.time, phase: row.phase, record: JSON.parse(row.record) as unknown }));
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
