import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { DataError } from '@trading-ml/core';

/** One parsed CSV record with the 1-based line it ends on (the header is line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Finds `<path>` or `<path>.gz` (plain file preferred when both exist).
 * @throws DataError 'DATA_MISSING' listing the files that do exist in the folder.
 */
export function resolveCsvPath(csvPath: string): string {
  if (existsSync(csvPath)) return csvPath;
  if (existsSync(`${csvPath}.gz`)) return `${csvPath}.gz`;
  const folder = dirname(csvPath);
  const present = existsSync(folder) ? readdirSync(folder).sort() : [];
  const listing = present.length > 0 ? `one of the files present there: ${present.join(', ')}` : `an existing file (folder ${folder} is missing or empty)`;
  throw new DataError({
    code: 'DATA_MISSING',
    location: { file: csvPath },
    value: `${basename(csvPath)}[.gz]`,
    expected: listing,
  });
}

/** Reads a CSV file, gunzipping it when its name ends in '.gz' (several concatenated gzip members are fine). */
export function readCsvText(path: string): string {
  const bytes = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

/**
 * Parses CSV text into records, checking the header is exactly `expectedHeader`.
 * @throws DataError with file, line and column when the header differs, a row has the wrong number of fields,
 *   or the CSV syntax is broken (unterminated quote).
 */
export function parseCsv(text: string, file: string, expectedHeader: readonly string[]): CsvRecord[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof parsed;
  } catch (error) {
    const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
    throw new DataError({ location: { file, line }, value: (error as Error).message, expected: 'well-formed CSV', cause: error });
  }
  const [header, ...rows] = parsed;
  if (header === undefined || header.record.join(',') !== expectedHeader.join(',')) {
    throw new DataError({
      location: { file, line: 1, column: 'header' },
      value: header?.record.join(',') ?? '',
      expected: `the header ${expectedHeader.join(',')}`,
    });
  }
  return rows.map(({ record, info }) => {
    if (record.length !== expectedHeader.length) {
      throw new DataError({
        location: { file, line: info.lines, column: expectedHeader[Math.min(record.length, expectedHeader.length - 1)] },
        value: record.join(','),
        expected: `${expectedHeader.length} fields (${expectedHeader.join(',')}), got ${record.length}`,
      });
    }
    return { line: info.lines, fields: record };
  });
}
