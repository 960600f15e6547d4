import { InsufficientFunds, InvalidOrder, OrderNotFound, RateLimitExceeded, RequestTimeout } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '@trading-ml/core';
import { isRetryableExchangeError, toExchangeError } from './exchange-calls.js';
import { SecretScrubber } from './secrets.js';

describe('ccxt error classification (ccxt loaded lazily)', () => {
  it('retries network trouble (NetworkError subclasses) and core errors flagged retryable, nothing else', async () => {
    // ccxt errorHierarchy.ts: RequestTimeout and RateLimitExceeded (via DDoSProtection) extend NetworkError;
    // InsufficientFunds and OrderNotFound extend ExchangeError.
    expect(await isRetryableExchangeError(new RequestTimeout('binance GET /api/v3/order timed out'))).toBe(true);
    expect(await isRetryableExchangeError(new RateLimitExceeded('binance 429'))).toBe(true);
    expect(await isRetryableExchangeError(new InsufficientFunds('binance Account has insufficient balance'))).toBe(false);
    expect(await isRetryableExchangeError(new OrderNotFound('binance Order does not exist'))).toBe(false);
    expect(await isRetryableExchangeError(new ExchangeError({ exchange: 'binance', retryable: true, message: 'down' }))).toBe(true);
    expect(await isRetryableExchangeError(new Error('plain'))).toBe(false);
  });

  it('maps a ccxt error to a scrubbed core ExchangeError naming the action and the ccxt class', async () => {
    const scrubber = new SecretScrubber(['key-9f8e7d6c']);
    const mapped = await toExchangeError(new InvalidOrder('binance Filter failure: LOT_SIZE key-9f8e7d6c'), 'binance', 'createOrder BTC/USDT', scrubber);
    expect(mapped).toBeInstanceOf(ExchangeError);
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toMatch(/createOrder BTC\/USDT failed \(InvalidOrder\): binance Filter failure: LOT_SIZE/);
    expect(mapped.message).not.toContain('key-9f8e7d6c');
    expect((await toExchangeError(new RequestTimeout('t'), 'binance', 'fetchOHLCV', scrubber)).retryable).toBe(true);
  });
});
