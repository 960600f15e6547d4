import { describe, expect, it } from 'vitest';
import { newYorkToUtc } from './new-york-time.js';

// Expected instants written out by hand: EST = UTC−5 (winter), EDT = UTC−4 (summer);
// 2024 DST ran from Sun 2024-03-10 02:00 to Sun 2024-11-03 02:00 local (US Energy Policy Act of 2005 rules).
describe('newYorkToUtc', () => {
  it('winter date: 09:30 EST = 14:30 UTC, 16:00 EST = 21:00 UTC', () => {
    expect(newYorkToUtc('2024-01-16', 9, 30)).toBe(Date.UTC(2024, 0, 16, 14, 30));
    expect(newYorkToUtc('2024-01-16', 16, 0)).toBe(Date.UTC(2024, 0, 16, 21, 0));
  });

  it('summer date: 09:30 EDT = 13:30 UTC, 16:00 EDT = 20:00 UTC', () => {
    expect(newYorkToUtc('2024-07-16', 9, 30)).toBe(Date.UTC(2024, 6, 16, 13, 30));
    expect(newYorkToUtc('2024-07-16', 16, 0)).toBe(Date.UTC(2024, 6, 16, 20, 0));
  });

  it('switches on the DST boundaries (Friday before vs Monday after)', () => {
    expect(newYorkToUtc('2024-03-08', 9, 30)).toBe(Date.UTC(2024, 2, 8, 14, 30));
    expect(newYorkToUtc('2024-03-11', 9, 30)).toBe(Date.UTC(2024, 2, 11, 13, 30));
    expect(newYorkToUtc('2024-11-01', 9, 30)).toBe(Date.UTC(2024, 10, 1, 13, 30));
    expect(newYorkToUtc('2024-11-04', 9, 30)).toBe(Date.UTC(2024, 10, 4, 14, 30));
  });
});
