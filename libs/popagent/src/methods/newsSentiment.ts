import { clip } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * News sentiment (conditions C/D): trade the decayed VADER sentiment of headlines published before this close.
 * signal = clip(s / fullSentiment, −1, 1).
 * @param options.fullSentiment - sentiment at full exposure (default 0.25).
 * @returns a streaming {@link TradingMethod} named 'newsSentiment'; 0 when there is no sentiment.
 * @throws never.
 * @see C. J. Hutto, E. Gilbert (2014), "VADER: A parsimonious rule-based model for sentiment analysis of social
 *   media text", ICWSM; P. C. Tetlock (2007), "Giving content to investor sentiment", J. Finance 62(3).
 * @example
 * const m = createNewsSentimentMethod();
 * // context.sentiment = 0.1 ⇒ 0.4
 */
export function createNewsSentimentMethod(options: { fullSentiment?: number } = {}): TradingMethod {
  const full = options.fullSentiment ?? 0.25;
  return {
    name: 'newsSentiment',
    description: 'decayed VADER sentiment of headlines before this close (half-life 24 h)',
    signal(context: MethodContext): number {
      return context.sentiment === null ? 0 : clip(context.sentiment / full);
    },
  };
}
