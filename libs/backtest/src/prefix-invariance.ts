import { ConfigError, DataError, describeValue } from '@trading-ml/core';
import type { Bar, Rng } from '@trading-ml/core';

/** Options of {@link checkPrefixInvariance}. */
export interface PrefixInvarianceOptions {
  /** The original bars, in time order (at least cutIndex + 1 of them). */
  readonly bars: readonly Bar[];
  /** Runs the system under test on a bar series; returns one decision per bar, compared with deep equality. */
  readonly decide: (bars: readonly Bar[]) => readonly unknown[];
  /** Decisions at indices 0..cutIndex must not depend on anything after bar cutIndex. */
  readonly cutIndex: number;
  /** Seeded stream for the altered and appended bars. */
  readonly rng: Rng;
  /** Number of synthetic bars appended in the 'appended' variant. Default 10. */
  readonly appendCount?: number;
}

/** The first decision that changed when the future changed. */
export interface PrefixMismatch {
  /** Bar index of the decision (≤ cutIndex). */
  readonly index: number;
  /** closeTime of that bar, UTC ms. */
  readonly time: number;
  /** Decision on the original bars. */
  readonly before: unknown;
  /** Decision on the variant. */
  readonly after: unknown;
  /** 'truncated' | 'altered' | 'appended'. */
  readonly variant: string;
}

/** Outcome of {@link checkPrefixInvariance}. */
export interface PrefixInvarianceResult {
  readonly ok: boolean;
  readonly mismatch?: PrefixMismatch;
}

/** Structural equality of plain data; NaN equals NaN. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && deepEqual((a as Record<string, unknown>)[k], rb[k]));
}

/** A valid OHLC bar (low ≤ open, close ≤ high) with the given times, priced around `reference`. */
function randomBar(rng: Rng, openTime: number, closeTime: number, reference: number, volume: number): Bar {
  const open = reference * Math.exp(rng.normal(0, 0.05));
  const close = open * Math.exp(rng.normal(0, 0.05));
  const high = Math.max(open, close) * (1 + 0.02 * rng.float());
  const low = Math.min(open, close) * (1 - 0.02 * rng.float());
  return { openTime, closeTime, open, high, low, close, volume: volume * (0.5 + rng.float()) };
}

/** Every bar after cutIndex replaced by a random valid bar with the same times. */
function alterAfter(bars: readonly Bar[], cutIndex: number, rng: Rng): Bar[] {
  return bars.map((bar, i) => (i <= cutIndex ? bar : randomBar(rng, bar.openTime, bar.closeTime, bar.close, bar.volume)));
}

/** `count` random valid bars appended, each opening at the previous close with the last bar's duration. */
function appendBars(bars: readonly Bar[], count: number, rng: Rng): Bar[] {
  const out = bars.slice();
  for (let k = 0; k < count; k++) {
    const last = out[out.length - 1] as Bar;
    const duration = last.closeTime - last.openTime;
    out.push(randomBar(rng, last.closeTime, last.closeTime + duration, last.close, last.volume));
  }
  return out;
}

/**
 * The lookahead test: checks that decisions up to `cutIndex` do not change when later bars are removed, altered or
 * appended. A system that peeks at any bar after the one it decides on fails at least one variant (almost surely).
 *
 * Variants, each compared with `decide(bars)` at every index ≤ cutIndex:
 * - 'truncated': bars after cutIndex removed;
 * - 'altered': every bar after cutIndex replaced by a random valid bar (same times, low ≤ open, close ≤ high);
 * - 'appended': `appendCount` random valid bars added after the last bar.
 *
 * @param options - bars, the decide function (one decision per bar), cutIndex (0-based), seeded rng, appendCount.
 * @returns `{ ok: true }`, or `{ ok: false, mismatch }` describing the first changed decision.
 * @throws ConfigError when cutIndex is not an integer in [0, bars.length − 1] or appendCount is not an integer ≥ 1.
 * @see NautilusTrader, `docs/concepts/backtesting.md` (data is known at bar close); M. López de Prado (2018),
 *   "Advances in Financial Machine Learning", ch. 7 (leakage).
 * @example
 * const check = checkPrefixInvariance({ bars, cutIndex: 50, rng: Rng.fromSeed(1),
 *   decide: (bs) => runBacktest({ bars: bs, symbol: 'X', strategy: makeStrategy() }).decisions });
 * // check.ok === true for an honest strategy
 */
export function checkPrefixInvariance(options: PrefixInvarianceOptions): PrefixInvarianceResult {
  const { bars, decide, cutIndex, rng, appendCount = 10 } = options;
  if (!Number.isInteger(cutIndex) || cutIndex < 0 || cutIndex >= bars.length) {
    throw new ConfigError({ parameter: 'cutIndex', value: cutIndex, expected: `an integer in [0, ${bars.length - 1}]` });
  }
  if (!Number.isInteger(appendCount) || appendCount < 1) {
    throw new ConfigError({ parameter: 'appendCount', value: appendCount, expected: 'an integer ≥ 1' });
  }
  const reference = decide(bars);
  const variants: Array<[string, readonly Bar[]]> = [
    ['truncated', bars.slice(0, cutIndex + 1)],
    ['altered', alterAfter(bars, cutIndex, rng.derive('altered'))],
    ['appended', appendBars(bars, appendCount, rng.derive('appended'))],
  ];
  for (const [variant, variantBars] of variants) {
    const decisions = decide(variantBars);
    for (let index = 0; index <= cutIndex; index++) {
      const before = reference[index];
      const after = decisions[index];
      if (!deepEqual(before, after)) {
        return { ok: false, mismatch: { index, time: (bars[index] as Bar).closeTime, before, after, variant } };
      }
    }
  }
  return { ok: true };
}

/**
 * {@link checkPrefixInvariance}, throwing on the first mismatch.
 * @param options - as for {@link checkPrefixInvariance}.
 * @throws DataError code 'LOOKAHEAD' naming the index, time, variant and both decisions; ConfigError on bad options.
 * @see {@link checkPrefixInvariance}
 * @example
 * assertPrefixInvariant({ bars, decide, cutIndex: 100, rng: Rng.fromSeed(7) }); // throws if decide peeks ahead
 */
export function assertPrefixInvariant(options: PrefixInvarianceOptions): void {
  const { mismatch } = checkPrefixInvariance(options);
  if (mismatch === undefined) return;
  throw new DataError({
    code: 'LOOKAHEAD',
    location: { column: `decision ${mismatch.index} (closeTime ${mismatch.time})` },
    value: mismatch.after,
    expected:
      `the decision made on the original bars, ${describeValue(mismatch.before)}, unchanged when the bars after index ` +
      `${options.cutIndex} are ${mismatch.variant}: the decision depends on data from after its bar's close`,
  });
}
