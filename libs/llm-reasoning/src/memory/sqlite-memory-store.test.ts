import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { MemoryItem } from './memory-item.js';
import { SqliteMemoryStore } from './sqlite-memory-store.js';
import { memoryStoreContract } from './testing/memory-store-contract.js';

const T0 = Date.UTC(2023, 0, 2, 21);

memoryStoreContract('SqliteMemoryStore', async () => new SqliteMemoryStore(':memory:'));

describe('SqliteMemoryStore files', () => {
  const item: MemoryItem = { id: 'a', symbol: 'TSLA', layer: 'long', kind: 'summary', text: 'month', eventTime: T0, recencyAnchor: T0, importance: 80, importanceTime: T0, accessCount: 2 };

  it('survives closing and reopening the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'finmem-store-')), 'memory.db');
    const store = new SqliteMemoryStore(path);
    await store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item], removals: [], record: { n: 1 } });
    await store.close();
    const reopened = new SqliteMemoryStore(path);
    expect(await reopened.items('TSLA')).toEqual([item]);
    expect((await reopened.days('TSLA'))[0]?.record).toEqual({ n: 1 });
    await reopened.close();
  });

  it('refuses a file of another schema version and a row that does not match the item schema', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'finmem-store-')), 'memory.db');
    await new SqliteMemoryStore(path).close();
    const raw = new Database(path);
    raw.prepare("UPDATE memory_meta SET value = '0' WHERE key = 'schemaVersion'").run();
    raw.close();
    expect(() => new SqliteMemoryStore(path)).toThrow(/schemaVersion is 0, expected 1/);

    const other = join(mkdtempSync(join(tmpdir(), 'finmem-store-')), 'memory.db');
    const store = new SqliteMemoryStore(other);
    await store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item], removals: [], record: {} });
    const tamper = new Database(other);
    tamper.prepare("UPDATE memory_items SET layer = 'deep'").run();
    tamper.close();
    await expect(store.items('TSLA')).rejects.toThrow(/Cannot restore memory item a .*field "layer" is "deep"/);
    await store.close();
  });
});
