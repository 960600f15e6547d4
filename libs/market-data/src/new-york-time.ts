/**
 * Wall-clock time in America/New_York to UTC, across daylight-saving changes, using the platform's time-zone
 * database through Intl.DateTimeFormat (no hard-coded DST rules).
 */
const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Offset of New York local time from UTC at the instant `utcMs`, in ms (−5 h in winter, −4 h in summer). */
function newYorkOffsetMs(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of NEW_YORK.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * UTC epoch ms of a New York wall-clock time on a calendar date.
 *
 * @param date - 'YYYY-MM-DD' (the trading day).
 * @param hour - Local hour 0–23.
 * @param minute - Local minute 0–59.
 * @returns UTC epoch ms. For 09:30 and 16:00 (never inside a DST transition, which happens at 02:00) the result is exact.
 * @see IANA tz database, zone America/New_York (EST UTC−5, EDT UTC−4).
 * @example
 * new Date(newYorkToUtc('2024-01-16', 9, 30)).toISOString(); // '2024-01-16T14:30:00.000Z'
 * new Date(newYorkToUtc('2024-07-16', 9, 30)).toISOString(); // '2024-07-16T13:30:00.000Z'
 */
export function newYorkToUtc(date: string, hour: number, minute: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // First guess with the offset at the wall time read as UTC, then correct with the offset at the guess.
  const guess = wall - newYorkOffsetMs(wall);
  return wall - newYorkOffsetMs(guess);
}
