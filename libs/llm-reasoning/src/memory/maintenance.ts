/**
 * The daily housekeeping of the layered memory: realized feedback moves importance, items whose importance
 * crosses a layer's threshold move one layer deeper, and items that became too old or too unimportant are
 * forgotten. Pure functions: they return the changed items, the store writes them.
 *
 * @see Yu et al. (2023), arXiv:2311.13743, section 3.2 ("memory events … can be transferred to a deeper layer");
 *   reference implementation `MemoryDB.prepare_jump` / `_clean_up` and `LinearImportanceScoreChange` (+5 points per
 *   access).
 */
import type { MemoryConfig } from './layer-config.js';
import type { MemoryItem, MemoryLayer } from './memory-item.js';
import { importanceAt, recencyScore } from './scoring.js';

/**
 * Applies realized feedback to an item: importance at `asOf` plus `feedback · feedbackPoints` (never below 0),
 * access count plus `feedback`.
 * @param item - a memory cited by a decision whose outcome is now realized.
 * @param asOf - the time the outcome became known, UTC ms (importance decays up to here first).
 * @param feedback - +1 when the decision turned out right, −1 when wrong, 0 when neither (no change).
 * @param config - memory configuration (`feedbackPoints`, the item's layer decay).
 * @returns the updated item (a new object; the input is not modified).
 * @throws never.
 * @see reference implementation `update_access_count_with_feed_back`.
 * @example
 * // 50 points set 1 day ago in the short layer, right decision: 50·0.92 + 5 = 51
 * applyFeedback(item, item.importanceTime + DAY_MS, 1, DEFAULT_MEMORY_CONFIG).importance; // 51
 */
export function applyFeedback(item: MemoryItem, asOf: number, feedback: -1 | 0 | 1, config: MemoryConfig): MemoryItem {
  if (feedback === 0) return item;
  const layer = config.layers[item.layer];
  const importance = Math.max(0, importanceAt(item, asOf, layer) + feedback * config.feedbackPoints);
  return { ...item, importance, importanceTime: asOf, accessCount: item.accessCount + feedback };
}

/** What the daily housekeeping decided. */
export interface MaintenancePlan {
  /** Items that moved one or more layers deeper (already in their new layer, recency re-anchored). */
  readonly promoted: readonly MemoryItem[];
  /** Items to forget, with the reason. */
  readonly removed: readonly { readonly id: string; readonly layer: MemoryLayer; readonly reason: 'recency' | 'importance' }[];
}

/**
 * Promotes and forgets at `asOf`. Promotion first (an item reaching `promoteAt` moves to `promoteTo` with its
 * importance as of `asOf` and its recency anchor reset to `asOf`, as the reference implementation does), then
 * removal of items whose recency or importance is below the thresholds of the layer they are now in.
 * @param items - the live items (one symbol).
 * @param asOf - the maintenance time, UTC ms.
 * @param config - memory configuration.
 * @returns promoted items (new objects) and removals; items not mentioned are unchanged.
 * @throws never.
 * @see reference implementation `MemoryDB.step` (decay then clean-up) and `prepare_jump` / `accept_jump`.
 * @example
 * const plan = planMaintenance(items, asOf, DEFAULT_MEMORY_CONFIG);
 * plan.promoted.map((item) => `${item.id} → ${item.layer}`);
 */
export function planMaintenance(items: readonly MemoryItem[], asOf: number, config: MemoryConfig): MaintenancePlan {
  const promoted: MemoryItem[] = [];
  const removed: { id: string; layer: MemoryLayer; reason: 'recency' | 'importance' }[] = [];
  for (const original of items) {
    let item = original;
    for (let hops = 0; hops < 4; hops++) {
      const layer = config.layers[item.layer];
      if (layer.promoteAt === undefined || layer.promoteTo === undefined) break;
      const importance = importanceAt(item, asOf, layer);
      if (importance < layer.promoteAt) break;
      item = { ...item, layer: layer.promoteTo, importance, importanceTime: asOf, recencyAnchor: asOf };
    }
    if (item !== original) promoted.push(item);
    const layer = config.layers[item.layer];
    if (recencyScore(item, asOf, layer) < layer.removeBelowRecency) removed.push({ id: item.id, layer: item.layer, reason: 'recency' });
    else if (importanceAt(item, asOf, layer) < layer.removeBelowImportance) removed.push({ id: item.id, layer: item.layer, reason: 'importance' });
  }
  const gone = new Set(removed.map((entry) => entry.id));
  return { promoted: promoted.filter((item) => !gone.has(item.id)), removed };
}
