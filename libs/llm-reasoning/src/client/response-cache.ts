/**
 * The SQLite response cache: chat answers and embedding vectors keyed by {@link chatCacheKey} /
 * {@link embeddingCacheKey}. A rerun replays free and deterministically; the file can be shared between runs and
 * processes (WAL journal, busy timeout, first writer wins).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { ConfigError, DataError } from '@trading-ml/core';

/** How the cache is used: read and write, read only (a shared reference cache), or not at all. */
export type CacheMode = 'read-write' | 'read-only' | 'off';

/** A cached chat answer; the token counts are those of the original call (a hit itself costs nothing). */
export interface CachedChat {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** What is stored with a chat answer, for inspection of the file. */
export interface ChatCacheRecord extends CachedChat {
  readonly model: string;
  readonly asOf: number;
  readonly purpose: string;
  /** The request body as sent (JSON). */
  readonly request: string;
}

const chatRowSchema = z.object({
  response: z.string(),
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});

const embeddingRowSchema = z.object({ vector: z.instanceof(Buffer) });

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS llm_chat_cache (
  key TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  as_of INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  request TEXT NOT NULL,
  response TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS llm_embedding_cache (
  key TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  text TEXT NOT NULL,
  vector BLOB NOT NULL
);`;

/**
 * A response cache in one SQLite file (or ':memory:').
 *
 * @example
 * const cache = ResponseCache.open(':memory:', 'read-write');
 * cache.putChat('k', { text: '{}', promptTokens: 1, completionTokens: 1, model: 'm', asOf: 0, purpose: 'p', request: '{}' });
 * cache.getChat('k')?.text; // '{}'
 * cache.close();
 */
export class ResponseCache {
  // Prepared once: a replayed run does thousands of lookups.
  private readonly selectChat: Database.Statement;
  private readonly selectEmbedding: Database.Statement;

  private constructor(
    private readonly db: Database.Database,
    /** File path, for messages. */
    readonly path: string,
    readonly writable: boolean,
  ) {
    this.selectChat = db.prepare('SELECT response, prompt_tokens, completion_tokens FROM llm_chat_cache WHERE key = ?');
    this.selectEmbedding = db.prepare('SELECT vector FROM llm_embedding_cache WHERE key = ?');
  }

  /**
   * Opens (and in read-write mode creates) a cache file.
   *
   * @param path - a SQLite file path or ':memory:'.
   * @param mode - 'read-write' creates tables as needed; 'read-only' opens an existing cache file without writing.
   * @returns the cache.
   * @throws ConfigError when a read-only cache file does not exist or is not an llm-reasoning cache, or the file
   *   cannot be opened as SQLite.
   */
  static open(path: string, mode: Exclude<CacheMode, 'off'>): ResponseCache {
    const memory = path === ':memory:';
    if (mode === 'read-only' && !memory && !existsSync(path)) {
      throw new ConfigError({ parameter: 'cache', value: path, expected: 'an existing response cache file (cacheMode read-only never creates one)' });
    }
    let db: Database.Database;
    try {
      // SQLite cannot open an in-memory database read-only; read-only is then enforced by never writing.
      db = new Database(path, { readonly: mode === 'read-only' && !memory, fileMustExist: mode === 'read-only' && !memory });
      db.pragma('busy_timeout = 5000');
      if (mode === 'read-write') {
        if (!memory) db.pragma('journal_mode = WAL');
        db.exec(SCHEMA_SQL);
      } else if (memory) {
        db.exec(SCHEMA_SQL);
      }
    } catch (error) {
      throw new ConfigError({ parameter: 'cache', value: path, expected: `a SQLite response cache file (${error instanceof Error ? error.message : String(error)})`, cause: error });
    }
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('llm_chat_cache', 'llm_embedding_cache')").all();
    if (tables.length !== 2) {
      db.close();
      throw new ConfigError({ parameter: 'cache', value: path, expected: 'a response cache written by @trading-ml/llm-reasoning (tables llm_chat_cache and llm_embedding_cache)' });
    }
    return new ResponseCache(db, path, mode === 'read-write');
  }

  /**
   * @param key - from `chatCacheKey`.
   * @returns the cached answer, or undefined on a miss.
   * @throws DataError when the stored row is malformed (naming the file and key).
   */
  getChat(key: string): CachedChat | undefined {
    const row: unknown = this.selectChat.get(key);
    if (row === undefined) return undefined;
    const parsed = chatRowSchema.safeParse(row);
    if (!parsed.success) {
      throw new DataError({ location: { file: this.path, column: `llm_chat_cache key ${key}` }, value: row, expected: 'a cached chat row (response text, integer token counts)' });
    }
    return { text: parsed.data.response, promptTokens: parsed.data.prompt_tokens, completionTokens: parsed.data.completion_tokens };
  }

  /**
   * Stores an answer unless the key is already present (the first answer stays, so concurrent runs agree).
   * No-op for a read-only cache.
   *
   * @param key - from `chatCacheKey`.
   * @param record - the answer and its context.
   */
  putChat(key: string, record: ChatCacheRecord): void {
    if (!this.writable) return;
    this.db
      .prepare(
        'INSERT OR IGNORE INTO llm_chat_cache (key, model, as_of, purpose, request, response, prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(key, record.model, record.asOf, record.purpose, record.request, record.text, record.promptTokens, record.completionTokens);
  }

  /**
   * @param key - from `embeddingCacheKey`.
   * @returns the vector, or undefined on a miss.
   * @throws DataError when the stored blob is not a whole number of float64 values.
   */
  getEmbedding(key: string): number[] | undefined {
    const row: unknown = this.selectEmbedding.get(key);
    if (row === undefined) return undefined;
    const parsed = embeddingRowSchema.safeParse(row);
    if (!parsed.success || parsed.data.vector.byteLength % 8 !== 0) {
      throw new DataError({ location: { file: this.path, column: `llm_embedding_cache key ${key}` }, value: row, expected: 'a blob of float64 values' });
    }
    const blob = parsed.data.vector;
    // Copy into an aligned buffer: a Buffer from SQLite may start at any byte offset of a shared pool.
    const values = new Float64Array(blob.byteLength / 8);
    new Uint8Array(values.buffer).set(blob);
    return Array.from(values);
  }

  /**
   * Stores a vector unless the key is present; exact (float64). No-op for a read-only cache.
   *
   * @param key - from `embeddingCacheKey`.
   * @param model - the embedding model.
   * @param text - the text embedded.
   * @param vector - the embedding.
   */
  putEmbedding(key: string, model: string, text: string, vector: readonly number[]): void {
    if (!this.writable) return;
    const blob = Buffer.from(Float64Array.from(vector).buffer);
    this.db.prepare('INSERT OR IGNORE INTO llm_embedding_cache (key, model, text, vector) VALUES (?, ?, ?, ?)').run(key, model, text, blob);
  }

  /** @returns the number of cached chat answers and embeddings. */
  size(): { chat: number; embeddings: number } {
    const chat = z.object({ n: z.number() }).parse(this.db.prepare('SELECT COUNT(*) AS n FROM llm_chat_cache').get()).n;
    const embeddings = z.object({ n: z.number() }).parse(this.db.prepare('SELECT COUNT(*) AS n FROM llm_embedding_cache').get()).n;
    return { chat, embeddings };
  }

  /** Closes the file. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
