import { DataError } from '@trading-ml/core';
import { checkFinite } from './checks.js';

/**
 * Period-over-period simple returns of an equity curve: r_t = E_t / E_{t−1} − 1.
 * @param equity - equity at each bar close, quote currency, length n.
 * @returns n − 1 returns as fractions (0.01 = +1 %); empty when n < 2.
 * @throws DataError when a value is not finite or a denominator E_{t−1} is not > 0.
 * @see J. Y. Campbell, A. W. Lo, A. C. MacKinlay (1997), "The Econometrics of Financial Markets", eq. 1.4.1.
 * @example
 * simpleReturns([100, 110, 99]); // [0.1, −0.1]
 */
export function simpleReturns(equity: readonly number[]): number[] {
  checkFinite(equity, 'equity');
  const out: number[] = new Array<number>(Math.max(0, equity.length - 1));
  for (let t = 1; t < equity.length; t++) {
    const previous = equity[t - 1] as number;
    if (!(previous > 0)) throw new DataError({ location: { column: `equity[${t - 1}]` }, value: previous, expected: 'equity > 0 to compute a return' });
    out[t - 1] = (equity[t] as number) / previous - 1;
  }
  return out;
}
