import { z } from 'zod';
import { ConfigError, parseState } from '@trading-ml/core';
import type { Snapshottable } from '@trading-ml/core';
import { BUY, SELL } from '../labels/perfect-move.js';
import type { TradeAction } from '../labels/perfect-move.js';

/** Options of {@link RiskManager}. */
export interface RiskLimits {
  /** Largest absolute exposure, fraction of equity. Default 1. */
  readonly maxPosition?: number;
  /** Drawdown from the equity peak (positive fraction) at which trading stops and the position is flattened. Default 0.15. */
  readonly maxDrawdown?: number;
  /** Decisions to stay flat after a stop; then trading resumes with the peak reset to the equity at that time. Default 96. */
  readonly cooldownDecisions?: number;
  /** Allow short positions on SELL (else SELL means flat). Default false. */
  readonly allowShort?: boolean;
}

/** Plain-data state of a {@link RiskManager}. */
export interface RiskManagerState {
  readonly peakEquity: number | null;
  readonly cooldownLeft: number;
  readonly stops: number;
}

const stateSchema = z.object({ peakEquity: z.number().positive().nullable(), cooldownLeft: z.int().min(0), stops: z.int().min(0) });

/**
 * Risk limits between a signal and an order: caps the position, and stops trading (flat) when equity falls
 * `maxDrawdown` below its running peak, for `cooldownDecisions` decisions.
 *
 * @see NautilusTrader `docs/concepts/risk.md` (a risk engine between strategy and execution); A. Grossman & Z. Zhou
 *   (1993) "Optimal investment strategies for controlling drawdowns".
 * @example
 * const risk = new RiskManager({ maxPosition: 0.5, maxDrawdown: 0.1 });
 * risk.targetExposure(BUY, 10_000); // 0.5
 * risk.targetExposure(BUY, 8_900);  // 0 — 11 % below the peak: stopped
 */
export class RiskManager implements Snapshottable<RiskManagerState> {
  readonly maxPosition: number;
  readonly maxDrawdown: number;
  readonly cooldownDecisions: number;
  readonly allowShort: boolean;
  private peakEquity: number | null = null;
  private cooldownLeft = 0;
  private stopCount = 0;

  /** @throws ConfigError when a limit is outside its range (named in the message). */
  constructor(limits: RiskLimits = {}) {
    const { maxPosition = 1, maxDrawdown = 0.15, cooldownDecisions = 96, allowShort = false } = limits;
    if (!(maxPosition > 0 && maxPosition <= 10)) throw new ConfigError({ parameter: 'maxPosition', value: maxPosition, expected: 'a fraction of equity in (0, 10]' });
    if (!(maxDrawdown > 0 && maxDrawdown < 1)) throw new ConfigError({ parameter: 'maxDrawdown', value: maxDrawdown, expected: 'a fraction in (0, 1)' });
    if (!Number.isInteger(cooldownDecisions) || cooldownDecisions < 0) throw new ConfigError({ parameter: 'cooldownDecisions', value: cooldownDecisions, expected: 'an integer ≥ 0' });
    this.maxPosition = maxPosition;
    this.maxDrawdown = maxDrawdown;
    this.cooldownDecisions = cooldownDecisions;
    this.allowShort = allowShort;
  }

  /** Number of drawdown stops so far. */
  get stops(): number {
    return this.stopCount;
  }

  /** True while stopped (cooling down). */
  get stopped(): boolean {
    return this.cooldownLeft > 0;
  }

  /**
   * The exposure to hold after a decision, given the equity at this close.
   * @param action - the gated action.
   * @param equity - equity at the decision close, quote currency, > 0.
   * @returns +maxPosition for BUY, −maxPosition (or 0 without shorts) for SELL, null for HOLD (keep the position),
   *   0 while stopped.
   * @throws ConfigError when equity is not a positive number.
   */
  targetExposure(action: TradeAction, equity: number): number | null {
    if (!(equity > 0) || !Number.isFinite(equity)) throw new ConfigError({ parameter: 'equity', value: equity, expected: 'a positive amount (quote currency)' });
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      if (this.cooldownLeft === 0) this.peakEquity = equity; // resume: drawdown measured from here
      return 0;
    }
    this.peakEquity = this.peakEquity === null ? equity : Math.max(this.peakEquity, equity);
    if (equity <= this.peakEquity * (1 - this.maxDrawdown)) {
      this.stopCount++;
      this.cooldownLeft = this.cooldownDecisions;
      if (this.cooldownLeft === 0) this.peakEquity = equity;
      return 0;
    }
    if (action === BUY) return this.maxPosition;
    if (action === SELL) return this.allowShort ? -this.maxPosition : 0;
    return null;
  }

  /** @returns peak equity, cooldown left and stop count as plain data. */
  snapshot(): RiskManagerState {
    return { peakEquity: this.peakEquity, cooldownLeft: this.cooldownLeft, stops: this.stopCount };
  }

  /** @throws StateError on a malformed state; nothing changes then. */
  restore(state: RiskManagerState): void {
    const s = parseState('RiskManager', stateSchema, state);
    this.peakEquity = s.peakEquity;
    this.cooldownLeft = s.cooldownLeft;
    this.stopCount = s.stops;
  }
}
