import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { barFileStem, resolveSymbol } from './symbols.js';

describe('resolveSymbol', () => {
  it.each([
    ['BTC', 'BTC/USDT'],
    ['btc', 'BTC/USDT'],
    ['BTC/USDT', 'BTC/USDT'],
    ['BTCUSDT', 'BTC/USDT'],
    ['eth-usdt', 'ETH/USDT'],
    ['DOGE', 'DOGE/USDT'],
    ['SOLUSDC', 'SOL/USDC'],
    ['TSLA', 'TSLA'],
    ['spy', 'SPY'],
    ['COIN', 'COIN'],
  ])('%s → %s', (input, expected) => {
    expect(resolveSymbol(input)).toBe(expected);
  });

  it('rejects empty and malformed input with a ConfigError naming the value', () => {
    expect(() => resolveSymbol('')).toThrow(ConfigError);
    expect(() => resolveSymbol('BTC/USDT/X')).toThrow(/BTC\/USDT\/X/);
    expect(() => resolveSymbol('BTC USDT')).toThrow(ConfigError);
  });
});

describe('barFileStem', () => {
  it('maps crypto pairs to crypto/BASEQUOTE_tf.csv and tickers to stocks/T_1d.csv', () => {
    expect(barFileStem('BTC/USDT', '4h')).toEqual({ folder: 'crypto', fileName: 'BTCUSDT_4h.csv' });
    expect(barFileStem('TSLA', '1d')).toEqual({ folder: 'stocks', fileName: 'TSLA_1d.csv' });
  });

  it('refuses intraday timeframes for stocks', () => {
    expect(() => barFileStem('TSLA', '1h')).toThrow(/timeframe.*'1d'/);
  });
});
