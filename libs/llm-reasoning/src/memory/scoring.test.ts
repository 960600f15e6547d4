import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_CONFIG } from './layer-config.js';
import type { MemoryItem } from './memory-item.js';
import { DAY_MS, compoundScore, importanceAt, recencyScore } from './scoring.js';

const T0 = Date.UTC(2023, 0, 2, 21);
const short = DEFAULT_MEMORY_CONFIG.layers.short;

function item(overrides: Partial<MemoryItem> = {}): MemoryItem {
  return { id: 'a', symbol: 'TSLA', layer: 'short', kind: 'news', text: 'x', eventTime: T0, recencyAnchor: T0, importance: 50, importanceTime: T0, accessCount: 0, ...overrides };
}

describe('memory scores (FinMem eq. 1–3)', () => {
  it('recency is exp(−δ/Q) with δ in days since the anchor', () => {
    expect(recencyScore(item(), T0, short)).toBe(1);
    // Q = 3 (short), δ = 3 days: e^−1 = 0.36787944117
    expect(recencyScore(item(), T0 + 3 * DAY_MS, short)).toBeCloseTo(0.36787944117, 10);
    // Q = 90 (mid), δ = 10 days: e^(−10/90) = 0.89483931681
    expect(recencyScore(item(), T0 + 10 * DAY_MS, DEFAULT_MEMORY_CONFIG.layers.mid)).toBeCloseTo(0.89483931681, 10);
    // Half a day counts as half a day: e^(−0.5/3) = 0.84648172489
    expect(recencyScore(item(), T0 + DAY_MS / 2, short)).toBeCloseTo(0.84648172489, 10);
  });

  it('never scores an item before it was known (δ is clamped at 0)', () => {
    expect(recencyScore(item(), T0 - DAY_MS, short)).toBe(1);
    expect(importanceAt(item(), T0 - DAY_MS, short)).toBe(50);
  });

  it('importance decays by α per day', () => {
    // 50 · 0.92² = 42.32
    expect(importanceAt(item(), T0 + 2 * DAY_MS, short)).toBeCloseTo(42.32, 10);
    // long layer: 80 · 0.988^30 = 55.69 (0.988^30 = 0.69612...)
    expect(importanceAt(item({ importance: 80 }), T0 + 30 * DAY_MS, DEFAULT_MEMORY_CONFIG.layers.long)).toBeCloseTo(80 * 0.988 ** 30, 10);
  });

  it('compound score = recency + min(importance, 100)/100 + relevance', () => {
    // δ = 3 days: e^−1 + 50·0.92³/100 + 0.5 = 0.367879 + 0.389344 + 0.5 = 1.257223
    const score = compoundScore(item(), T0 + 3 * DAY_MS, short, 0.5);
    expect(score.total).toBeCloseTo(1.2572234412, 9);
    expect(score.importance).toBeCloseTo(0.389344, 9);
    // importance above 100 points is capped at 1; relevance is clamped to [0, 1]
    const capped = compoundScore(item({ importance: 180 }), T0, short, 7);
    expect(capped).toEqual({ recency: 1, importance: 1, relevance: 1, total: 3 });
    expect(compoundScore(item(), T0, short, -0.3).relevance).toBe(0);
  });
});
