import { describe, it, expect } from 'vitest';
import { buyAndHold } from './buy-and-hold.js';
import { NextBarOpenFillModel } from './fill-model.js';
import { barsFrom, HOUR } from './testing/bars.js';

// bar0 [100 → 100], bar1 [102 → 104], bar2 [105 → 103], bar3 [103 → 106]
const bars = barsFrom([
  [100, 100],
  [102, 104],
  [105, 103],
  [103, 106],
]);

describe('buyAndHold', () => {
  it('buys once at the second bar open with fee and slippage, then holds', () => {
    const result = buyAndHold({ bars, symbol: 'X', initialCash: 10_000 });
    // decide at close 100: 10 000/100 = 100 units; fill at 102·1.0005 = 102.051, fee 10.2051
    const cash = 10_000 - 100 * 102.051 - 10.2051; // −215.3051
    expect(result.fills).toHaveLength(1);
    expect(result.fills[0]?.time).toBe(HOUR);
    expect(result.fills[0]?.price).toBeCloseTo(102.051, 10);
    expect(result.fills[0]?.quantity).toBe(100);
    expect(result.equityCurve.equity[0]).toBe(10_000);
    expect(result.equityCurve.equity[1]).toBeCloseTo(cash + 100 * 104, 8);
    expect(result.equityCurve.equity[3]).toBeCloseTo(cash + 100 * 106, 8); // 10 384.6949
    expect(result.decisions[0]?.targetExposure).toBe(1);
    // held exposure at close 104: 100·104 / (cash + 100·104)
    expect(result.decisions[1]?.targetExposure).toBeCloseTo(10_400 / (cash + 10_400), 12);
  });

  it('uses the fill model it is given', () => {
    const free = buyAndHold({ bars, symbol: 'X', fillModel: new NextBarOpenFillModel({ feeRate: 0, slippageRate: 0 }) });
    // 100 units bought at exactly 102: final equity 10 000 − 10 200 + 10 600 = 10 400
    expect(free.equityCurve.equity[3]).toBeCloseTo(10_400, 8);
  });
});
