import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { StateError } from '@trading-ml/core';
import type { TradingKernelSnapshot } from '@trading-ml/backtest';
import type { JournalEntry, JournalStatus } from './types.js';

/** Everything the loop persists besides the journal, written in one transaction per step. */
export interface LiveStateWrite {
  /** Kernel snapshot per symbol. */
  readonly kernels: ReadonlyMap<string, TradingKernelSnapshot>;
  /** The strategy's snapshot (plain JSON). */
  readonly strategy: unknown;
  /** Risk stop state (plain JSON). */
  readonly risk: unknown;
  /** New or changed journal rows (upserted by symbol and decidedAt). */
  readonly journal: readonly JournalEntry[];
}

/** What a restart reads back. */
export interface LiveStateRead {
  readonly kernels: Map<string, unknown>;
  /** undefined when nothing was ever committed. */
  readonly strategy: unknown;
  readonly risk: unknown;
}

const STATUSES = ['no-order', 'skipped', 'paper', 'pending', 'sent', 'rejected', 'expired', 'filled', 'unfilled'] as const;
const rowSchema = z.object({
  symbol: z.string(),
  decided_at: z.number(),
  strategy_target: z.number(),
  applied_target: z.number(),
  client_order_id: z.string().nullable(),
  side: z.enum(['buy', 'sell']).nullable(),
  quantity: z.number().nullable(),
  status: z.enum(STATUSES),
  reason: z.string().nullable(),
  exchange_order_id: z.string().nullable(),
  fill_price: z.number().nullable(),
  fill_quantity: z.number().nullable(),
  fee: z.number().nullable(),
});

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kernels (symbol TEXT PRIMARY KEY, snapshot TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS positions (symbol TEXT PRIMARY KEY, quantity REAL NOT NULL, average_price REAL NOT NULL, cash REAL NOT NULL, equity REAL NOT NULL, updated_at INTEGER);
CREATE TABLE IF NOT EXISTS journal (
  symbol TEXT NOT NULL, decided_at INTEGER NOT NULL, strategy_target REAL NOT NULL, applied_target REAL NOT NULL,
  client_order_id TEXT UNIQUE, side TEXT, quantity REAL, status TEXT NOT NULL, reason TEXT, exchange_order_id TEXT,
  fill_price REAL, fill_quantity REAL, fee REAL, PRIMARY KEY (symbol, decided_at));
`;

/**
 * The live loop's state in one SQLite file (better-sqlite3, WAL): kernel snapshots, positions, the strategy's
 * snapshot, the risk state and the decision journal. {@link SqliteStateStore.commit} writes a whole step in ONE
 * transaction, so a crash (even kill -9) leaves either the previous step or the new one, never half of it.
 * Intents are journaled with status 'pending' in that same commit, before any order is sent.
 *
 * @param path - database file (its folder is created), or ':memory:'.
 * @see SQLite, "Atomic Commit In SQLite" (https://www.sqlite.org/atomiccommit.html); better-sqlite3 `transaction()`.
 * @example
 * const store = new SqliteStateStore('state/live.sqlite');
 * store.journal().filter((e) => e.status === 'pending');
 * store.close();
 */
export class SqliteStateStore {
  readonly path: string;
  private readonly db: SqliteDatabase;

  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed step survives power loss too, not just a killed process.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
  }

  /**
   * Writes one step atomically: kernels, positions, strategy and risk state, and the journal rows.
   * @param state - see {@link LiveStateWrite}.
   * @param now - wall-clock time of the commit, UTC ms (recorded on positions).
   */
  commit(state: LiveStateWrite, now: number): void {
    const putMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    const putKernel = this.db.prepare('INSERT INTO kernels (symbol, snapshot) VALUES (?, ?) ON CONFLICT(symbol) DO UPDATE SET snapshot = excluded.snapshot');
    const putPosition = this.db.prepare(
      'INSERT INTO positions (symbol, quantity, average_price, cash, equity, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(symbol) DO UPDATE SET quantity = excluded.quantity, average_price = excluded.average_price, cash = excluded.cash, equity = excluded.equity, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      for (const [symbol, snap] of state.kernels) {
        putKernel.run(symbol, JSON.stringify(snap));
        const equity = snap.equity.length > 0 ? (snap.equity[snap.equity.length - 1] as number) : snap.cash;
        putPosition.run(symbol, snap.positionQuantity, snap.averagePrice, snap.cash, equity, now);
      }
      putMeta.run('strategy', JSON.stringify(state.strategy ?? null));
      putMeta.run('risk', JSON.stringify(state.risk ?? null));
      for (const entry of state.journal) this.upsert(entry);
    })();
  }

  /**
   * Updates journal rows alone (an order's status after the exchange answered), in one transaction.
   * @param entries - rows to upsert by (symbol, decidedAt).
   */
  updateJournal(entries: readonly JournalEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) this.upsert(entry);
    })();
  }

  /**
   * @returns the persisted kernels, strategy and risk state.
   * @throws StateError when a stored value is not valid JSON.
   */
  load(): LiveStateRead {
    const kernels = new Map<string, unknown>();
    for (const row of this.db.prepare('SELECT symbol, snapshot FROM kernels').all() as { symbol: string; snapshot: string }[]) {
      kernels.set(row.symbol, this.parse(`kernel ${row.symbol}`, row.snapshot));
    }
    const meta = (key: string) => {
      const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
      return row === undefined ? undefined : this.parse(key, row.value);
    };
    return { kernels, strategy: meta('strategy'), risk: meta('risk') };
  }

  /**
   * @param filter - optional status and symbol filters.
   * @returns journal rows ordered by decision time, then symbol.
   */
  journal(filter: { status?: readonly JournalStatus[]; symbol?: string } = {}): JournalEntry[] {
    const rows = this.db.prepare('SELECT * FROM journal ORDER BY decided_at, symbol').all();
    return rows
      .map((row) => toEntry(rowSchema.parse(row)))
      .filter((e) => (filter.status === undefined || filter.status.includes(e.status)) && (filter.symbol === undefined || e.symbol === filter.symbol));
  }

  /**
   * @param clientOrderId - the order's client id.
   * @returns its journal row, or null.
   */
  entryByClientOrderId(clientOrderId: string): JournalEntry | null {
    const row = this.db.prepare('SELECT * FROM journal WHERE client_order_id = ?').get(clientOrderId);
    return row === undefined ? null : toEntry(rowSchema.parse(row));
  }

  /** @returns persisted positions per symbol (signed base quantity, average price, cash and equity in quote). */
  positions(): { symbol: string; quantity: number; averagePrice: number; cash: number; equity: number }[] {
    return (this.db.prepare('SELECT symbol, quantity, average_price AS averagePrice, cash, equity FROM positions ORDER BY symbol').all() as {
      symbol: string;
      quantity: number;
      averagePrice: number;
      cash: number;
      equity: number;
    }[]).map((r) => ({ ...r }));
  }

  close(): void {
    this.db.close();
  }

  private upsert(e: JournalEntry): void {
    this.db
      .prepare(
        `INSERT INTO journal (symbol, decided_at, strategy_target, applied_target, client_order_id, side, quantity, status, reason, exchange_order_id, fill_price, fill_quantity, fee)
         VALUES (@symbol, @decidedAt, @strategyTarget, @appliedTarget, @clientOrderId, @side, @quantity, @status, @reason, @exchangeOrderId, @fillPrice, @fillQuantity, @fee)
         ON CONFLICT(symbol, decided_at) DO UPDATE SET strategy_target = excluded.strategy_target, applied_target = excluded.applied_target,
           client_order_id = excluded.client_order_id, side = excluded.side, quantity = excluded.quantity, status = excluded.status, reason = excluded.reason,
           exchange_order_id = excluded.exchange_order_id, fill_price = excluded.fill_price, fill_quantity = excluded.fill_quantity, fee = excluded.fee`,
      )
      .run({ ...e });
  }

  private parse(what: string, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new StateError({ what: `live state ${what} in ${this.path}`, problem: `stored value is not JSON (${String(error)})`, cause: error });
    }
  }
}

function toEntry(r: z.infer<typeof rowSchema>): JournalEntry {
  return {
    symbol: r.symbol,
    decidedAt: r.decided_at,
    strategyTarget: r.strategy_target,
    appliedTarget: r.applied_target,
    clientOrderId: r.client_order_id,
    side: r.side,
    quantity: r.quantity,
    status: r.status,
    reason: r.reason,
    exchangeOrderId: r.exchange_order_id,
    fillPrice: r.fill_price,
    fillQuantity: r.fill_quantity,
    fee: r.fee,
  };
}
