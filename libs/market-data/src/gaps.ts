import { DataError, TIMEFRAME_MS } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import type { Gap } from './types.js';

/**
 * Finds the runs of missing bars in a time-ordered series on a fixed UTC grid (crypto trades 24/7, so every
 * grid slot between the first and last bar should hold a bar). Missing bars are reported, never invented.
 *
 * Not meaningful for daily stock bars (weekends and exchange holidays are not gaps); `loadBars` does not call
 * it for stocks.
 *
 * @param bars - Bars sorted by strictly increasing openTime, each openTime on the `timeframe` grid.
 * @param timeframe - Spacing of the grid.
 * @returns One {@link Gap} per run of missing bars: openTime of the first and last missing bar (UTC ms) and the count.
 * @throws DataError 'DATA_ORDER' when openTimes do not increase; 'DATA_INVALID' when two bars are not a whole number of
 *   timeframes apart.
 * @see NautilusTrader docs/concepts/data.md (bars are aggregated on a fixed time grid).
 * @example
 * const h = 3_600_000;
 * const bar = (t: number) => ({ openTime: t, closeTime: t + h, open: 1, high: 1, low: 1, close: 1, volume: 0 });
 * detectGaps([bar(0), bar(h), bar(4 * h)], '1h'); // [{ from: 2h, to: 3h, missingBars: 2 }]
 */
export function detectGaps(bars: readonly Bar[], timeframe: Timeframe): Gap[] {
  const step = TIMEFRAME_MS[timeframe];
  const gaps: Gap[] = [];
  for (let i = 1; i < bars.length; i++) {
    const previous = (bars[i - 1] as Bar).openTime;
    const current = (bars[i] as Bar).openTime;
    const distance = current - previous;
    if (distance <= 0) {
      throw new DataError({
        code: distance === 0 ? 'DATA_DUPLICATE' : 'DATA_ORDER',
        location: { file: 'detectGaps', line: i + 1, column: 'openTime' },
        value: current,
        expected: `an openTime after ${previous}`,
      });
    }
    if (distance % step !== 0) {
      throw new DataError({
        location: { file: 'detectGaps', line: i + 1, column: 'openTime' },
        value: current,
        expected: `an openTime a whole number of ${timeframe} steps after ${previous}`,
      });
    }
    if (distance > step) {
      gaps.push({ from: previous + step, to: current - step, missingBars: distance / step - 1 });
    }
  }
  return gaps;
}
