/**
 * Redirecting a ccxt exchange: every REST url goes to one base URL, keeping its path, so the same exchange class
 * talks to a local test server (libs/live's fake Binance, `popagent live --exchange-url`) or a self-hosted proxy.
 */
import { ConfigError } from '@trading-ml/core';

/**
 * Points every REST url of a ccxt exchange at one base URL. Each http(s) string in `exchange.urls.api` (nested
 * maps included: Binance keeps `public`, `private`, `sapi`, …) becomes `baseUrl` + its original path, e.g.
 * 'https://testnet.binance.vision/api/v3' → 'http://127.0.0.1:40123/api/v3'; other values are left alone.
 * Call it after `setSandboxMode(true)` (which swaps the url set) so the sandbox paths are the ones kept.
 *
 * @param exchange - a ccxt exchange instance (anything with an object `urls.api`); changed in place.
 * @param baseUrl - http(s) origin, optionally with a path prefix, e.g. 'http://127.0.0.1:40123' or
 *   'https://proxy.example.com/binance'; trailing slashes are ignored.
 * @returns nothing.
 * @throws ConfigError when `baseUrl` is not an http(s) URL, or `exchange` has no `urls.api` object.
 * @see ccxt Manual, "Overriding unified API urls" (`exchange.urls['api']`).
 * @example
 * const { exchange } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet' });
 * overrideExchangeUrls(exchange, 'http://127.0.0.1:40123'); // GET /api/v3/klines now goes to the local server
 */
export function overrideExchangeUrls(exchange: unknown, baseUrl: string): void {
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new ConfigError({ parameter: 'baseUrl', value: baseUrl, expected: "an http(s) base URL such as 'http://127.0.0.1:8080'" });
  }
  const urls = (exchange as { urls?: { api?: unknown } } | null)?.urls;
  if (urls === undefined || urls === null || typeof urls.api !== 'object' || urls.api === null) {
    throw new ConfigError({ parameter: 'exchange', value: typeof exchange, expected: 'a ccxt exchange instance (with an object urls.api)' });
  }
  const base = baseUrl.replace(/\/+$/, '');
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string' && /^https?:\/\//.test(value)) {
      const { pathname } = new URL(value);
      return `${base}${pathname === '/' ? '' : pathname}`;
    }
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]));
    return value;
  };
  urls.api = rewrite(urls.api);
}
