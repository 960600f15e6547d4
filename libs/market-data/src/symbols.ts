import { ConfigError } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';

/** Quote currencies recognised when a pair is written without a slash ('BTCUSDT'). */
const QUOTES = ['USDT', 'USDC', 'BUSD', 'USD', 'EUR', 'BTC', 'ETH'] as const;

/** Crypto base assets bundled in data/crypto (the ones a bare 'BTC' resolves to '<BASE>/USDT'). */
const BUNDLED_CRYPTO = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'] as const;

/** Stock and ETF tickers bundled in data/stocks; they stay as plain tickers. */
export const KNOWN_STOCK_TICKERS: readonly string[] = ['TSLA', 'NFLX', 'AMZN', 'MSFT', 'COIN', 'SPY', 'QQQ'];

/**
 * Normalises a symbol typed on a command line to the form the loaders use: 'BASE/QUOTE' for crypto (the way
 * ccxt writes it), the plain ticker for stocks.
 *
 * @param input - 'BTC', 'btc', 'BTC/USDT', 'BTCUSDT', 'btc-usdt' or a stock ticker such as 'TSLA'.
 * @returns 'BTC/USDT' for any of the crypto spellings; a known stock ticker unchanged (upper-cased); any other
 *   bare ticker unchanged (treated as a stock).
 * @throws ConfigError when the input is empty or contains characters other than letters, digits, '/', '-', '_', '.'.
 * @see ccxt Manual, "Market structure": unified symbols are written 'BASE/QUOTE'.
 * @example
 * resolveSymbol('BTC');      // 'BTC/USDT'
 * resolveSymbol('ethusdt');  // 'ETH/USDT'
 * resolveSymbol('TSLA');     // 'TSLA'
 */
export function resolveSymbol(input: string): string {
  const raw = input.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9/_.-]*$/.test(raw)) {
    throw new ConfigError({ parameter: 'symbol', value: input, expected: "a ticker such as 'BTC', 'BTC/USDT', 'BTCUSDT' or 'TSLA'" });
  }
  const parts = raw.split(/[/_-]/);
  if (parts.length === 2 && parts[0] && parts[1]) return `${parts[0]}/${parts[1]}`;
  if (parts.length !== 1) {
    throw new ConfigError({ parameter: 'symbol', value: input, expected: "one 'BASE/QUOTE' pair or a single ticker" });
  }
  if (KNOWN_STOCK_TICKERS.includes(raw)) return raw;
  if ((BUNDLED_CRYPTO as readonly string[]).includes(raw)) return `${raw}/USDT`;
  for (const quote of QUOTES) {
    if (raw.length > quote.length && raw.endsWith(quote)) return `${raw.slice(0, -quote.length)}/${quote}`;
  }
  return raw;
}

/** Whether a resolved symbol is a crypto pair ('BASE/QUOTE') rather than a stock ticker. */
export function isCryptoPair(symbol: string): boolean {
  return symbol.includes('/');
}

/**
 * Path of a symbol's bar file inside the data directory, without the optional '.gz' suffix.
 * Crypto: `crypto/BTCUSDT_1h.csv`; stocks: `stocks/TSLA_1d.csv` (stocks exist only as daily bars).
 */
export function barFileStem(symbol: string, timeframe: Timeframe): { folder: 'crypto' | 'stocks'; fileName: string } {
  if (isCryptoPair(symbol)) {
    return { folder: 'crypto', fileName: `${symbol.replace('/', '')}_${timeframe}.csv` };
  }
  if (timeframe !== '1d') {
    throw new ConfigError({ parameter: 'timeframe', value: timeframe, expected: `'1d' for the stock ticker ${symbol} (stocks are daily bars)` });
  }
  return { folder: 'stocks', fileName: `${symbol}_1d.csv` };
}
