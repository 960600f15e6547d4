import { ConfigError } from '@trading-ml/core';
import type { TradeAction } from '@trading-ml/llm-reasoning';

/** The LLM's view at one consultation: what it answered, and how sure it is. */
export interface LlmView {
  readonly action: TradeAction;
  /** Confidence in [0, 1], as validated by the LLM client. */
  readonly confidence: number;
}

/**
 * The exposure committed in conditions B and D: the population's proposal, moved by the LLM's view toward the
 * end its action points at, by a fraction equal to its confidence:
 *
 *   e = p + c · (target − p),  target = +1 for BUY, 0 (long/flat) or −1 (allowShort) for SELL, p for HOLD.
 *
 * So the LLM can confirm (HOLD, or BUY when p is already 1), raise toward fully long (BUY), reduce toward flat or
 * veto entirely (SELL with confidence 1 ⇒ flat; short only when shorting is allowed). A confidence of 0 leaves the
 * population's exposure unchanged whatever the action, so an unsure model defers to the agents, and the
 * client's fallback (HOLD, confidence 0, after invalid output twice) commits exactly the population's exposure.
 * The result lies between p and the target (a convex combination), so inside [−1, 1] ([0, 1] long-only).
 *
 * @param populationExposure - the population-average target exposure p, fraction of equity in [−1, 1] ([0, 1]
 *   long-only).
 * @param view - the LLM's action and confidence c ∈ [0, 1].
 * @param allowShort - whether SELL may go below flat (target −1) or stops at flat (target 0).
 * @returns the committed target exposure, fraction of equity.
 * @throws ConfigError when p is not finite or outside [−1, 1], or the confidence is outside [0, 1].
 * @see The PopAgent issue (condition B: LLM reasoning over the selected methods; the committed decision stays the
 *   population's unless the LLM confirms, reduces or vetoes it); linear opinion pooling, C. Genest, J. V. Zidek
 *   (1986), "Combining probability distributions", Statistical Science 1(1) (a weighted average of two opinions).
 * @example
 * combineExposure(0.4, { action: 'BUY', confidence: 0.5 }, false); // 0.4 + 0.5·(1 − 0.4) = 0.7
 * combineExposure(0.4, { action: 'SELL', confidence: 0.25 }, false); // 0.4 + 0.25·(0 − 0.4) = 0.3
 * combineExposure(0.4, { action: 'HOLD', confidence: 0.9 }, false); // 0.4
 */
export function combineExposure(populationExposure: number, view: LlmView, allowShort: boolean): number {
  const p = populationExposure;
  if (!Number.isFinite(p) || p < -1 || p > 1) {
    throw new ConfigError({ parameter: 'populationExposure', value: p, expected: 'a fraction of equity in [−1, 1]' });
  }
  const c = view.confidence;
  if (!(c >= 0 && c <= 1)) throw new ConfigError({ parameter: 'confidence', value: c, expected: 'a number in [0, 1]' });
  const target = view.action === 'BUY' ? 1 : view.action === 'SELL' ? (allowShort ? -1 : 0) : p;
  return p + c * (target - p);
}
