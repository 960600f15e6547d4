import { z } from 'zod';
import { parseState } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';

/**
 * The bars an engine has seen, as columns of numbers: exactly what the indicator-only parts read (the feature
 * pipeline: closeTime, high, low, close and the reference asset's close; the methods: high, low, close).
 * closeTime is stored as the first time and the differences after it (one short number a bar).
 */
export interface BarHistoryState {
  /** closeTime of the first bar (UTC ms), null when empty. */
  readonly firstCloseTime: number | null;
  /** closeTime[i] − closeTime[i − 1] for i ≥ 1, ms, [n − 1]. */
  readonly closeTimeSteps: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  /** The reference asset's close at the same closeTime, or null when there was none, [n]. */
  readonly referenceClose: Array<number | null>;
}

const price = z.number().positive();
const stateSchema = z
  .object({
    firstCloseTime: z.number().int().nullable(),
    closeTimeSteps: z.array(z.number().int().positive('a positive number of ms (closeTime strictly increasing)')),
    high: z.array(z.number()),
    low: z.array(z.number()),
    close: z.array(price),
    referenceClose: z.array(price.nullable()),
  })
  .refine((s) => s.high.length === s.close.length && s.low.length === s.close.length && s.referenceClose.length === s.close.length, {
    path: ['close'],
    message: 'as many high, low, close and referenceClose values',
  })
  .refine((s) => (s.close.length === 0 ? s.firstCloseTime === null && s.closeTimeSteps.length === 0 : s.firstCloseTime !== null && s.closeTimeSteps.length === s.close.length - 1), {
    path: ['closeTimeSteps'],
    message: 'one step per bar after the first (and firstCloseTime set exactly when there are bars)',
  });

/** Growable columns of the bars seen so far (amortised O(1) push, no per-bar object). */
export class BarHistory {
  private closeTime = new Float64Array(256);
  private high = new Float64Array(256);
  private low = new Float64Array(256);
  private close = new Float64Array(256);
  /** NaN where there was no reference bar. */
  private referenceClose = new Float64Array(256);
  private size = 0;

  /** Number of bars recorded. */
  get length(): number {
    return this.size;
  }

  /** Records one bar (and the reference asset's bar at the same close, or null). */
  push(bar: Bar, reference: Bar | null): void {
    if (this.size === this.close.length) this.grow();
    const i = this.size++;
    this.closeTime[i] = bar.closeTime;
    this.high[i] = bar.high;
    this.low[i] = bar.low;
    this.close[i] = bar.close;
    this.referenceClose[i] = reference === null ? Number.NaN : reference.close;
  }

  /**
   * Bar i as the indicator parts see it (open = close, volume 0: nothing that replays reads them).
   * @param i - index in [0, length).
   */
  bar(i: number): Bar {
    const close = this.close[i]!;
    return { openTime: this.closeTime[i]!, closeTime: this.closeTime[i]!, open: close, high: this.high[i]!, low: this.low[i]!, close, volume: 0 };
  }

  /** The reference bar recorded with bar i, or null. */
  reference(i: number): Bar | null {
    const close = this.referenceClose[i]!;
    if (Number.isNaN(close)) return null;
    return { openTime: this.closeTime[i]!, closeTime: this.closeTime[i]!, open: close, high: close, low: close, close, volume: 0 };
  }

  /** Whether both hold exactly the same bars (as recorded: closeTime, high, low, close, reference close). */
  equals(other: BarHistory): boolean {
    if (other.size !== this.size) return false;
    const same = (a: Float64Array, b: Float64Array) => {
      for (let i = 0; i < this.size; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
      return true;
    };
    return same(this.closeTime, other.closeTime) && same(this.close, other.close) && same(this.high, other.high) && same(this.low, other.low) && same(this.referenceClose, other.referenceClose);
  }

  /** The columns as plain data. */
  snapshot(): BarHistoryState {
    const n = this.size;
    const steps = new Array<number>(Math.max(0, n - 1));
    for (let i = 1; i < n; i++) steps[i - 1] = this.closeTime[i]! - this.closeTime[i - 1]!;
    return {
      firstCloseTime: n === 0 ? null : this.closeTime[0]!,
      closeTimeSteps: steps,
      high: Array.from(this.high.subarray(0, n)),
      low: Array.from(this.low.subarray(0, n)),
      close: Array.from(this.close.subarray(0, n)),
      referenceClose: Array.from(this.referenceClose.subarray(0, n), (value) => (Number.isNaN(value) ? null : value)),
    };
  }

  /**
   * Validates a history snapshot and returns it as a fresh BarHistory.
   * @param state - from {@link BarHistory.snapshot} (possibly through JSON).
   * @param what - the restoring object's name for the error message.
   * @throws StateError naming the field when the columns are malformed or of different lengths.
   */
  static restore(state: BarHistoryState, what = 'BarHistory'): BarHistory {
    const s = parseState(what, stateSchema, state);
    const history = new BarHistory();
    let time = s.firstCloseTime ?? 0;
    for (let i = 0; i < s.close.length; i++) {
      if (i > 0) time += s.closeTimeSteps[i - 1]!;
      const close = s.close[i]!;
      const referenceClose = s.referenceClose[i] ?? null;
      history.push(
        { openTime: time, closeTime: time, open: close, high: s.high[i]!, low: s.low[i]!, close, volume: 0 },
        referenceClose === null ? null : { openTime: time, closeTime: time, open: referenceClose, high: referenceClose, low: referenceClose, close: referenceClose, volume: 0 },
      );
    }
    return history;
  }

  private grow(): void {
    const capacity = this.close.length * 2;
    const grown = (column: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(column);
      return next;
    };
    this.closeTime = grown(this.closeTime);
    this.high = grown(this.high);
    this.low = grown(this.low);
    this.close = grown(this.close);
    this.referenceClose = grown(this.referenceClose);
  }
}
