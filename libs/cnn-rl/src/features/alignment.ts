/**
 * Index of the last bar whose closeTime is at or before `time`: the newest bar of a series known at `time`.
 *
 * This is the whole multi-timeframe alignment rule: at a decision time t a 1h series contributes the bar that
 * closed at or before t (at 10:30 the 09:00–10:00 bar), a 1d series the last day that has ended.
 *
 * @param closeTimes - closeTime of each bar, UTC ms, strictly increasing.
 * @param time - the decision time, UTC ms.
 * @returns the index, or −1 when no bar has closed by `time`.
 * @throws never.
 * @see NautilusTrader `docs/concepts/backtesting.md` (a bar is known at its close time).
 * @example
 * const h = 3_600_000;
 * latestClosedIndex([h, 2 * h, 3 * h], 2.5 * h); // 1 — the bar closing at 2h
 * latestClosedIndex([h, 2 * h, 3 * h], 2 * h);   // 1 — a bar is usable at its own close
 */
export function latestClosedIndex(closeTimes: ArrayLike<number>, time: number): number {
  let low = 0;
  let high = closeTimes.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((closeTimes[middle] as number) <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
