/**
 * Where the layered memory lives between days and between runs. One interface, two backends: SQLite
 * (better-sqlite3, embedded, the default: {@link SqliteMemoryStore}) and PostgreSQL (optional, not bundled: an
 * implementation maps the same four methods onto a `pg` pool, each `commitDay` inside `BEGIN … COMMIT`; see the
 * README's "Memory" section for the table layout).
 *
 * A simulated day is the unit of durability: everything a day changes (new, changed and removed items and the
 * agent's record of the day) is committed in one transaction, so a run killed at any moment resumes from the last
 * whole day.
 */
import type { MemoryItem } from './memory-item.js';

/** Everything one simulated day changes, written atomically. */
export interface DayCommit {
  readonly symbol: string;
  /** Free label, e.g. 'train' or 'test'. */
  readonly phase: string;
  /** The day's decision time (bar closeTime), UTC ms; strictly after the symbol's previous committed day. */
  readonly time: number;
  /** New items and changed items (whole items, replaced by id). */
  readonly upserts: readonly MemoryItem[];
  /** Ids of items forgotten this day. */
  readonly removals: readonly string[];
  /** The agent's own JSON record of the day (decision, character, …); validated by its reader. */
  readonly record: unknown;
}

/** A committed day as read back. */
export interface StoredDay {
  readonly symbol: string;
  readonly phase: string;
  readonly time: number;
  /** Untrusted JSON: validate with zod before use. */
  readonly record: unknown;
}

/** Persistence of the layered memory. Implementations: {@link SqliteMemoryStore}; PostgreSQL by the same contract. */
export interface MemoryStore {
  /**
   * The live (not removed) items of one symbol, ordered by eventTime then id.
   * @throws StateError when a stored row does not match the item schema.
   */
  items(symbol: string): Promise<MemoryItem[]>;
  /**
   * Applies one day atomically: all of it or nothing.
   * @throws DataError (code DATA_ORDER) when `time` is not after the symbol's last committed day.
   */
  commitDay(commit: DayCommit): Promise<void>;
  /** The committed days of one symbol, oldest first. */
  days(symbol: string): Promise<StoredDay[]>;
  /** Releases the connection. */
  close(): Promise<void>;
}
