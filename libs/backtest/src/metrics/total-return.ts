import { DataError } from '@trading-ml/core';
import { checkFinite, checkLength } from './checks.js';

/**
 * Total return over the whole curve: E_last / E_first − 1.
 * @param equity - equity at each bar close, quote currency, at least one value, first > 0.
 * @returns the fractional gain (0.25 = +25 %); 0 for a single point.
 * @throws DataError when the curve is empty, holds a non-finite value or starts at ≤ 0.
 * @see Campbell, Lo, MacKinlay (1997), "The Econometrics of Financial Markets", §1.4 (multiperiod simple return).
 * @example
 * totalReturn([100, 90, 125]); // 0.25
 */
export function totalReturn(equity: readonly number[]): number {
  checkLength(equity, 1, 'equity');
  checkFinite(equity, 'equity');
  const first = equity[0] as number;
  if (!(first > 0)) throw new DataError({ location: { column: 'equity[0]' }, value: first, expected: 'starting equity > 0' });
  return (equity[equity.length - 1] as number) / first - 1;
}
