import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, StateError } from '@trading-ml/core';
import type { MemoryItem } from './memory-item.js';
import { PostgresMemoryStore } from './postgres-memory-store.js';
import { memoryStoreContract } from './testing/memory-store-contract.js';
import { startTestPostgres } from '../testing/postgres-server.js';
import type { TestPostgres } from '../testing/postgres-server.js';

const T0 = Date.UTC(2023, 0, 2, 21);
let server: TestPostgres;
let schemas = 0;
/** Each store in its own schema: the contract's stores start empty, like SQLite's ':memory:'. */
const freshSchema = () => `memory_test_${process.pid}_${schemas++}`;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

memoryStoreContract('PostgresMemoryStore (real PostgreSQL)', async () => PostgresMemoryStore.open({ connectionString: server.url, schema: freshSchema() }));

describe('PostgresMemoryStore', () => {
  const item: MemoryItem = { id: 'a', symbol: 'TSLA', layer: 'long', kind: 'summary', text: 'month', eventTime: T0, recencyAnchor: T0, importance: 80, importanceTime: T0, accessCount: 2, embedding: [0.25, -1e-9, 3] };

  it('survives closing and reopening, and two stores on one schema see each other’s days', async () => {
    const schema = freshSchema();
    const store = await PostgresMemoryStore.open({ connectionString: server.url, schema });
    await store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item], removals: [], record: { n: 1, nested: { a: [1, 2] } } });
    await store.close();
    await store.close(); // idempotent
    const reopened = await PostgresMemoryStore.open({ connectionString: server.url, schema });
    const other = await PostgresMemoryStore.open({ connectionString: server.url, schema });
    expect(await reopened.items('TSLA')).toEqual([item]);
    expect(await other.days('TSLA')).toEqual([{ symbol: 'TSLA', phase: 'train', time: T0, record: { n: 1, nested: { a: [1, 2] } } }]);
    // The order rule holds across connections: a second writer cannot commit a day at or before the last one.
    await expect(other.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [], removals: [], record: {} })).rejects.toThrow(/expected a day after the last committed day 2023-01-02T21:00:00.000Z/);
    await Promise.all([reopened.close(), other.close()]);
  });

  it('refuses another schema version, a row that does not match the item schema, and bad options; never shows the password', async () => {
    const schema = freshSchema();
    const store = await PostgresMemoryStore.open({ connectionString: server.url, schema });
    await store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item], removals: [], record: {} });
    const { default: pg } = await import('pg');
    const raw = new pg.Client({ connectionString: server.url });
    await raw.connect();
    await raw.query(`UPDATE "${schema}".memory_items SET layer = 'deep'`);
    await expect(store.items('TSLA')).rejects.toThrow(/Cannot restore memory item a .*field "layer" is "deep"/);
    await store.close();
    await raw.query(`UPDATE "${schema}".memory_meta SET value = '0' WHERE key = 'schemaVersion'`);
    await raw.end();
    const reopening = await PostgresMemoryStore.open({ connectionString: server.url, schema }).catch((e: unknown) => e);
    expect(reopening).toBeInstanceOf(StateError);
    expect((reopening as Error).message).toMatch(/schemaVersion is 0, expected 1/);

    await expect(PostgresMemoryStore.open({ connectionString: 'mysql://x', schema })).rejects.toThrow(ConfigError);
    await expect(PostgresMemoryStore.open({ connectionString: server.url, schema: 'a"; DROP TABLE x; --' })).rejects.toThrow(/Invalid schema/);
    const url = new URL(server.url);
    url.password = 'hunter2-secret';
    url.port = '1'; // nothing listens there
    const unreachable = await PostgresMemoryStore.open({ connectionString: url.toString(), schema }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ConfigError);
    expect((unreachable as Error).message).toMatch(/^Invalid connectionString: got "postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres", expected a reachable PostgreSQL database \(cannot open the memory store at/);
    expect((unreachable as Error).message).not.toContain('hunter2-secret');
  });
});
