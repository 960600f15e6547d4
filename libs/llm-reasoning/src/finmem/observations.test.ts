import { describe, expect, it } from 'vitest';
import { dayLabel, observeDay } from './observations.js';
import { weekdayBars } from './testing/scripted-reasoner.js';

describe('observeDay', () => {
  // Thu 2023-01-26 … Thu 2023-02-02: the Monday closes a week, the Wednesday closes January
  const bars = weekdayBars('2023-01-26', [100, 102, 99, 101, 103, 105]);

  it('writes the daily move to the short layer', () => {
    const [price] = observeDay('TSLA', bars.slice(0, 2), []);
    expect(price).toEqual({
      id: '2023-01-27/price',
      layer: 'short',
      kind: 'price',
      // 102/100 − 1 = +2.00 %; high 102·1.01 = 103.02, low 100·0.99 = 99
      text: 'TSLA closed at 102.00 on 2023-01-27 (Friday), +2.00% from the previous close 100.00; range 99.000–103.02, volume 1000000.',
    });
  });

  it('summarises the week that ended on the first bar of a new ISO week (mid layer)', () => {
    const monday = observeDay('TSLA', bars.slice(0, 3), []);
    expect(dayLabel(bars[2]!)).toBe('2023-01-30');
    expect(monday.map((o) => o.id)).toEqual(['2023-01-30/price', '2023-01-30/week']);
    // week 2023-W04 holds Thu 26 (open 100) and Fri 27 (close 102): +2.00 %, high 103.02, low 99
    expect(monday[1]!.text).toBe('TSLA week 2023-W04 (2023-01-26 to 2023-01-27, 2 sessions): +2.00% from open 100.00 to close 102.00, high 103.02, low 99.000.');
    expect(monday[1]!.layer).toBe('mid');
  });

  it('summarises the month that ended on the first bar of a new month (long layer) and adds headlines in order', () => {
    const headlines = [
      { time: Date.UTC(2023, 1, 1, 15), source: 'wire', headline: 'First' },
      { time: Date.UTC(2023, 1, 1, 16), source: 'wire', headline: 'Second' },
    ];
    const february = observeDay('TSLA', bars.slice(0, 5), headlines);
    expect(february.map((o) => `${o.id}:${o.layer}`)).toEqual(['2023-02-01/price:short', '2023-02-01/month:long', '2023-02-01/news-1:short', '2023-02-01/news-2:short']);
    // January bars: Thu 26 … Tue 31 (4 sessions), open 100 → close 101
    expect(february[1]!.text).toContain('TSLA month 2023-01 (2023-01-26 to 2023-01-31, 4 sessions): +1.00% from open 100.00 to close 101.00');
    expect(february[2]!.text).toBe('First (wire, 2023-02-01T15:00Z)');
  });

  it('backfills the last complete week and month on a first day, and only then', () => {
    // Tue 2023-01-31: the last complete week is W04 (Thu 26, Fri 27), the last complete month is absent (all January)
    expect(observeDay('TSLA', bars.slice(0, 4), [], { backfill: true }).map((o) => o.id)).toEqual(['2023-01-31/price', '2023-01-31/week']);
    expect(observeDay('TSLA', bars.slice(0, 4), []).map((o) => o.id)).toEqual(['2023-01-31/price']);
    // Thu 2023-02-02 (week W05 = Mon 30 … Thu 2 is still running): the latest complete week is W04, month January
    const thursday = observeDay('TSLA', bars, [], { backfill: true });
    expect(thursday.map((o) => o.id)).toEqual(['2023-02-02/price', '2023-02-02/week', '2023-02-02/month']);
    expect(thursday[1]!.text).toContain('week 2023-W04 (2023-01-26 to 2023-01-27');
    expect(thursday[2]!.text).toContain('month 2023-01 (2023-01-26 to 2023-01-31');
  });
});
