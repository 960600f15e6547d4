import { describe, expect, it } from 'vitest';
import { barsFrom, signalsOf } from '../testing/context.js';
import { createBollingerMethod } from './bollinger.js';

describe('bollingerBreakout', () => {
  it('enters above the upper band, holds, and exits at the middle band', () => {
    // n = 3, m = 1 (population σ):
    // i=2 closes 1,1,4: mean 2, σ = √((1+1+4)/3) = √2 = 1.414, upper 3.414 < 4 → +1
    // i=3 closes 1,4,4: mean 3, σ = √2, upper 4.414, middle 3; 4 inside, above middle → hold +1
    // i=4 closes 4,4,2: mean 3.333, σ = 0.943, lower 2.39 > 2 → −1 (a close below the lower band)
    // i=5 closes 4,2,3.5: mean 3.167, σ = 0.850; 3.5 above middle while short → exit to 0
    const signals = signalsOf(createBollingerMethod({ period: 3, deviations: 1 }), barsFrom([1, 1, 4, 4, 2, 3.5]));
    expect(signals).toEqual([0, 0, 1, 1, -1, 0]);
  });
});
