import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StateError } from '@trading-ml/core';
import { NextBarOpenFillModel, TradingKernel } from '@trading-ml/backtest';
import { SqliteStateStore } from './sqlite-state-store.js';
import type { JournalEntry } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'live-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (over: Partial<JournalEntry> = {}): JournalEntry => ({
  symbol: 'BTC/USDT', decidedAt: 3_600_000, strategyTarget: 0.5, appliedTarget: 0.5, clientOrderId: 'BTC/USDT-3600000', side: 'buy', quantity: 0.1,
  status: 'pending', reason: null, exchangeOrderId: null, fillPrice: null, fillQuantity: null, fee: null, ...over,
});

function kernelSnapshot() {
  const kernel = new TradingKernel({ symbol: 'BTC/USDT', strategy: { onBar: () => 0.5 }, fillModel: new NextBarOpenFillModel() });
  kernel.step({ openTime: 0, closeTime: 3_600_000, open: 100, high: 101, low: 99, close: 100, volume: 1 });
  return kernel.snapshot();
}

describe('SqliteStateStore', () => {
  it('commits kernels, positions, strategy, risk and journal together and reads them back after reopening', () => {
    const path = join(dir, 'nested', 'state.sqlite'); // the folder is created
    const store = new SqliteStateStore(path);
    const snap = kernelSnapshot();
    store.commit({ kernels: new Map([['BTC/USDT', snap]]), strategy: { weights: [1, 2] }, risk: { halted: null }, journal: [entry()] }, 42);
    store.close();
    const reopened = new SqliteStateStore(path);
    const loaded = reopened.load();
    expect(loaded.kernels.get('BTC/USDT')).toEqual(snap);
    expect(loaded.strategy).toEqual({ weights: [1, 2] });
    expect(loaded.risk).toEqual({ halted: null });
    expect(reopened.journal()).toEqual([entry()]);
    expect(reopened.positions()).toEqual([{ symbol: 'BTC/USDT', quantity: 0, averagePrice: 0, cash: 10_000, equity: 10_000 }]);
    reopened.updateJournal([entry({ status: 'sent', exchangeOrderId: '77' })]);
    expect(reopened.entryByClientOrderId('BTC/USDT-3600000')?.status).toBe('sent');
    expect(reopened.journal({ status: ['pending'] })).toEqual([]);
    reopened.close();
  });

  it('a failing commit writes nothing (one transaction)', () => {
    const store = new SqliteStateStore(join(dir, 'atomic.sqlite'));
    const bad = entry({ decidedAt: 7_200_000, clientOrderId: 'BTC/USDT-3600000' });
    store.commit({ kernels: new Map(), strategy: 1, risk: null, journal: [entry()] }, 1);
    // the second row reuses a client order id: UNIQUE fails after the strategy was written in the same transaction
    expect(() => store.commit({ kernels: new Map([['BTC/USDT', kernelSnapshot()]]), strategy: 2, risk: null, journal: [bad] }, 2)).toThrow(/UNIQUE/);
    expect(store.load().strategy).toBe(1);
    expect(store.load().kernels.size).toBe(0);
    expect(store.journal()).toHaveLength(1);
    store.close();
  });

  it('a corrupt stored value is a StateError naming the file', () => {
    const path = join(dir, 'corrupt.sqlite');
    new SqliteStateStore(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO meta (key, value) VALUES ('strategy', '{oops')").run();
    db.close();
    const store = new SqliteStateStore(path);
    expect(() => store.load()).toThrow(StateError);
    expect(() => store.load()).toThrow(/corrupt.sqlite/);
    store.close();
  });
});
