/**
 * `--exchange-url` (hidden, for tests): points every API url of a ccxt exchange at another base URL, keeping the
 * paths ('/api/v3', …), so the app's testnet and paper modes can run against libs/live's local exchange server.
 */

/**
 * Rewrites the exchange's `urls.api` (the sandbox set after setSandboxMode) to `baseUrl`.
 * @param exchange - a ccxt exchange instance.
 * @param baseUrl - e.g. 'http://127.0.0.1:40123'.
 * @returns nothing; the exchange is changed in place.
 * @see ccxt Manual, "Overriding unified API urls" (`exchange.urls['api']`).
 * @example
 * pointExchangeAt(binance, 'http://127.0.0.1:40123'); // GET /api/v3/klines now goes to the local server
 */
export function pointExchangeAt(exchange: unknown, baseUrl: string): void {
  const base = baseUrl.replace(/\/+$/, '');
  const urls = (exchange as { urls: { api: unknown } }).urls;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string' && /^https?:\/\//.test(value)) {
      const parsed = new URL(value);
      return `${base}${parsed.pathname === '/' ? '' : parsed.pathname}`;
    }
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  urls.api = rewrite(urls.api);
}
