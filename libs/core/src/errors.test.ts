import { describe, expect, it } from 'vitest';
import { BudgetExceededError, ConfigError, DataError, ExchangeError, LlmUnavailableError, NotWarmError, TradingMlError } from './errors.js';

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

  it('BudgetExceededError reports what was spent against the limit; LlmUnavailableError keeps its message', () => {
    const e = new BudgetExceededError({ what: 'LLM budget', spent: 1.25, limit: 1, unit: 'USD' });
    expect(e.code).toBe('BUDGET_EXCEEDED');
    expect([e.spent, e.limit, e.unit]).toEqual([1.25, 1, 'USD']);
    expect(e.message).toBe('LLM budget: spent 1.25 USD of the limit 1 USD; the run stopped cleanly');
    const u = new LlmUnavailableError({ message: 'no --llm-base-url and no cached answer' });
    expect(u).toBeInstanceOf(TradingMlError);
    expect(u.code).toBe('LLM_UNAVAILABLE');
    expect(u.message).toBe('no --llm-base-url and no cached answer');
  });
});
