import { describe, expect, it } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { parseRunOptions } from './options.js';

describe('parseRunOptions', () => {
  it('fills the defaults and quotes the symbols in USDT', () => {
    const options = parseRunOptions({ mode: 'trade', symbols: 'btc,ETH' });
    expect(options).toMatchObject({ mode: 'trade', symbols: ['BTC/USDT', 'ETH/USDT'], loadModels: true, modelsDir: 'out/mtf/models', outDir: 'out/mtf/trade', seed: 42 });
    expect(parseRunOptions({ mode: 'trade', loadModels: false, start: '2024-10-02', end: '2024-10-03T12:00:00Z' })).toMatchObject({
      loadModels: false,
      start: Date.UTC(2024, 9, 2),
      end: Date.UTC(2024, 9, 3, 12),
    });
  });

  it.each([
    [{ mode: 'test' }, "Invalid --mode: got \"test\", expected 'train' or 'trade'"],
    [{}, "Invalid --mode: got undefined, expected 'train' or 'trade'"],
    [{ mode: 'train', symbols: 'BTC;ETH' }, 'Invalid --symbols: got "BTC;ETH"'],
    [{ mode: 'train', symbols: 'BTC,BTC' }, 'expected each symbol once'],
    [{ mode: 'train', seed: '4.5' }, 'Invalid --seed: got "4.5", expected an integer'],
    [{ mode: 'train', start: '2024-13-01' }, 'Invalid --start: got "2024-13-01"'],
    [{ mode: 'train', start: '2024-10-05', end: '2024-10-01' }, 'expected a time before --end 2024-10-01'],
    [{ mode: 'train', backend: 'gpu' }, "Invalid --backend: got \"gpu\", expected 'tensorflow', 'wasm' or 'cpu'"],
  ])('rejects %j naming the flag, the value and what was expected', (flags, message) => {
    expect(() => parseRunOptions(flags)).toThrow(ConfigError);
    expect(() => parseRunOptions(flags)).toThrow(message);
  });
});
