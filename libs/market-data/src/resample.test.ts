import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, DataError } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { loadBars } from './load-bars.js';
import { resampleBars } from './resample.js';
import { BUNDLED_DATA_DIR, hourBar } from './testing/fixtures.js';

const H = 3_600_000;
const D = 24 * H;

function bar(hour: number, open: number, high: number, low: number, close: number, volume: number): Bar {
  return { openTime: hour * H, closeTime: (hour + 1) * H, open, high, low, close, volume };
}

describe('resampleBars', () => {
  it('hand-worked 1h → 4h: first open, max high, min low, last close, summed volume', () => {
    const hourly = [
      bar(0, 10, 12, 9, 11, 1),
      bar(1, 11, 15, 10, 14, 2),
      bar(2, 14, 14, 7, 8, 3),
      bar(3, 8, 9, 8, 9, 4),
      bar(4, 9, 10, 8.5, 9.5, 5),
      bar(5, 9.5, 11, 9, 10, 6),
      bar(6, 10, 10, 10, 10, 0),
      bar(7, 10, 13, 10, 12, 7),
    ];
    expect(resampleBars(hourly, '1h', '4h')).toEqual([
      { openTime: 0, closeTime: 4 * H, open: 10, high: 15, low: 7, close: 9, volume: 10 },
      { openTime: 4 * H, closeTime: 8 * H, open: 9, high: 13, low: 8.5, close: 12, volume: 18 },
    ]);
  });

  it('a bucket with a missing constituent (outage) is built from the bars present', () => {
    const hourly = [bar(0, 10, 12, 9, 11, 1), bar(2, 11, 13, 10, 12, 1), bar(3, 12, 12, 11, 11.5, 1)];
    expect(resampleBars(hourly, '1h', '4h')).toEqual([{ openTime: 0, closeTime: 4 * H, open: 10, high: 13, low: 9, close: 11.5, volume: 3 }]);
  });

  it('drops the trailing bucket until its time has fully closed', () => {
    const hourly = [0, 1, 2, 3, 4, 5].map((h) => bar(h, 1, 1, 1, 1, 1));
    expect(resampleBars(hourly, '1h', '4h').map((b) => b.openTime)).toEqual([0]);
    // an interior bucket missing its last hour is kept, the trailing one is not
    const withHole = [0, 1, 2, 4, 5, 6].map((h) => bar(h, 1, 1, 1, 1, 1));
    expect(resampleBars(withHole, '1h', '4h').map((b) => b.openTime)).toEqual([0]);
  });

  it('buckets are aligned to UTC (1d at 00:00, 4h at 00/04/08…), not to the first bar', () => {
    // hours 22..51: a leading 4h bucket [20, 24) holding only 22 and 23 is built from what exists (like an outage);
    // the daily bucket [48, 72) has not closed by hour 52 and is dropped.
    const hourly = Array.from({ length: 30 }, (_, i) => hourBar((22 + i) * H, 100 + i));
    expect(resampleBars(hourly, '1h', '4h').map((b) => b.openTime / H)).toEqual([20, 24, 28, 32, 36, 40, 44, 48]);
    expect(resampleBars(hourly, '1h', '1d').map((b) => b.openTime)).toEqual([0, D]);
    expect(resampleBars(hourly, '1h', '1d')[1]).toMatchObject({ open: 102, close: 125, closeTime: 2 * D });
  });

  it('does not mutate its input and rejects bad arguments', () => {
    const hourly = [bar(0, 1, 1, 1, 1, 1)];
    const copy = structuredClone(hourly);
    resampleBars(hourly, '1h', '1h');
    expect(hourly).toEqual(copy);
    expect(() => resampleBars(hourly, '4h', '1h')).toThrow(ConfigError);
    expect(() => resampleBars([bar(1, 1, 1, 1, 1, 1), bar(0, 1, 1, 1, 1, 1)], '1h', '4h')).toThrow(DataError);
    expect(() => resampleBars(hourly, '4h', '1d')).toThrow(/4h bar/);
  });

  it('property: 1h → 1d equals 1h → 4h → 1d (with random outages and a random end)', () => {
    const hourBars = fc
      .array(fc.record({ keep: fc.double({ min: 0, max: 1, noNaN: true }), open: fc.double({ min: 1, max: 100, noNaN: true }), close: fc.double({ min: 1, max: 100, noNaN: true }), up: fc.double({ min: 0, max: 5, noNaN: true }), down: fc.double({ min: 0, max: 0.9, noNaN: true }), volume: fc.double({ min: 0, max: 1e6, noNaN: true }) }), { minLength: 1, maxLength: 24 * 6 })
      .map((specs) =>
        specs.flatMap((s, i) => {
          if (s.keep < 0.1) return [];
          const high = Math.max(s.open, s.close) + s.up;
          const low = Math.min(s.open, s.close) * (1 - s.down);
          return [{ openTime: (5 * 24 + i) * H, closeTime: (5 * 24 + i + 1) * H, open: s.open, high, low, close: s.close, volume: s.volume }];
        }),
      );
    fc.assert(
      fc.property(hourBars, (hourly) => {
        const direct = resampleBars(hourly, '1h', '1d');
        const viaFourHours = resampleBars(resampleBars(hourly, '1h', '4h'), '4h', '1d');
        expect(viaFourHours.map((b) => ({ ...b, volume: 0 }))).toEqual(direct.map((b) => ({ ...b, volume: 0 })));
        viaFourHours.forEach((b, i) => expect(b.volume).toBeCloseTo((direct[i] as Bar).volume, 6));
      }),
    );
  });

  describe('on the bundled BTC/USDT 1h file (data/README spot checks = Binance daily klines)', () => {
    const hourly = loadBars({ dataDir: BUNDLED_DATA_DIR, symbol: 'BTC/USDT', timeframe: '1h' }).bars;
    const daily = resampleBars(hourly, '1h', '1d');
    const day = (y: number, m: number, d: number) => daily.find((b) => b.openTime === Date.UTC(y, m - 1, d));

    it('2022-11-09: close 15,922.81, low 15,588', () => {
      expect(day(2022, 11, 9)?.close).toBe(15922.81);
      expect(day(2022, 11, 9)?.low).toBe(15588);
    });

    it('2024-03-14: high 73,777', () => {
      expect(day(2024, 3, 14)?.high).toBe(73777);
    });

    it('1,310 complete days 2021-06-01..2024-12-31, outage days included', () => {
      expect(daily).toHaveLength(1310);
      expect(day(2021, 8, 13)).toBeDefined();
    });
  });

  it.each([
    ['ETH/USDT', '2022-06-18', { close: 995.13, low: 881.56 }],
    ['SOL/USDT', '2022-11-09', { close: 14.08 }],
    ['XRP/USDT', '2024-12-02', { close: 2.7245 }],
  ])('%s daily bar of %s matches the data/README spot check', (symbol, date, expected) => {
    const daily = resampleBars(loadBars({ dataDir: BUNDLED_DATA_DIR, symbol, timeframe: '1h' }).bars, '1h', '1d');
    expect(daily.find((b) => b.openTime === Date.parse(`${date}T00:00:00Z`))).toMatchObject(expected);
  });
});
