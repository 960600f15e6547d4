import { describe, expect, it } from 'vitest';
import { readExchangeOrder } from './exchange-calls.js';
import { withExchangeState } from './order-flow.js';
import type { JournalEntry } from './types.js';

const intent: JournalEntry = {
  symbol: 'BTC/USDT', decidedAt: 3_600_000, strategyTarget: 0.5, appliedTarget: 0.5, clientOrderId: 'BTC/USDT-3600000', side: 'buy', quantity: 0.1,
  status: 'pending', reason: null, exchangeOrderId: null, fillPrice: null, fillQuantity: null, fee: null,
};

describe('withExchangeState', () => {
  it('keeps a quote-currency commission as the fee', () => {
    const state = readExchangeOrder({ id: 9, status: 'closed', filled: 0.1, average: 40_000, fees: [{ cost: 4, currency: 'USDT' }] }, 'BTC/USDT', 'binance');
    expect(withExchangeState(intent, state, 0.001)).toMatchObject({ status: 'sent', exchangeOrderId: '9', fillQuantity: 0.1, fillPrice: 40_000, fee: 4 });
  });

  it('nets a base-asset commission out of the quantity at the same quote outlay', () => {
    // bought 0.1 BTC at 40 000 (4 000 USDT spent), commission 0.0001 BTC: the account holds 0.0999 BTC
    const state = readExchangeOrder({ id: '9', status: 'closed', filled: 0.1, average: 40_000, fee: { cost: 0.0001, currency: 'BTC' } }, 'BTC/USDT', 'binance');
    const row = withExchangeState(intent, state, 0.001);
    expect(row.fillQuantity).toBeCloseTo(0.0999, 12);
    expect((row.fillPrice as number) * (row.fillQuantity as number)).toBeCloseTo(4_000, 9);
    expect(row.fee).toBe(0);
  });

  it('estimates the fee at the fee rate when none was reported (order query) or it was paid in BNB', () => {
    const query = readExchangeOrder({ id: '9', status: 'closed', filled: 0.1, average: 40_000 }, 'BTC/USDT', 'binance');
    expect(withExchangeState(intent, query, 0.001).fee).toBeCloseTo(4, 12); // 0.1 · 40 000 · 0.001
    const bnb = readExchangeOrder({ id: '9', status: 'closed', filled: 0.1, average: 40_000, fees: [{ cost: 0.01, currency: 'BNB' }] }, 'BTC/USDT', 'binance');
    expect(withExchangeState(intent, bnb, 0.00075).fee).toBeCloseTo(3, 12);
  });

  it('records no fill for an order that has not filled', () => {
    const open = readExchangeOrder({ id: '9', status: 'open', filled: 0, average: null }, 'BTC/USDT', 'binance');
    expect(withExchangeState(intent, open, 0.001)).toMatchObject({ status: 'sent', fillPrice: null, fillQuantity: null, fee: null });
  });

  it('rejects a response that is not an order', () => {
    expect(() => readExchangeOrder({ status: 'closed' }, 'BTC/USDT', 'binance')).toThrow(/unexpected order response for BTC\/USDT: field id/);
  });
});
