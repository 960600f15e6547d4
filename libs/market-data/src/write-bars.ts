import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Bar } from '@trading-ml/core';

const HEADER = 'timestamp,open,high,low,close,volume\n';

/** Bars as CSV rows of the crypto layout (timestamp = open time, UTC ISO; numbers in shortest round-trip form). */
function rows(bars: readonly Bar[]): string {
  let text = '';
  for (const bar of bars) {
    const timestamp = new Date(bar.openTime).toISOString().replace('.000Z', 'Z');
    text += `${timestamp},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume}\n`;
  }
  return text;
}

/**
 * Writes bars to a new CSV file in the crypto layout `timestamp,open,high,low,close,volume` (timestamp = candle
 * open time, UTC ISO-8601), gzip-compressed when the path ends in '.gz'. Creates missing folders; replaces the file.
 *
 * @param path - Target file, e.g. 'data/crypto/BTCUSDT_1h.csv.gz'.
 * @param bars - Bars in time order.
 * @returns Nothing.
 * @throws Node's file-system errors (EACCES, ENOSPC …) unchanged.
 * @see data/README.md for the layout.
 * @example
 * writeBarsCsv('/tmp/BTCUSDT_1h.csv', bars);
 */
export function writeBarsCsv(path: string, bars: readonly Bar[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = HEADER + rows(bars);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
}

/**
 * Appends bars to a CSV file in the crypto layout; writes a new file with header when none exists.
 * For '.gz' paths the rows are added as a new gzip member (a gzip file may hold several concatenated members,
 * which every gunzip reads as one stream), so existing bytes are never rewritten.
 *
 * @param path - File to append to.
 * @param bars - Bars to append; the caller ensures they come after the file's last bar (see `mergeBars`).
 * @returns Nothing.
 * @throws Node's file-system errors unchanged.
 * @see RFC 1952 §2.2 (a gzip file is a series of members).
 * @example
 * const { appended } = mergeBars(stored.bars, downloaded);
 * appendBarsCsv(stored.source, appended);
 */
export function appendBarsCsv(path: string, bars: readonly Bar[]): void {
  if (!existsSync(path)) {
    writeBarsCsv(path, bars);
    return;
  }
  if (bars.length === 0) return;
  const gz = path.endsWith('.gz');
  const current = gz ? gunzipSync(readFileSync(path)) : readFileSync(path);
  const separator = current.length > 0 && current[current.length - 1] !== 0x0a ? '\n' : '';
  const text = separator + rows(bars);
  appendFileSync(path, gz ? gzipSync(text) : text);
}
