import { ConfigError, DataError } from '@trading-ml/core';

/** @throws ConfigError unless periodsPerYear is a finite number > 0. */
export function checkPeriodsPerYear(periodsPerYear: number): void {
  if (typeof periodsPerYear !== 'number' || !Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
    throw new ConfigError({ parameter: 'periodsPerYear', value: periodsPerYear, expected: 'a finite number > 0 (e.g. 8760 for hourly 24/7 bars)' });
  }
}

/** @throws DataError naming the first non-finite entry of `values`. */
export function checkFinite(values: readonly number[], name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DataError({ location: { column: `${name}[${i}]` }, value: v, expected: 'a finite number' });
    }
  }
}

/** @throws DataError unless the series has at least `count` entries. */
export function checkLength(values: readonly number[], count: number, name: string): void {
  if (values.length < count) {
    throw new DataError({ code: 'DATA_MISSING', location: { column: name }, value: values.length, expected: `at least ${count} entries` });
  }
}
