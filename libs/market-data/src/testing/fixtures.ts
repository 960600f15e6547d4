// Test helpers (excluded from the build by tsconfig.lib.json's `src/**/testing/**`).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Bar } from '@trading-ml/core';

/** The repository's bundled data/ folder. */
export const BUNDLED_DATA_DIR = fileURLToPath(new URL('../../../../data', import.meta.url));

/** A fresh empty temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'market-data-test-'));
}

/** Writes `text` to `<dir>/<relative>`, gzipped when the name ends in '.gz'. Returns the path. */
export function writeText(dir: string, relative: string, text: string): string {
  const path = join(dir, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, relative.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/** An hourly bar opening at `openTime` with the given close (open = previous-ish, envelope valid). */
export function hourBar(openTime: number, close: number, extra: Partial<Bar> = {}): Bar {
  return { openTime, closeTime: openTime + 3_600_000, open: close, high: close * 1.01, low: close * 0.99, close, volume: 1, ...extra };
}
