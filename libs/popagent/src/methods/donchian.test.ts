import { describe, expect, it } from 'vitest';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createDonchianMethod } from './donchian.js';

describe('donchianBreakout', () => {
  it('goes long above the previous n-bar high, short below the previous low, and holds between', () => {
    const closes = [10, 10, 12, 11, 8, 9, 10];
    const highs = [10.5, 11, 12.5, 11.5, 9, 9.5, 10.5];
    const lows = [9.5, 9.8, 11, 10, 7.5, 8.5, 9.5];
    // Channel of the 2 previous bars (the current bar excluded):
    // i=2: prev highs 10.5, 11 → 12 > 11 → +1; i=3: prev highs 11, 12.5 / lows 9.8, 11 → 11 inside → hold +1
    // i=4: prev lows 11, 10 → 8 < 10 → −1; i=5: lows 10, 7.5 / highs 11.5, 9 → 9 inside → hold −1
    // i=6: prev highs 9, 9.5 → 10 > 9.5 → +1
    const signals = signalsOf(createDonchianMethod({ period: 2 }), barsFrom(closes, highs, lows));
    expect(signals).toEqual([0, 0, 1, 1, -1, -1, 1]);
  });
});
