import { ConfigError } from '@trading-ml/core';
import { loadCcxt } from './load-ccxt.js';
import type { LiveExchange, LiveMode } from './types.js';

/** Exchanges whose spot sandbox the loop supports. */
export type LiveExchangeId = 'binance' | 'bybit';

/** The sentence `confirmRealTrading` must equal before real orders are allowed. */
export const REAL_TRADING_CONFIRMATION = 'I understand that real orders will be placed';

/** Options of {@link createLiveExchange}. */
export interface CreateLiveExchangeOptions {
  readonly exchangeId: LiveExchangeId;
  /** Default 'paper'. */
  readonly mode?: LiveMode;
  /** Required for mode 'real': exactly {@link REAL_TRADING_CONFIRMATION}. */
  readonly confirmRealTrading?: string;
  /** Where the keys are read from (default process.env): `<ID>_API_KEY` and `<ID>_API_SECRET`, e.g. BINANCE_API_KEY. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /**
   * How long after its timestamp the exchange may accept a signed request, ms (ccxt's `recvWindow`; default ccxt's:
   * 10 000 for Binance, 5 000 for Bybit; at most 60 000). A timed-out order is looked up only after it has passed.
   */
  readonly recvWindowMs?: number;
}

/** A configured exchange and the secrets to scrub from anything logged or thrown. */
export interface LiveExchangeHandle {
  readonly exchange: LiveExchange;
  readonly mode: LiveMode;
  /** The API key and secret (empty in paper mode): pass them to `createLiveLogger({ secrets })`. Never log them. */
  readonly secrets: readonly string[];
}

/**
 * Names of the environment variables holding an exchange's API key and secret.
 * @param exchangeId - 'binance' or 'bybit'.
 * @returns e.g. { key: 'BINANCE_API_KEY', secret: 'BINANCE_API_SECRET' }.
 * @example
 * apiKeyVariables('bybit'); // { key: 'BYBIT_API_KEY', secret: 'BYBIT_API_SECRET' }
 */
export function apiKeyVariables(exchangeId: LiveExchangeId): { key: string; secret: string } {
  const prefix = exchangeId.toUpperCase();
  return { key: `${prefix}_API_KEY`, secret: `${prefix}_API_SECRET` };
}

/**
 * Creates the ccxt client of the live loop for a mode:
 * - 'paper': public endpoints only (bars, markets), no keys; orders are simulated by the loop;
 * - 'testnet': the exchange's sandbox (`setSandboxMode(true)`), keys from the environment;
 * - 'real': the production API, keys from the environment, only with `confirmRealTrading` set to
 *   {@link REAL_TRADING_CONFIRMATION}.
 * Spot markets only; rate limiting on. Keys are taken from `env` and never appear in messages. ccxt itself is
 * imported here, on the first call, so importing this library does not load it.
 *
 * @param options - exchange id, mode, confirmation, environment, timeout.
 * @returns (a promise of) the exchange and the secrets to redact.
 * @throws ConfigError (as a rejection) for an unsupported exchange id or mode, a missing key variable (the message
 *   names the variable, never its value), or mode 'real' without the confirmation.
 * @see ccxt Manual, "Testnets and sandbox environments" (`setSandboxMode`), "API keys setup".
 * @example
 * const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet' });
 */
export async function createLiveExchange(options: CreateLiveExchangeOptions): Promise<LiveExchangeHandle> {
  const { exchangeId, mode = 'paper', env = process.env, timeoutMs = 10_000 } = options;
  if (exchangeId !== 'binance' && exchangeId !== 'bybit') throw new ConfigError({ parameter: 'exchangeId', value: exchangeId, expected: "'binance' or 'bybit'" });
  if (mode !== 'paper' && mode !== 'testnet' && mode !== 'real') throw new ConfigError({ parameter: 'mode', value: mode, expected: "'paper', 'testnet' or 'real'" });
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ConfigError({ parameter: 'timeoutMs', value: timeoutMs, expected: 'a timeout in ms > 0' });
  const { recvWindowMs } = options;
  if (recvWindowMs !== undefined && !(Number.isInteger(recvWindowMs) && recvWindowMs > 0 && recvWindowMs <= 60_000)) {
    throw new ConfigError({ parameter: 'recvWindowMs', value: recvWindowMs, expected: 'an integer number of ms from 1 to 60000' });
  }
  if (mode === 'real' && options.confirmRealTrading !== REAL_TRADING_CONFIRMATION) {
    throw new ConfigError({
      parameter: 'confirmRealTrading',
      value: options.confirmRealTrading ?? null,
      expected: `exactly ${JSON.stringify(REAL_TRADING_CONFIRMATION)} to trade real money (use mode 'paper' or 'testnet' otherwise)`,
    });
  }
  const config: Record<string, unknown> = {
    enableRateLimit: true,
    timeout: timeoutMs,
    // Spot only: no futures/margin endpoints, and no private currency list (testnets do not serve it).
    options: {
      ...(exchangeId === 'binance' ? { defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, newOrderRespType: { market: 'FULL' } } : { defaultType: 'spot', fetchMarkets: { types: ['spot'] } }),
      ...(recvWindowMs !== undefined ? { recvWindow: recvWindowMs } : {}),
    },
  };
  const secrets: string[] = [];
  if (mode !== 'paper') {
    const names = apiKeyVariables(exchangeId);
    const apiKey = env[names.key];
    const secret = env[names.secret];
    for (const [name, value] of [[names.key, apiKey], [names.secret, secret]] as const) {
      if (typeof value !== 'string' || value.trim() === '') {
        throw new ConfigError({ parameter: name, value: value === undefined ? 'unset' : 'empty', expected: `the ${mode} API credential in the environment variable ${name}` });
      }
    }
    config.apiKey = apiKey;
    config.secret = secret;
    secrets.push(apiKey as string, secret as string);
  }
  const ccxt = await loadCcxt();
  const Constructor = (ccxt as unknown as Record<string, new (config: object) => LiveExchange & { setSandboxMode(enable: boolean): void }>)[exchangeId];
  if (typeof Constructor !== 'function') throw new ConfigError({ parameter: 'exchangeId', value: exchangeId, expected: 'an exchange bundled with ccxt' });
  const exchange = new Constructor(config);
  if (mode === 'testnet') exchange.setSandboxMode(true);
  return { exchange, mode, secrets };
}
