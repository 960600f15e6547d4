/**
 * Where the layered memory lives between days and between runs. One interface, two backends: SQLite
 * (better-sqlite3, embedded, the default: {@link SqliteMemoryStore}) and PostgreSQL (`pg`, an optional peer:
 * {@link PostgresMemoryStore}), with the same tables; both read rows back through {@link memoryItemFromRow}.
 *
 * A simulated day is the unit of durability: everything a day changes (new, changed and removed items and the
 * agent's record of the day) is committed in one transaction, so a run killed at any moment resumes from the last
 * whole day.
 */
import { z } from 'zod';
import { parseState } from '@trading-ml/core';
import { memoryItemSchema } from './memory-item.js';
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

/** Persistence of the layered memory. Implementations: {@link SqliteMemoryStore}, {@link PostgresMemoryStore}. */
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

/**
 * A `memory_items` row as both stores read it back. Times are UTC ms; PostgreSQL's node-postgres returns BIGINT as a
 * string, SQLite returns numbers. `embedding` is the parsed JSON value (or null).
 */
export interface MemoryItemRow {
  readonly symbol: string;
  readonly id: string;
  readonly layer: string;
  readonly kind: string;
  readonly text: string;
  readonly event_time: number | string;
  readonly recency_anchor: number | string;
  readonly importance: number;
  readonly importance_time: number | string;
  readonly access_count: number;
  readonly embedding: unknown;
}

const embeddingSchema = z.array(z.number());

/**
 * Validates a stored row into a {@link MemoryItem}.
 * @param row - the row, embedding already parsed from JSON.
 * @param where - where the row is, for the error message (a file or a database URL with its password masked).
 * @returns the item.
 * @throws StateError naming the item and the field when the row does not match the item schema.
 */
export function memoryItemFromRow(row: MemoryItemRow, where: string): MemoryItem {
  return parseState(`memory item ${row.id} in ${where}`, memoryItemSchema, {
    id: row.id,
    symbol: row.symbol,
    layer: row.layer,
    kind: row.kind,
    text: row.text,
    eventTime: Number(row.event_time),
    recencyAnchor: Number(row.recency_anchor),
    importance: row.importance,
    importanceTime: Number(row.importance_time),
    accessCount: row.access_count,
    ...(row.embedding === null ? {} : { embedding: parseState(`embedding of ${row.id}`, embeddingSchema, row.embedding) }),
  });
}
