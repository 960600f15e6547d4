import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_CONFIG } from './layer-config.js';
import { applyFeedback, planMaintenance } from './maintenance.js';
import type { MemoryItem } from './memory-item.js';
import { DAY_MS, importanceAt, recencyScore } from './scoring.js';

const T0 = Date.UTC(2023, 0, 2, 21);
const config = DEFAULT_MEMORY_CONFIG;

function item(overrides: Partial<MemoryItem> = {}): MemoryItem {
  return { id: 'a', symbol: 'TSLA', layer: 'short', kind: 'news', text: 'x', eventTime: T0, recencyAnchor: T0, importance: 50, importanceTime: T0, accessCount: 0, ...overrides };
}

describe('importance feedback', () => {
  it('adds ±5 points to the importance decayed up to the feedback time', () => {
    const original = item();
    // one day later, right: 50·0.92 + 5 = 51
    const right = applyFeedback(original, T0 + DAY_MS, 1, config);
    expect(right.importance).toBeCloseTo(51, 10);
    expect(right.importanceTime).toBe(T0 + DAY_MS);
    expect(right.accessCount).toBe(1);
    // one day later, wrong: 50·0.92 − 5 = 41
    expect(applyFeedback(original, T0 + DAY_MS, -1, config).importance).toBeCloseTo(41, 10);
    expect(applyFeedback(original, T0 + DAY_MS, 0, config)).toBe(original);
    expect(original.importance).toBe(50); // not mutated
    // never below zero
    expect(applyFeedback(item({ importance: 2 }), T0, -1, config).importance).toBe(0);
  });

  it('repeated right calls raise an item to the promotion threshold, wrong calls push it towards clean-up', () => {
    let up = item();
    let down = item();
    for (let day = 1; day <= 3; day++) {
      up = applyFeedback(up, T0 + day * DAY_MS, 1, config);
      down = applyFeedback(down, T0 + day * DAY_MS, -1, config);
    }
    // 50·0.92 + 5 = 51; 51·0.92 + 5 = 51.92; 51.92·0.92 + 5 = 52.7664
    expect(up.importance).toBeCloseTo(52.7664, 10);
    // 50·0.92 − 5 = 41; 41·0.92 − 5 = 32.72; 32.72·0.92 − 5 = 25.1024
    expect(down.importance).toBeCloseTo(25.1024, 10);
  });
});

describe('promotion and clean-up', () => {
  it('promotes short → mid at 60 points, re-anchoring recency and importance at the promotion time', () => {
    const rising = applyFeedback(item({ importance: 58 }), T0, 1, config); // 58 + 5 = 63 ≥ 60
    const plan = planMaintenance([rising, item({ id: 'b' })], T0, config);
    expect(plan.removed).toEqual([]);
    expect(plan.promoted).toHaveLength(1);
    const promoted = plan.promoted[0]!;
    expect(promoted).toMatchObject({ id: 'a', layer: 'mid', importance: 63, importanceTime: T0, recencyAnchor: T0 });
    // ten days later in the mid layer: 63·0.967^10 = 45.0407 points, recency e^(−10/90) = 0.894839
    const later = T0 + 10 * DAY_MS;
    expect(importanceAt(promoted, later, config.layers.mid)).toBeCloseTo(45.0407164692, 8);
    expect(recencyScore(promoted, later, config.layers.mid)).toBeCloseTo(0.8948393168, 9);
  });

  it('promotes mid → long at 80 points and never promotes long or reflection items', () => {
    const plan = planMaintenance(
      [item({ id: 'm', layer: 'mid', importance: 81 }), item({ id: 'l', layer: 'long', importance: 150 }), item({ id: 'r', layer: 'reflection', importance: 150 })],
      T0,
      config,
    );
    expect(plan.promoted.map((entry) => `${entry.id}:${entry.layer}`)).toEqual(['m:long']);
  });

  it('forgets a short item once recency < 0.05 (δ > 3·ln 20 ≈ 8.99 days) and a mid item once importance < 5 points', () => {
    const news = item();
    // e^(−2.99) = 0.0503 ≥ 0.05: kept; e^(−3) = 0.0498 < 0.05: removed (importance 50·0.92⁹ = 23.6 is fine)
    expect(planMaintenance([news], T0 + 8.97 * DAY_MS, config).removed).toEqual([]);
    expect(planMaintenance([news], T0 + 9 * DAY_MS, config).removed).toEqual([{ id: 'a', layer: 'short', reason: 'recency' }]);
    const weekly = item({ id: 'w', layer: 'mid', importance: 60 });
    // 60·0.967^74 = 5.0085 (kept), 60·0.967^75 = 4.8432 < 5 (removed; recency e^(−75/90) = 0.43 is fine)
    expect(planMaintenance([weekly], T0 + 74 * DAY_MS, config).removed).toEqual([]);
    expect(planMaintenance([weekly], T0 + 75 * DAY_MS, config).removed).toEqual([{ id: 'w', layer: 'mid', reason: 'importance' }]);
  });
});
