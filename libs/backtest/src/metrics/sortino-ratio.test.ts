import { describe, it, expect } from 'vitest';
import { sortinoRatio } from './sortino-ratio.js';

describe('sortinoRatio', () => {
  it('averages squared shortfalls over ALL periods (Sortino & Price 1994)', () => {
    // r = [0.02, −0.01, 0.03, −0.02], target 0: mean 0.005; shortfalls² 0, 1e-4, 0, 4e-4; /4 = 1.25e-4;
    // DD = 0.0111803399; ratio = 0.005/0.0111803399·√12 = 1.5491933385
    // (averaging over the 2 losing periods only would give DD = 0.0158114 and 1.0954451 instead)
    expect(sortinoRatio([0.02, -0.01, 0.03, -0.02], { periodsPerYear: 12 })).toBeCloseTo(1.5491933385, 9);
  });

  it('measures shortfalls against the target', () => {
    // target 0.01: excess mean −0.005; shortfalls² 0, 4e-4, 0, 9e-4; /4 = 3.25e-4; DD = 0.0180277564;
    // ratio = −0.005/0.0180277564·√12 = −0.9607689228
    expect(sortinoRatio([0.02, -0.01, 0.03, -0.02], { periodsPerYear: 12, target: 0.01 })).toBeCloseTo(-0.9607689228, 9);
  });

  it('is +Infinity with gains and no shortfall, 0 with neither', () => {
    expect(sortinoRatio([0.01, 0.02], { periodsPerYear: 12 })).toBe(Infinity);
    expect(sortinoRatio([0, 0], { periodsPerYear: 12 })).toBe(0);
    expect(sortinoRatio([], { periodsPerYear: 12 })).toBe(0);
  });
});
