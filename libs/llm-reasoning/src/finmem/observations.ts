/**
 * What the agent perceives on one day, turned into memory texts: the daily price move (short layer), a summary of
 * the week that just ended (mid layer) and of the month that just ended (long layer), and the headlines published
 * since the previous close (short layer). Everything is computed from bars closed and headlines published by the
 * day's close; nothing later is visible here.
 *
 * @see Yu et al. (2023), arXiv:2311.13743, section 3.2 (daily news to the shallow layer, quarterly and annual
 *   reports to the intermediate and deep layers; here weekly and monthly price summaries take the reports' place).
 */
import type { Bar } from '@trading-ml/core';
import type { MemoryLayer } from '../memory/memory-item.js';

/** A news headline as the agent sees it (structurally compatible with market-data's `NewsItem`). */
export interface Headline {
  /** Publication time, UTC ms. */
  readonly time: number;
  readonly source: string;
  readonly headline: string;
}

/** A new memory before scoring fields are attached. */
export interface Observation {
  readonly id: string;
  readonly layer: MemoryLayer;
  readonly kind: 'price' | 'summary' | 'news';
  readonly text: string;
}

/** The UTC calendar date of a bar's open, 'YYYY-MM-DD': the trading day the bar belongs to. */
export function dayLabel(bar: Pick<Bar, 'openTime'>): string {
  return new Date(bar.openTime).toISOString().slice(0, 10);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** ISO-8601 week key 'YYYY-Www' of a UTC instant. */
function isoWeek(time: number): string {
  const date = new Date(time);
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 4)) / (7 * 86_400_000) + ((new Date(Date.UTC(year, 0, 4)).getUTCDay() + 6) % 7) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function percent(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}%`;
}

function price(value: number): string {
  return value >= 100 ? value.toFixed(2) : value.toPrecision(5);
}

/** Summary of a run of bars (one week or month): open → close change, high, low. */
function periodSummary(symbol: string, name: string, bars: readonly Bar[]): string {
  const first = bars[0] as Bar;
  const last = bars[bars.length - 1] as Bar;
  const high = Math.max(...bars.map((bar) => bar.high));
  const low = Math.min(...bars.map((bar) => bar.low));
  return `${symbol} ${name} (${dayLabel(first)} to ${dayLabel(last)}, ${bars.length} sessions): ${percent(last.close / first.open - 1)} from open ${price(first.open)} to close ${price(last.close)}, high ${price(high)}, low ${price(low)}.`;
}

/**
 * The day's observations.
 * @param symbol - instrument name used in the texts.
 * @param history - closed bars, oldest first; the last one is the bar that just closed (the day).
 * @param headlines - headlines published after the previous bar's close and no later than this bar's close.
 * @param options - `backfill`: also summarise the last complete week and month before this bar's even when this bar
 *   does not start a new one (the agent's very first day, so a fresh memory starts with all layers).
 * @returns observations in a fixed order (price, week, month, news 1…n) with ids '<day>/price', '<day>/week',
 *   '<day>/month', '<day>/news-<k>'.
 * @throws never (an empty history yields no observations).
 * @example
 * observeDay('TSLA', bars.slice(0, 10), []).map((o) => o.id); // ['2023-01-13/price', …]
 */
export function observeDay(symbol: string, history: readonly Bar[], headlines: readonly Headline[], options: { backfill?: boolean } = {}): Observation[] {
  const bar = history[history.length - 1];
  if (bar === undefined) return [];
  const day = dayLabel(bar);
  const previous = history[history.length - 2];
  const out: Observation[] = [];
  const weekday = WEEKDAYS[new Date(bar.openTime).getUTCDay()] ?? '';
  const move = previous === undefined ? '' : `, ${percent(bar.close / previous.close - 1)} from the previous close ${price(previous.close)}`;
  out.push({
    id: `${day}/price`,
    layer: 'short',
    kind: 'price',
    text: `${symbol} closed at ${price(bar.close)} on ${day} (${weekday})${move}; range ${price(bar.low)}–${price(bar.high)}, volume ${Math.round(bar.volume)}.`,
  });
  const backfill = options.backfill === true;
  // the latest complete week / month: the one of the latest earlier bar not in the current bar's week / month
  const earlierWeek = [...history].reverse().find((entry) => isoWeek(entry.openTime) !== isoWeek(bar.openTime));
  if (earlierWeek !== undefined && (backfill || earlierWeek === previous)) {
    const week = isoWeek(earlierWeek.openTime);
    const bars = history.filter((entry) => isoWeek(entry.openTime) === week);
    out.push({ id: `${day}/week`, layer: 'mid', kind: 'summary', text: periodSummary(symbol, `week ${week}`, bars) });
  }
  const earlierMonth = [...history].reverse().find((entry) => dayLabel(entry).slice(0, 7) !== day.slice(0, 7));
  if (earlierMonth !== undefined && (backfill || earlierMonth === previous)) {
    const month = dayLabel(earlierMonth).slice(0, 7);
    const bars = history.filter((entry) => dayLabel(entry).startsWith(month));
    out.push({ id: `${day}/month`, layer: 'long', kind: 'summary', text: periodSummary(symbol, `month ${month}`, bars) });
  }
  headlines.forEach((item, index) => {
    out.push({ id: `${day}/news-${index + 1}`, layer: 'short', kind: 'news', text: `${item.headline} (${item.source}, ${new Date(item.time).toISOString().slice(0, 16)}Z)` });
  });
  return out;
}
