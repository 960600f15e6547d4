import { clip } from '../math.js';
import type { MethodContext, TradingMethod } from './types.js';

/**
 * Mean reversion: fade the z-score of the close against its `period`-bar simple moving average.
 * z = (close − SMA_n) / σ_n (population standard deviation of the last n closes, this one included);
 * signal = clip(−z / zFull, −1, 1), so a close `zFull` deviations below the mean is fully long.
 * @param options.period - window in bars (default 20); options.zFull - z at full exposure (default 2).
 * @returns a streaming {@link TradingMethod} named 'meanReversion'; 0 until n closes are seen or when σ = 0.
 * @throws never.
 * @see A. W. Lo, A. C. MacKinlay (1990), "When are contrarian profits due to stock market overreaction?", RFS 3(2).
 * @example
 * const m = createMeanReversionMethod({ period: 3, zFull: 2 });
 * // closes 1, 2, 3: mean 2, σ = √(2/3), z = 1/0.8165 = 1.2247, signal = −0.6124
 */
export function createMeanReversionMethod(options: { period?: number; zFull?: number } = {}): TradingMethod {
  const period = options.period ?? 20;
  const zFull = options.zFull ?? 2;
  const window = new Float64Array(period);
  let seen = 0;
  return {
    name: 'meanReversion',
    description: `fade the z-score of the close against its ${period}-bar mean`,
    signal(context: MethodContext): number {
      const close = context.bar.close;
      window[seen % period] = close;
      seen++;
      if (seen < period) return 0;
      let mean = 0;
      for (let i = 0; i < period; i++) mean += window[i]!;
      mean /= period;
      let variance = 0;
      for (let i = 0; i < period; i++) variance += (window[i]! - mean) ** 2;
      const sd = Math.sqrt(variance / period);
      if (!(sd > 0)) return 0;
      return clip(-((close - mean) / sd) / zFull);
    },
  };
}
