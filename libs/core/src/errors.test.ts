import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, ExchangeError, NotWarmError, TradingMlError } from './errors.js';

describe('errors', () => {
  it('ConfigError names the parameter, the bad value and what was expected', () => {
    const e = new ConfigError({ parameter: '--population', value: 0, expected: 'an integer ≥ 1' });
    expect(e).toBeInstanceOf(TradingMlError);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toBe('Invalid --population: got 0, expected an integer ≥ 1');
    expect(e.name).toBe('ConfigError');
  });

  it('DataError names file, line and column', () => {
    const e = new DataError({ location: { file: 'BTC.csv', line: 12, column: 'high' }, value: 'abc', expected: 'a finite number' });
    expect(e.message).toBe('BTC.csv, line 12, high: got "abc", expected a finite number');
    expect(e.code).toBe('DATA_INVALID');
  });

  it('ExchangeError and NotWarmError carry their codes', () => {
    expect(new ExchangeError({ exchange: 'binance', retryable: true, message: 'timeout' }).code).toBe('EXCHANGE_RETRYABLE');
    expect(new ExchangeError({ exchange: 'binance', retryable: false, message: 'bad symbol' }).code).toBe('EXCHANGE_FATAL');
    expect(new NotWarmError({ what: 'SMA(20)', needed: 20, seen: 3 }).message).toContain('needs 20');
  });
});
