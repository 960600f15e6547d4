import { DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';

const FIELDS = ['closeTime', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Appends newly downloaded bars to stored history without ever rewriting it.
 *
 * Every existing bar is kept as is. Incoming bars strictly after the last existing openTime are appended.
 * An incoming bar at an openTime that already exists must be identical to the stored one; one that differs means
 * the source disagrees with stored history and is an error, not a silent overwrite. Incoming bars that fall
 * inside an old gap (no stored bar at that time, but before the last stored bar) are not inserted: history is
 * append-only.
 *
 * @param existing - Stored bars, strictly increasing openTime.
 * @param incoming - Downloaded bars, strictly increasing openTime; may overlap the end of `existing`.
 * @returns `bars` = existing followed by `appended` (the incoming bars after the last existing one).
 * @throws DataError 'DATA_INVALID' when an overlapping incoming bar differs from the stored bar (names the openTime,
 *   field and both values); 'DATA_ORDER' / 'DATA_DUPLICATE' when `incoming` is not strictly increasing.
 * @see data/README.md ("Rebuilding"): the stored files are append-only.
 * @example
 * const { bars, appended } = mergeBars(stored, downloaded);
 * appendBarsCsv('data/crypto/BTCUSDT_1h.csv.gz', appended);
 */
export function mergeBars(existing: readonly Bar[], incoming: readonly Bar[]): { bars: Bar[]; appended: Bar[] } {
  const stored = new Map(existing.map((bar) => [bar.openTime, bar]));
  const lastOpen = existing.length > 0 ? (existing[existing.length - 1] as Bar).openTime : -Infinity;
  const appended: Bar[] = [];
  incoming.forEach((bar, index) => {
    const previous = incoming[index - 1];
    if (previous !== undefined && bar.openTime <= previous.openTime) {
      throw new DataError({
        code: bar.openTime === previous.openTime ? 'DATA_DUPLICATE' : 'DATA_ORDER',
        location: { file: 'mergeBars incoming', line: index + 1, column: 'openTime' },
        value: bar.openTime,
        expected: `an openTime after ${previous.openTime}`,
      });
    }
    if (bar.openTime > lastOpen) {
      appended.push(bar);
      return;
    }
    const old = stored.get(bar.openTime);
    if (old === undefined) return;
    for (const field of FIELDS) {
      if (old[field] !== bar[field]) {
        throw new DataError({
          location: { file: 'mergeBars', line: index + 1, column: field },
          value: bar[field],
          expected: `${old[field]}, the stored ${field} of the bar opening ${new Date(bar.openTime).toISOString()} (stored history is never rewritten)`,
        });
      }
    }
  });
  return { bars: [...existing, ...appended], appended };
}
