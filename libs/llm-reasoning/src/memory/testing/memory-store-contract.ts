/**
 * The contract every {@link MemoryStore} implementation must meet, run against SqliteMemoryStore and against
 * PostgresMemoryStore on a real PostgreSQL server. Test support: not exported from the package.
 */
import { describe, expect, it } from 'vitest';
import type { MemoryItem } from '../memory-item.js';
import type { MemoryStore } from '../memory-store.js';

const T0 = Date.UTC(2023, 0, 2, 21);
const DAY = 86_400_000;

function item(id: string, overrides: Partial<MemoryItem> = {}): MemoryItem {
  return { id, symbol: 'TSLA', layer: 'short', kind: 'news', text: `text ${id}`, eventTime: T0, recencyAnchor: T0, importance: 50, importanceTime: T0, accessCount: 0, ...overrides };
}

/**
 * Registers the contract tests.
 * @param name - implementation name for the describe block.
 * @param open - opens a fresh, empty store.
 */
export function memoryStoreContract(name: string, open: () => Promise<MemoryStore>): void {
  describe(`MemoryStore contract: ${name}`, () => {
    it('applies days in order: upserts replace by id, removals hide, records come back oldest first', async () => {
      const store = await open();
      await store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item('a'), item('b', { embedding: [0.5, -1] })], removals: [], record: { n: 1 } });
      await store.commitDay({
        symbol: 'TSLA',
        phase: 'train',
        time: T0 + DAY,
        upserts: [item('a', { layer: 'mid', importance: 63, importanceTime: T0 + DAY }), item('c', { eventTime: T0 + DAY })],
        removals: ['b'],
        record: { n: 2 },
      });
      expect((await store.items('TSLA')).map((entry) => `${entry.id}:${entry.layer}:${entry.importance}`)).toEqual(['a:mid:63', 'c:short:50']);
      expect(await store.items('NFLX')).toEqual([]);
      expect((await store.days('TSLA')).map((day) => [day.phase, day.time, day.record])).toEqual([
        ['train', T0, { n: 1 }],
        ['train', T0 + DAY, { n: 2 }],
      ]);
      await store.close();
    });

    it('keeps embeddings and rejects a day that is not after the last one, writing nothing', async () => {
      const store = await open();
      await store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item('b', { embedding: [0.5, -1] })], removals: [], record: {} });
      expect((await store.items('TSLA'))[0]?.embedding).toEqual([0.5, -1]);
      await expect(store.commitDay({ symbol: 'TSLA', phase: 'test', time: T0, upserts: [item('x')], removals: [], record: {} })).rejects.toThrow(
        /a day after the last committed day 2023-01-02T21:00:00.000Z/,
      );
      expect((await store.items('TSLA')).map((entry) => entry.id)).toEqual(['b']);
      // another symbol has its own day sequence
      await store.commitDay({ symbol: 'NFLX', phase: 'train', time: T0, upserts: [], removals: [], record: {} });
      await store.close();
    });

    it('rolls the whole day back when any part of it fails', async () => {
      const store = await open();
      // the record cannot be serialised, which fails after the item upserts inside the transaction
      await expect(store.commitDay({ symbol: 'TSLA', phase: 'train', time: T0, upserts: [item('a')], removals: [], record: { big: 1n } })).rejects.toThrow();
      expect(await store.items('TSLA')).toEqual([]);
      expect(await store.days('TSLA')).toEqual([]);
      await store.close();
    });
  });
}
