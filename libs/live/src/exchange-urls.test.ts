import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { overrideExchangeUrls } from './exchange-urls.js';
import { createLiveExchange } from './live-exchange.js';
import { FakeBinanceServer } from './testing/fake-binance-server.js';
import { hourlyBars } from './testing/bars.js';

/** Every string leaf of a nested url map. */
const leaves = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(leaves) : [];

let server: FakeBinanceServer;
beforeAll(async () => {
  server = await FakeBinanceServer.start({ BTCUSDT: hourlyBars(5) });
});
afterAll(() => server.close());

describe('overrideExchangeUrls', () => {
  it('replaces the origin of every nested http(s) url, keeping its path, and leaves other values alone', () => {
    const exchange = {
      urls: {
        api: { public: 'https://testnet.binance.vision/api/v3', private: 'https://testnet.binance.vision/api/v3/', root: 'https://x.example/', nested: { sapi: 'http://a.example:8443/sapi/v1' }, ws: 'wss://stream.example/ws', rateLimit: 50 },
        www: 'https://www.binance.com',
      },
    };
    overrideExchangeUrls(exchange, 'http://127.0.0.1:40123/');
    expect(exchange.urls.api).toEqual({
      public: 'http://127.0.0.1:40123/api/v3',
      private: 'http://127.0.0.1:40123/api/v3/',
      root: 'http://127.0.0.1:40123',
      nested: { sapi: 'http://127.0.0.1:40123/sapi/v1' },
      ws: 'wss://stream.example/ws',
      rateLimit: 50,
    });
    expect(exchange.urls.www).toBe('https://www.binance.com'); // only the API set is redirected

    const proxied = { urls: { api: { public: 'https://api.binance.com/api/v3' } } };
    overrideExchangeUrls(proxied, 'https://proxy.example.com/binance');
    expect(proxied.urls.api.public).toBe('https://proxy.example.com/binance/api/v3');
  });

  it('points a real ccxt binance (sandbox url set) at the local server, where its public calls then land', async () => {
    const { exchange } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: { BINANCE_API_KEY: 'k-url-1', BINANCE_API_SECRET: 's-url-2' }, timeoutMs: 1000 });
    const before = leaves((exchange as unknown as { urls: { api: unknown } }).urls.api).filter((url) => /^https?:\/\//.test(url));
    overrideExchangeUrls(exchange, server.url);
    const after = leaves((exchange as unknown as { urls: { api: unknown } }).urls.api).filter((url) => /^https?:\/\//.test(url));
    expect(after).toHaveLength(before.length);
    after.forEach((url, i) => expect(url).toBe(`${server.url}${new URL(before[i] as string).pathname.replace(/^\/$/, '')}`));
    const calls = server.seen('GET /api/v3/exchangeInfo').length;
    await exchange.loadMarkets();
    expect(server.seen('GET /api/v3/exchangeInfo').length).toBe(calls + 1);
  });

  it('rejects a base URL that is not http(s) and an object without urls.api, naming the parameter', () => {
    expect(() => overrideExchangeUrls({ urls: { api: {} } }, 'ftp://127.0.0.1')).toThrow(ConfigError);
    expect(() => overrideExchangeUrls({ urls: { api: {} } }, 'not a url')).toThrow(/Invalid baseUrl: got "not a url"/);
    expect(() => overrideExchangeUrls({ urls: {} }, 'http://127.0.0.1:1')).toThrow(/Invalid exchange: got "object", expected a ccxt exchange instance/);
    expect(() => overrideExchangeUrls(null, 'http://127.0.0.1:1')).toThrow(ConfigError);
  });
});
