import { describe, expect, it } from 'vitest';
import { Rng } from '@trading-ml/core';
import { barsFrom, contextFor } from '../testing/context.js';
import { createInventory } from './inventory.js';

describe('createInventory', () => {
  it('has at least 12 non-constant methods, one deliberate cash method, and news only in C/D', () => {
    const a = createInventory({ condition: 'A', volatilityTarget: 0.5, periodsPerYear: 2190 });
    const c = createInventory({ condition: 'C', volatilityTarget: 0.5, periodsPerYear: 2190 });
    expect(a.map((m) => m.name)).not.toContain('newsSentiment');
    expect(c.map((m) => m.name)).toContain('newsSentiment');
    expect(c.length).toBe(a.length + 1);
    expect(new Set(c.map((m) => m.name)).size).toBe(c.length);

    // Drive every method with a random walk and varying model outputs; record the distinct signals of each.
    const rng = Rng.fromSeed(3);
    const closes: number[] = [100];
    for (let i = 1; i < 400; i++) closes.push(closes[i - 1]! * Math.exp(rng.normal(0, 0.02)));
    const bars = barsFrom(closes);
    const seen = c.map(() => new Set<number>());
    bars.forEach((bar, i) => {
      const wave = Math.sin(i / 7);
      const context = contextFor(bar, {
        volatility: 0.01 + 0.01 * Math.abs(wave),
        sgdForecast: 0.03 * wave,
        rlsForecast: -0.02 * wave,
        mediumForecast: 0.04 * Math.cos(i / 11),
        regimePosterior: [(1 - wave) / 4, 0.5, (1 + wave) / 4],
        sentiment: 0.2 * Math.cos(i / 5),
      });
      c.forEach((method, m) => {
        const s = method.signal(context);
        expect(s).toBeGreaterThanOrEqual(-1);
        expect(s).toBeLessThanOrEqual(1);
        seen[m]!.add(s);
      });
    });
    const constant = c.filter((_, m) => seen[m]!.size === 1).map((m) => m.name);
    expect(constant).toEqual(['stayFlat']);
    expect(c.length - constant.length).toBeGreaterThanOrEqual(13);
  });
});
