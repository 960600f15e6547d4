/**
 * The PostgreSQL {@link MemoryStore}: the same two tables as the SQLite store on a `pg` pool, one `BEGIN … COMMIT`
 * per simulated day. For memory shared by several agents or machines, or kept next to other PostgreSQL data.
 *
 * `pg` is an optional peer dependency: it is imported when a store is opened, so users of the SQLite store never
 * load it.
 */
import { ConfigError, DataError, StateError } from '@trading-ml/core';
import { memoryItemFromRow } from './memory-store.js';
import type { DayCommit, MemoryItemRow, MemoryStore, StoredDay } from './memory-store.js';
import type { MemoryItem } from './memory-item.js';

const SCHEMA_VERSION = '1';

/** The few `pg` shapes used here (so the public types do not depend on @types/pg). */
interface PgResult<Row> {
  readonly rows: Row[];
}
interface PgClient {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PgResult<Row>>;
  release(): void;
}
interface PgPool {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PgResult<Row>>;
  connect(): Promise<PgClient>;
  end(): Promise<void>;
}

/** Options of {@link PostgresMemoryStore.open}. */
export interface PostgresMemoryStoreOptions {
  /** A PostgreSQL URL, `postgres://user:password@host:5432/database`. The password is never put in a message. */
  readonly connectionString: string;
  /** Schema holding the tables (created when missing), default 'public'. Letters, digits and '_' only. */
  readonly schema?: string;
  /** Connections in the pool (default 2: one day is written by one connection at a time). */
  readonly maxConnections?: number;
}

/**
 * Whether a `--memory-db`-style value names a PostgreSQL database rather than a SQLite file.
 * @param value - a path or URL.
 * @returns true for `postgres://…` and `postgresql://…`.
 */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//.test(value);
}
const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A URL with its password masked as `***`, for messages and results files.
 * @param url - e.g. 'postgres://me:secret@db:5432/finmem'.
 * @returns e.g. 'postgres://me:***@db:5432/finmem'; '(unparsable URL)' when it does not parse.
 */
export function redactUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * PostgreSQL-backed memory store, by the contract of {@link MemoryStore} (tested with the same contract suite as
 * the SQLite store, against a real PostgreSQL server). Tables: `memory_meta(key, value)`, `memory_items(symbol, id,
 * layer, kind, text, event_time BIGINT, recency_anchor BIGINT, importance DOUBLE PRECISION, importance_time BIGINT,
 * access_count INT, embedding JSONB, removed_at BIGINT, PRIMARY KEY (symbol, id))`, `memory_days(symbol, time
 * BIGINT, phase, record JSONB, PRIMARY KEY (symbol, time))`; times are UTC ms.
 *
 * @see node-postgres docs, "Transactions" (BEGIN/COMMIT/ROLLBACK on one checked-out client).
 * @example
 * const store = await PostgresMemoryStore.open({ connectionString: process.env.DATABASE_URL! });
 * await store.commitDay({ symbol: 'TSLA', phase: 'train', time, upserts: [item], removals: [], record: {} });
 * await store.close();
 */
export class PostgresMemoryStore implements MemoryStore {
  readonly #pool: PgPool;
  readonly #schema: string;
  /** Where the store is, password masked (for messages). */
  readonly location: string;

  private constructor(pool: PgPool, schema: string, location: string) {
    this.#pool = pool;
    this.#schema = schema;
    this.location = location;
  }

  /**
   * Connects, creates the schema and tables when missing, and checks the schema version.
   * @param options - connection string, schema, pool size.
   * @returns the open store.
   * @throws ConfigError (parameter `connectionString`, password masked) for a malformed URL, a server that cannot
   *   be reached or refuses the login, a bad schema name, or when the `pg` package is not installed; StateError when
   *   the tables hold another schema version.
   */
  static async open(options: PostgresMemoryStoreOptions): Promise<PostgresMemoryStore> {
    const { connectionString, schema = 'public', maxConnections = 2 } = options;
    if (typeof connectionString !== 'string' || !isPostgresUrl(connectionString)) {
      throw new ConfigError({ parameter: 'connectionString', value: typeof connectionString === 'string' ? redactUrlPassword(connectionString) : connectionString, expected: 'a postgres:// or postgresql:// URL' });
    }
    if (!identifier.test(schema)) throw new ConfigError({ parameter: 'schema', value: schema, expected: "a PostgreSQL identifier (letters, digits, '_')" });
    if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new ConfigError({ parameter: 'maxConnections', value: maxConnections, expected: 'an integer ≥ 1' });
    let pg: { default?: { Pool: new (config: object) => PgPool }; Pool?: new (config: object) => PgPool };
    try {
      pg = (await import('pg')) as unknown as typeof pg;
    } catch (error) {
      throw new ConfigError({ parameter: 'connectionString', value: redactUrlPassword(connectionString), expected: "the optional 'pg' package installed (npm install pg) to use PostgreSQL", cause: error });
    }
    const Pool = pg.default?.Pool ?? pg.Pool;
    if (Pool === undefined) throw new ConfigError({ parameter: 'connectionString', value: redactUrlPassword(connectionString), expected: "a 'pg' package exporting Pool" });
    const pool = new Pool({ connectionString, max: maxConnections });
    const location = `${redactUrlPassword(connectionString)} (schema ${schema})`;
    // An idle client's error (e.g. the server restarting) must not crash the process; the next query reports it.
    (pool as unknown as NodeJS.EventEmitter).on('error', () => undefined);
    const store = new PostgresMemoryStore(pool, schema, location);
    try {
      await store.#migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      if (error instanceof StateError) throw error;
      const message = (error instanceof Error ? error.message : String(error)).split(connectionString).join(redactUrlPassword(connectionString));
      throw new ConfigError({ parameter: 'connectionString', value: redactUrlPassword(connectionString), expected: `a reachable PostgreSQL database (cannot open the memory store at ${location}: ${message})`, cause: error });
    }
    return store;
  }

  #table(name: string): string {
    return `"${this.#schema}".${name}`;
  }

  /** Runs `work` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws. */
  async #transaction(work: (client: PgClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async #migrate(): Promise<void> {
    await this.#transaction(async (client) => {
      // One migration at a time, even when several processes open the same database at once.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`trading-ml memory ${this.#schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.#table('memory_meta')} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.#table('memory_items')} (
        symbol TEXT NOT NULL, id TEXT NOT NULL, layer TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
        event_time BIGINT NOT NULL, recency_anchor BIGINT NOT NULL, importance DOUBLE PRECISION NOT NULL,
        importance_time BIGINT NOT NULL, access_count INTEGER NOT NULL, embedding JSONB, removed_at BIGINT,
        PRIMARY KEY (symbol, id))`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.#table('memory_days')} (
        symbol TEXT NOT NULL, time BIGINT NOT NULL, phase TEXT NOT NULL, record JSONB NOT NULL, PRIMARY KEY (symbol, time))`);
      const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${this.#table('memory_meta')} WHERE key = 'schemaVersion'`);
      if (rows.length === 0) await client.query(`INSERT INTO ${this.#table('memory_meta')} (key, value) VALUES ('schemaVersion', $1)`, [SCHEMA_VERSION]);
      else if (rows[0]?.value !== SCHEMA_VERSION) {
        throw new StateError({ what: `memory database ${this.location}`, problem: `schemaVersion is ${rows[0]?.value}, expected ${SCHEMA_VERSION}` });
      }
    });
  }

  async items(symbol: string): Promise<MemoryItem[]> {
    const { rows } = await this.#pool.query<MemoryItemRow>(
      `SELECT * FROM ${this.#table('memory_items')} WHERE symbol = $1 AND removed_at IS NULL ORDER BY event_time, id COLLATE "C"`,
      [symbol],
    );
    return rows.map((row) => memoryItemFromRow(row, this.location)); // JSONB embeddings arrive parsed
  }

  async commitDay(commit: DayCommit): Promise<void> {
    await this.#transaction(async (client) => {
      // Serialise commits of one symbol (two writers would otherwise both pass the order check).
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`trading-ml memory ${this.#schema} ${commit.symbol}`]);
      const { rows } = await client.query<{ time: string | null }>(`SELECT MAX(time) AS time FROM ${this.#table('memory_days')} WHERE symbol = $1`, [commit.symbol]);
      const last = rows[0]?.time ?? null;
      if (last !== null && commit.time <= Number(last)) {
        throw new DataError({
          code: 'DATA_ORDER',
          location: { file: this.location, column: `memory_days(${commit.symbol}).time` },
          value: new Date(commit.time).toISOString(),
          expected: `a day after the last committed day ${new Date(Number(last)).toISOString()}`,
        });
      }
      for (const item of commit.upserts) {
        await client.query(
          `INSERT INTO ${this.#table('memory_items')} (symbol, id, layer, kind, text, event_time, recency_anchor, importance, importance_time, access_count, embedding, removed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)
           ON CONFLICT (symbol, id) DO UPDATE SET layer = EXCLUDED.layer, kind = EXCLUDED.kind, text = EXCLUDED.text,
             event_time = EXCLUDED.event_time, recency_anchor = EXCLUDED.recency_anchor, importance = EXCLUDED.importance,
             importance_time = EXCLUDED.importance_time, access_count = EXCLUDED.access_count, embedding = EXCLUDED.embedding,
             removed_at = NULL`,
          [commit.symbol, item.id, item.layer, item.kind, item.text, item.eventTime, item.recencyAnchor, item.importance, item.importanceTime, item.accessCount, item.embedding === undefined ? null : JSON.stringify(item.embedding)],
        );
      }
      for (const id of commit.removals) {
        await client.query(`UPDATE ${this.#table('memory_items')} SET removed_at = $1 WHERE symbol = $2 AND id = $3`, [commit.time, commit.symbol, id]);
      }
      await client.query(`INSERT INTO ${this.#table('memory_days')} (symbol, time, phase, record) VALUES ($1, $2, $3, $4)`, [
        commit.symbol,
        commit.time,
        commit.phase,
        JSON.stringify(commit.record),
      ]);
    });
  }

  async days(symbol: string): Promise<StoredDay[]> {
    const { rows } = await this.#pool.query<{ symbol: string; time: string; phase: string; record: unknown }>(
      `SELECT symbol, time, phase, record FROM ${this.#table('memory_days')} WHERE symbol = $1 ORDER BY time`,
      [symbol],
    );
    return rows.map((row) => ({ symbol: row.symbol, time: Number(row.time), phase: row.phase, record: row.record }));
  }

  #closing: Promise<void> | undefined;

  async close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    await this.#closing;
  }
}
