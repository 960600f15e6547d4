/**
 * How a BUY / SELL / HOLD answer becomes a target position, and which way an answer points (for feedback).
 */
import type { TradeAction } from '../client/types.js';

/** 'long-flat': SELL means exit to flat. 'long-short': SELL means go short. */
export type PositionMode = 'long-flat' | 'long-short';

/** Target exposure as a signed fraction of equity: 1 long, 0 flat, −1 short. */
export type TargetPosition = -1 | 0 | 1;

/**
 * The target position after an answer.
 * @param action - the LLM's answer.
 * @param previous - the target held so far.
 * @param mode - 'long-flat' or 'long-short'.
 * @returns BUY → 1; SELL → 0 (long-flat) or −1 (long-short); HOLD → `previous`.
 * @throws never.
 * @see FinMem section 4 (actions buy, sell, hold on a single stock).
 * @example
 * targetPosition('SELL', 1, 'long-short'); // −1
 */
export function targetPosition(action: TradeAction, previous: TargetPosition, mode: PositionMode): TargetPosition {
  if (action === 'BUY') return 1;
  if (action === 'SELL') return mode === 'long-short' ? -1 : 0;
  return previous;
}

/**
 * Direction an answer bets on: BUY +1, SELL −1, HOLD 0 (a HOLD makes no call, so it earns no feedback).
 * @example
 * actionDirection('SELL'); // −1
 */
export function actionDirection(action: TradeAction): -1 | 0 | 1 {
  return action === 'BUY' ? 1 : action === 'SELL' ? -1 : 0;
}

/**
 * Realized feedback of a past answer: the sign of direction × realized move (0 for HOLD or a flat move).
 * @param action - the past answer.
 * @param realizedMove - close-to-close return from the decision's close to the close it is judged at (fraction).
 * @returns +1 (the answer was right), −1 (wrong) or 0.
 * @example
 * feedbackSign('BUY', -0.02); // −1
 */
export function feedbackSign(action: TradeAction, realizedMove: number): -1 | 0 | 1 {
  const value = actionDirection(action) * realizedMove;
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}
