import { quantile } from 'simple-statistics';
import { ConfigError } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';
import { checkFinite, checkPeriodsPerYear } from './checks.js';
import { sharpeRatio } from './sharpe-ratio.js';

/** Options of {@link bootstrapSharpeInterval}. */
export interface BootstrapSharpeOptions {
  /** Seeded stream for the resampling. */
  readonly rng: Rng;
  /** Return periods per year. */
  readonly periodsPerYear: number;
  /** Number of bootstrap resamples, integer ≥ 1. Default 1000. */
  readonly resamples?: number;
  /** Two-sided coverage in (0, 1). Default 0.95. */
  readonly confidence?: number;
  /** Mean block length (integer in [1, n]). Default ⌈n^(1/3)⌉. */
  readonly blockLength?: number;
  /** Passed through to {@link sharpeRatio}. Default 0. */
  readonly riskFreeRatePerPeriod?: number;
}

/**
 * Percentile confidence interval of the annualised Sharpe ratio by the stationary block bootstrap.
 *
 * Each resample of length n concatenates blocks of consecutive returns (wrapping around the end) whose start is
 * uniform and whose length is geometric with mean `blockLength`, which keeps short-range autocorrelation and
 * volatility clustering that an IID bootstrap would destroy. The interval is the (α/2, 1 − α/2) quantiles of the
 * resampled Sharpe ratios, α = 1 − confidence. Fewer than two returns give [0, 0] (the Sharpe ratio is 0 then).
 *
 * @param returns - per-period simple returns, fractions.
 * @param options - rng, periodsPerYear, resamples, confidence, blockLength, riskFreeRatePerPeriod.
 * @returns [low, high], annualised Sharpe units.
 * @throws ConfigError on bad resamples, confidence, blockLength or periodsPerYear; DataError on a non-finite return.
 * @see D. N. Politis, J. P. Romano (1994), "The stationary bootstrap", JASA 89(428);
 *   P. Hall, J. L. Horowitz, B.-Y. Jing (1995), "On blocking rules for the bootstrap with dependent data"
 *   (block length of order n^(1/3)).
 * @example
 * const [low, high] = bootstrapSharpeInterval(returns, { rng: Rng.fromSeed(1), periodsPerYear: 8760 });
 */
export function bootstrapSharpeInterval(returns: readonly number[], options: BootstrapSharpeOptions): [number, number] {
  const n = returns.length;
  const { rng, periodsPerYear, resamples = 1000, confidence = 0.95, riskFreeRatePerPeriod = 0 } = options;
  const blockLength = options.blockLength ?? Math.max(1, Math.ceil(Math.cbrt(n)));
  checkPeriodsPerYear(periodsPerYear);
  if (!Number.isInteger(resamples) || resamples < 1) throw new ConfigError({ parameter: 'resamples', value: resamples, expected: 'an integer ≥ 1' });
  if (!(confidence > 0 && confidence < 1)) throw new ConfigError({ parameter: 'confidence', value: confidence, expected: 'a fraction in (0, 1)' });
  if (!Number.isInteger(blockLength) || blockLength < 1 || (n >= 1 && blockLength > n)) {
    throw new ConfigError({ parameter: 'blockLength', value: blockLength, expected: `an integer in [1, ${Math.max(1, n)}]` });
  }
  checkFinite(returns, 'returns');
  const sharpeOptions = { periodsPerYear, riskFreeRatePerPeriod };
  if (n < 2) return [0, 0];
  const restart = 1 / blockLength;
  const sample = new Array<number>(n);
  const ratios = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let index = rng.int(0, n - 1);
    sample[0] = returns[index] as number;
    for (let t = 1; t < n; t++) {
      index = rng.float() < restart ? rng.int(0, n - 1) : (index + 1) % n;
      sample[t] = returns[index] as number;
    }
    ratios[b] = sharpeRatio(sample, sharpeOptions);
  }
  const alpha = 1 - confidence;
  return [quantile(ratios, alpha / 2), quantile(ratios, 1 - alpha / 2)];
}
