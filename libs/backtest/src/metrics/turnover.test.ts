import { describe, it, expect } from 'vitest';
import { DataError } from '@trading-ml/core';
import type { Fill } from '../types.js';
import { turnover } from './turnover.js';

const fill = (side: 'buy' | 'sell', quantity: number, price: number): Fill => ({
  order: { clientOrderId: `X-${side}`, symbol: 'X', side, quantity, decidedAt: 0 },
  time: 1,
  price,
  quantity,
  fee: 0,
});

describe('turnover', () => {
  it('is annualised traded notional over mean equity', () => {
    // notional 100·100 + 100·105 = 20 500; mean equity (10 000 + 10 200 + 10 300 + 10 500)/4 = 10 250;
    // 4 daily periods, 365 a year: (20 500/10 250)·365/4 = 182.5
    const curve = { time: [1, 2, 3, 4], equity: [10_000, 10_200, 10_300, 10_500] };
    expect(turnover([fill('buy', 100, 100), fill('sell', 100, 105)], curve, 365)).toBeCloseTo(182.5, 10);
  });

  it('is 0 without fills or without equity samples, and rejects mean equity ≤ 0', () => {
    expect(turnover([], { time: [1], equity: [100] }, 365)).toBe(0);
    expect(turnover([fill('buy', 1, 1)], { time: [], equity: [] }, 365)).toBe(0);
    expect(() => turnover([], { time: [1], equity: [-1] }, 365)).toThrow(DataError);
  });
});
