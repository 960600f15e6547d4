import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ExchangeError } from '@trading-ml/core';
import { REAL_TRADING_CONFIRMATION, apiKeyVariables, createLiveExchange } from './live-exchange.js';
import { CLOCK_SKEW_MARGIN_MS, callWithRetry, findOrderByClientId, placeOrderOnce, receiveWindowMs } from './exchange-calls.js';
import { SecretScrubber } from './secrets.js';
import { ERRORS } from './testing/binance-fixtures.js';
import { overrideExchangeUrls } from './exchange-urls.js';
import { FakeBinanceServer } from './testing/fake-binance-server.js';
import { hourlyBars } from './testing/bars.js';

const ENV = { BINANCE_API_KEY: 'test-key-AAAA1111', BINANCE_API_SECRET: 'test-secret-BBBB2222' };
const scrubber = new SecretScrubber([ENV.BINANCE_API_KEY, ENV.BINANCE_API_SECRET]);
const fast = { retries: 2, minDelayMs: 1 };
// Generous against a loaded CI machine: a prompt local answer must never look like a timeout.
const TIMEOUT_MS = 1_500;
const LATE_MS = 2 * TIMEOUT_MS;
/** The exchange accepts a signed request up to this long after its timestamp (ccxt's recvWindow). */
const RECV_WINDOW_MS = 3_000;

let server: FakeBinanceServer;
beforeAll(async () => {
  server = await FakeBinanceServer.start({ BTCUSDT: hourlyBars(5), ETHUSDT: hourlyBars(5, 2_000) });
});
afterAll(() => server.close());

async function testnet() {
  const { exchange } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: ENV, timeoutMs: TIMEOUT_MS, recvWindowMs: RECV_WINDOW_MS });
  overrideExchangeUrls(exchange, server.url);
  return exchange;
}

describe('createLiveExchange', () => {
  it('paper mode needs no keys and talks to public endpoints only', async () => {
    const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', env: {} });
    expect(secrets).toEqual([]);
    expect((exchange as unknown as { apiKey?: string }).apiKey).toBeFalsy();
  });

  it('testnet mode uses the sandbox urls and the keys from the environment', async () => {
    const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: ENV });
    const urls = (exchange as unknown as { urls: { api: Record<string, string> } }).urls.api;
    expect(urls.public).toBe('https://testnet.binance.vision/api/v3');
    expect(secrets).toEqual([ENV.BINANCE_API_KEY, ENV.BINANCE_API_SECRET]);
    expect(apiKeyVariables('bybit')).toEqual({ key: 'BYBIT_API_KEY', secret: 'BYBIT_API_SECRET' });
  });

  it('a missing key names the variable, never a value', async () => {
    await expect(createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: { BINANCE_API_KEY: ENV.BINANCE_API_KEY } })).rejects.toThrow(/BINANCE_API_SECRET/);
    const error = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: { BINANCE_API_SECRET: ENV.BINANCE_API_SECRET } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/BINANCE_API_KEY/);
    expect((error as Error).message).not.toContain(ENV.BINANCE_API_SECRET);
  });

  it('real mode refuses to start without the explicit confirmation', async () => {
    await expect(createLiveExchange({ exchangeId: 'binance', mode: 'real', env: ENV })).rejects.toThrow(ConfigError);
    await expect(createLiveExchange({ exchangeId: 'binance', mode: 'real', env: ENV, confirmRealTrading: 'yes' })).rejects.toThrow(/confirmRealTrading/);
    const { exchange } = await createLiveExchange({ exchangeId: 'binance', mode: 'real', env: ENV, confirmRealTrading: REAL_TRADING_CONFIRMATION });
    expect((exchange as unknown as { urls: { api: Record<string, string> } }).urls.api.public).toBe('https://api.binance.com/api/v3');
  });

  it('bybit testnet is supported through the same sandbox switch', async () => {
    const { exchange } = await createLiveExchange({ exchangeId: 'bybit', mode: 'testnet', env: { BYBIT_API_KEY: 'k-1234', BYBIT_API_SECRET: 's-5678' } });
    expect(JSON.stringify((exchange as unknown as { urls: { api: unknown } }).urls.api)).toContain('testnet');
  });
});

describe('the exchange boundary against the local Binance server', () => {
  it('loads markets with precision and limits from exchangeInfo', async () => {
    const exchange = await testnet();
    await exchange.loadMarkets();
    const market = exchange.market('BTC/USDT') as { limits: { amount: { min: number }; cost: { min: number } } };
    expect(market.limits.amount.min).toBe(0.00001);
    expect(market.limits.cost.min).toBe(5);
    // LOT_SIZE stepSize 0.00001: 0.123456789 truncates to 0.12345
    expect(exchange.amountToPrecision('BTC/USDT', 0.123456789)).toBe('0.12345');
  });

  it('places a market order with the client order id and finds it again by that id', async () => {
    const exchange = await testnet();
    await exchange.loadMarkets();
    const placed = await placeOrderOnce(exchange, { clientOrderId: 'BTC/USDT-1704070800000', symbol: 'BTC/USDT', side: 'buy', quantity: 0.01, decidedAt: 1, referencePrice: 1 }, fast, { scrubber });
    const request = server.seen('POST /api/v3/order').at(-1);
    expect(request?.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'BTC/USDT-1704070800000' });
    expect(request?.headers['x-mbx-apikey']).toBe(ENV.BINANCE_API_KEY);
    const close = hourlyBars(5).at(-1)?.close as number;
    expect(placed).toMatchObject({ status: 'closed', filled: 0.01, average: close });
    expect(placed.feeQuote).toBeCloseTo(0.01 * close * 0.001, 6); // commission 0.1 % in USDT from the FULL response
    const found = await findOrderByClientId(exchange, 'BTC/USDT', 'BTC/USDT-1704070800000', fast, { scrubber });
    expect(found?.exchangeOrderId).toBe(placed.exchangeOrderId);
    expect(server.seen('GET /api/v3/order').at(-1)?.params.origClientOrderId).toBe('BTC/USDT-1704070800000');
    expect(await findOrderByClientId(exchange, 'BTC/USDT', 'BTC/USDT-1', fast, { scrubber })).toBeNull();
  });

  it('retries HTTP 429, 5xx and timeouts a bounded number of times, then succeeds', async () => {
    const exchange = await testnet();
    server.fail('GET /api/v3/exchangeInfo', { status: 429, body: ERRORS.rateLimit }, { status: 503, body: 'Service Unavailable' }, { delayMs: LATE_MS });
    const before = server.seen('GET /api/v3/exchangeInfo').length;
    const retries: number[] = [];
    await callWithRetry('loadMarkets', () => exchange.loadMarkets(true), { retries: 3, minDelayMs: 1 }, { exchange: 'binance', scrubber, onRetry: (r) => retries.push(r.attempt) });
    expect(server.seen('GET /api/v3/exchangeInfo').length - before).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
  });

  it('gives up after the retries with a retryable ExchangeError', async () => {
    const exchange = await testnet();
    server.fail('GET /api/v3/exchangeInfo', ...Array.from({ length: 3 }, () => ({ status: 502, body: 'Bad Gateway' })));
    const before = server.seen('GET /api/v3/exchangeInfo').length;
    const error = await callWithRetry('loadMarkets', () => exchange.loadMarkets(true), { retries: 2, minDelayMs: 1 }, { exchange: 'binance', scrubber }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).retryable).toBe(true);
    expect((error as ExchangeError).message).toMatch(/gave up after 3 attempts/);
    expect(server.seen('GET /api/v3/exchangeInfo').length - before).toBe(3);
  });

  it('does not retry insufficient funds, invalid orders or bad symbols (retryable false)', async () => {
    const exchange = await testnet();
    await exchange.loadMarkets();
    const order = { clientOrderId: 'BTC/USDT-2', symbol: 'BTC/USDT', side: 'buy' as const, quantity: 0.01, decidedAt: 1, referencePrice: 1 };
    for (const [body, kind] of [[ERRORS.insufficientFunds, 'InsufficientFunds'], [ERRORS.invalidOrder, 'InvalidOrder'], [ERRORS.badSymbol, 'BadSymbol']] as const) {
      server.fail('POST /api/v3/order', { status: 400, body });
      const before = server.seen('POST /api/v3/order').length;
      const error = await placeOrderOnce(exchange, order, fast, { scrubber }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExchangeError);
      expect((error as ExchangeError).retryable).toBe(false);
      expect((error as ExchangeError).message).toContain(kind);
      expect(server.seen('POST /api/v3/order').length - before).toBe(1);
    }
    expect(server.ordersPerClientId.get('BTC/USDT-2')).toBeUndefined();
  });

  it('a timed-out order that the exchange did accept is found by its client id, asked for only once the receive window has passed', async () => {
    const exchange = await testnet();
    await exchange.loadMarkets();
    // Accepted after ccxt gave up (TIMEOUT_MS) but within the receive window.
    server.fail('POST /api/v3/order', { delayMs: (TIMEOUT_MS + RECV_WINDOW_MS) / 2 + 250 });
    const posts = server.seen('POST /api/v3/order').length;
    const lookups = server.seen('GET /api/v3/order').length;
    const placed = await placeOrderOnce(exchange, { clientOrderId: 'BTC/USDT-3', symbol: 'BTC/USDT', side: 'buy', quantity: 0.002, decidedAt: 1, referencePrice: 1 }, { retries: 3, minDelayMs: 1 }, { scrubber });
    expect(placed.filled).toBe(0.002);
    expect(server.ordersPerClientId.get('BTC/USDT-3')).toBe(1);
    expect(server.seen('POST /api/v3/order').length - posts).toBe(1);
    const [post] = server.seen('POST /api/v3/order').slice(posts);
    const [lookup] = server.seen('GET /api/v3/order').slice(lookups);
    expect(receiveWindowMs(exchange)).toBe(RECV_WINDOW_MS);
    // Counted from when the attempt timed out, which is after the request was signed and arrived.
    expect((lookup?.at ?? 0) - (post?.at ?? 0)).toBeGreaterThanOrEqual(TIMEOUT_MS + RECV_WINDOW_MS + CLOCK_SKEW_MARGIN_MS - 50);
  });

  it('an order the exchange refused for arriving after its receive window is not found, then placed exactly once', async () => {
    const exchange = await testnet();
    await exchange.loadMarkets();
    server.fail('POST /api/v3/order', { delayMs: RECV_WINDOW_MS + 1_500 }); // processed too late: refused (-1021), unplaced
    const posts = server.seen('POST /api/v3/order').length;
    const placed = await placeOrderOnce(exchange, { clientOrderId: 'BTC/USDT-4', symbol: 'BTC/USDT', side: 'buy', quantity: 0.003, decidedAt: 1, referencePrice: 1 }, { retries: 3, minDelayMs: 1 }, { scrubber });
    expect(placed.filled).toBe(0.003);
    expect(server.seen('POST /api/v3/order').length - posts).toBe(2);
    expect(server.ordersPerClientId.get('BTC/USDT-4')).toBe(1);
  });

  it('recvWindowMs is validated and reaches ccxt', async () => {
    await expect(createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: ENV, recvWindowMs: 90_000 })).rejects.toThrow(/Invalid recvWindowMs: got 90000, expected an integer number of ms from 1 to 60000/);
    const { exchange } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: ENV });
    expect(receiveWindowMs(exchange)).toBe(10_000); // ccxt's Binance default
    const bybit = await createLiveExchange({ exchangeId: 'bybit', mode: 'testnet', env: { BYBIT_API_KEY: 'k-1', BYBIT_API_SECRET: 's-2' }, recvWindowMs: 7_000 });
    expect(receiveWindowMs(bybit.exchange)).toBe(7_000);
  });
});
