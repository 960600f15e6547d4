import { describe, expect, it } from 'vitest';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createMovingAverageCrossoverMethod } from './movingAverageCrossover.js';

describe('maCrossover', () => {
  it('is the sign of SMA_fast − SMA_slow', () => {
    // closes 1, 3, 2, 1, 2, 5; fast 2, slow 3. i=2: SMA2 = (3+2)/2 = 2.5 > SMA3 = 2 → +1; i=3: SMA2 = 1.5 < SMA3 = 2 → −1;
    // i=4: closes 2,1,2 → SMA2 1.5 < SMA3 1.667 → −1; i=5: 1,2,5 → SMA2 3.5 > SMA3 2.667 → +1
    const signals = signalsOf(createMovingAverageCrossoverMethod({ fast: 2, slow: 3 }), barsFrom([1, 3, 2, 1, 2, 5]));
    expect(signals).toEqual([0, 0, 1, -1, -1, 1]);
  });
});
