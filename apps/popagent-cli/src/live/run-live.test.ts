import { describe, expect, it } from 'vitest';
import { nextIterationTime } from './run-live.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);

describe('nextIterationTime', () => {
  it('is the next multiple of the interval since the epoch (UTC), plus the settle delay', () => {
    expect(nextIterationTime(T + 5.5 * H, 4 * H, 0)).toBe(T + 8 * H); // 05:30 → 08:00
    expect(nextIterationTime(T + 8 * H, 4 * H, 0)).toBe(T + 12 * H); // on the boundary: the next one
    expect(nextIterationTime(T + 8 * H + 5000, 4 * H, 5000)).toBe(T + 12 * H + 5000); // ran at 08:00:05 → 12:00:05
    expect(nextIterationTime(T + 8 * H + 2000, 4 * H, 5000)).toBe(T + 8 * H + 5000); // before 08:00:05 → 08:00:05
    expect(nextIterationTime(T, 0.5 * H, 0)).toBe(T + 0.5 * H);
  });
});
