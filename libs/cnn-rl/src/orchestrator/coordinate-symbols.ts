import { ConfigError } from '@trading-ml/core';
import { BUY, SELL } from '../labels/perfect-move.js';
import type { TradeAction } from '../labels/perfect-move.js';

/** One symbol's proposed action at a decision time. */
export interface SymbolSignal {
  readonly symbol: string;
  readonly action: TradeAction;
  /** ∈ [0, 1]. */
  readonly confidence: number;
}

/** Options of {@link coordinateSymbols}. */
export interface CoordinationOptions {
  /** Rolling return correlation at or above which two symbols are treated as one market. Default 0.7. */
  readonly highCorrelation?: number;
  /** Confidence multiplier applied to both sides of a disagreement. Default 0.5. */
  readonly disagreementFactor?: number;
}

/**
 * Coordinates symbols through their rolling correlation. When two symbols move together (correlation ≥
 * `highCorrelation`) and their signals point in opposite directions (one BUY, one SELL), at least one of them is
 * probably wrong about the common market move, so both confidences are multiplied by `disagreementFactor`
 * (once per symbol, however many peers it disagrees with). Agreeing signals, a HOLD, or a weakly correlated pair
 * are left unchanged: agreement between two highly correlated assets is one bet, not independent confirmation, so
 * it earns no boost.
 *
 * @param signals - one per symbol.
 * @param correlation - (i, j) → the rolling correlation of symbols i and j, or null while unknown (no change).
 * @param options - see {@link CoordinationOptions}.
 * @returns the signals with adjusted confidences, same order.
 * @throws ConfigError when highCorrelation ∉ (0, 1] or disagreementFactor ∉ [0, 1].
 * @see L. Laloux et al. (1999) "Noise dressing of financial correlation matrices" (crypto majors share one factor).
 * @example
 * coordinateSymbols([{ symbol: 'BTC/USDT', action: BUY, confidence: 0.8 }, { symbol: 'ETH/USDT', action: SELL, confidence: 0.7 }], () => 0.85);
 * // confidences 0.4 and 0.35
 */
export function coordinateSymbols(signals: readonly SymbolSignal[], correlation: (i: number, j: number) => number | null, options: CoordinationOptions = {}): SymbolSignal[] {
  const { highCorrelation = 0.7, disagreementFactor = 0.5 } = options;
  if (!(highCorrelation > 0 && highCorrelation <= 1)) throw new ConfigError({ parameter: 'highCorrelation', value: highCorrelation, expected: 'a correlation in (0, 1]' });
  if (!(disagreementFactor >= 0 && disagreementFactor <= 1)) throw new ConfigError({ parameter: 'disagreementFactor', value: disagreementFactor, expected: 'a multiplier in [0, 1]' });
  const disagrees = signals.map(() => false);
  for (let i = 0; i < signals.length; i++) {
    for (let j = i + 1; j < signals.length; j++) {
      const a = (signals[i] as SymbolSignal).action;
      const b = (signals[j] as SymbolSignal).action;
      const opposite = (a === BUY && b === SELL) || (a === SELL && b === BUY);
      const rho = correlation(i, j);
      if (opposite && rho !== null && rho >= highCorrelation) {
        disagrees[i] = true;
        disagrees[j] = true;
      }
    }
  }
  return signals.map((signal, i) => (disagrees[i] ? { ...signal, confidence: signal.confidence * disagreementFactor } : { ...signal }));
}
