import { z } from 'zod';
import { ConfigError, parseState } from '@trading-ml/core';
import type { Snapshottable } from '@trading-ml/core';

/** Plain-data state of a {@link RollingCorrelation}. */
export interface RollingCorrelationState {
  readonly window: number;
  /** Pairs held, oldest first. */
  readonly x: readonly number[];
  readonly y: readonly number[];
}

const stateSchema = z.object({
  window: z.int().min(2),
  x: z.array(z.number()),
  y: z.array(z.number()),
}).refine((s) => s.x.length === s.y.length && s.x.length <= s.window, 'x and y of equal length ≤ window');

/**
 * Pearson correlation of two streams (e.g. BTC's and ETH's bar log returns) over the last `window` pairs, updated one
 * pair per bar close.
 *
 * @see K. Pearson (1895); the sample correlation r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²).
 * @example
 * const rho = new RollingCorrelation(3);
 * rho.push(1, 2); rho.push(2, 4); rho.push(3, 7);
 * rho.value(); // 0.9934
 */
export class RollingCorrelation implements Snapshottable<RollingCorrelationState> {
  readonly window: number;
  private x: number[] = [];
  private y: number[] = [];

  /**
   * @param window - pairs in the window, an integer ≥ 2.
   * @throws ConfigError when window is not an integer ≥ 2.
   */
  constructor(window: number) {
    if (!Number.isInteger(window) || window < 2) throw new ConfigError({ parameter: 'correlationWindow', value: window, expected: 'an integer ≥ 2 (bars)' });
    this.window = window;
  }

  /** Adds one pair (the oldest drops out once the window is full). @throws ConfigError on a non-finite value. */
  push(x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new ConfigError({ parameter: 'RollingCorrelation.push', value: [x, y], expected: 'two finite numbers' });
    this.x.push(x);
    this.y.push(y);
    if (this.x.length > this.window) {
      this.x.shift();
      this.y.shift();
    }
  }

  /** Pairs held. */
  get count(): number {
    return this.x.length;
  }

  /** @returns the correlation over the pairs held, or null until the window is full or when either side is constant. */
  value(): number | null {
    const n = this.x.length;
    if (n < this.window) return null;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += this.x[i] as number;
      my += this.y[i] as number;
    }
    mx /= n;
    my /= n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const dx = (this.x[i] as number) - mx;
      const dy = (this.y[i] as number) - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (!(sxx > 0 && syy > 0)) return null;
    // √sxx·√syy, not √(sxx·syy): the product of two tiny sums underflows to 0. Rounding can overshoot ±1 slightly.
    const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
    return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
  }

  /** @returns the window and the pairs held, as plain data. */
  snapshot(): RollingCorrelationState {
    return { window: this.window, x: this.x.slice(), y: this.y.slice() };
  }

  /** @throws StateError on a malformed state or a different window; nothing changes then. */
  restore(state: RollingCorrelationState): void {
    const s = parseState('RollingCorrelation', stateSchema.refine((v) => v.window === this.window, `window ${this.window}`), state);
    this.x = s.x.slice();
    this.y = s.y.slice();
  }
}
