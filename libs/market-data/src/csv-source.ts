import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
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

/** One well-formed CSV field: quoted (inner quotes doubled, may span lines) or unquoted without quotes or commas. */
const FIELD = '(?:"(?:[^"]|"")*"|[^",]*)';
/** One well-formed record without its line break; only checked on records that contain a quote. */
const WELL_QUOTED_RECORD = new RegExp(`^${FIELD}(?:,${FIELD})*$`);

/** What a malformed-CSV DataError expects, by papaparse error code (plus our own stricter quote check). */
const QUOTE_PROBLEMS: Readonly<Record<string, string>> = {
  MissingQuotes: 'well-formed CSV: a closing quote (") for the quoted field opened on this line',
  InvalidQuotes: 'well-formed CSV: a closing quote followed by a comma or the end of the line',
  StrayQuote: 'well-formed CSV: quotes only around a whole field, doubled ("") inside it',
};

/**
 * Streams the records of CSV text to `visit`, checking the header is exactly `expectedHeader`. Records are handed
 * over one at a time so that a 31k-row file never holds all its field arrays at once (they die young; see
 * bench/market-data.bench.ts).
 *
 * Parsing is RFC 4180 via papaparse (delimiter ','; line break '\n', '\r\n' or '\r', detected); a leading byte-order
 * mark and empty lines are skipped. Quoted fields may hold commas, doubled quotes and line breaks; quotes anywhere
 * else (`ab"c`, `"ab" x`) are rejected. Each record carries the 1-based line it ends on (the header is line 1), so a
 * record whose quoted field spans lines 5–7 is line 7.
 *
 * @param text - The whole file as text.
 * @param file - Path used in error locations.
 * @param expectedHeader - Column names, in order.
 * @param visit - Called once per data record (header excluded) in file order, with exactly
 *   `expectedHeader.length` fields. An error it throws propagates unchanged.
 * @returns Nothing.
 * @throws DataError with file, line and column when the header differs (line 1), a row has the wrong number of
 *   fields, or the CSV syntax is broken (unterminated or stray quote; the line where the quote sits).
 * @see RFC 4180 (Common Format and MIME Type for CSV Files), §2; papaparse documentation, "Config" (step, cursor).
 * @example
 * forEachCsvRecord('a,b\n1,"x, y"\n', 'f.csv', ['a', 'b'], (record) => records.push(record));
 * // { line: 2, fields: ['1', 'x, y'] }
 */
export function forEachCsvRecord(text: string, file: string, expectedHeader: readonly string[], visit: (record: CsvRecord) => void): void {
  // Strip the BOM here (papaparse would too) so that its cursor indexes `body` itself.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const mayHaveQuotes = body.includes('"');
  const headerText = expectedHeader.join(',');
  let headerSeen = false;
  let failure: unknown;
  let lineBreak = '\n';
  let recordStart = 0; // cursor where the current record begins
  let breaksCounted = 0; // line breaks in body[0, countedTo)
  let countedTo = 0;

  Papa.parse<string[]>(body, {
    delimiter: ',',
    step: (result, parser) => {
      const start = recordStart;
      const end = result.meta.cursor;
      recordStart = end;
      lineBreak = result.meta.linebreak || lineBreak;
      const contentEnd = end - start >= lineBreak.length && body.endsWith(lineBreak, end) ? end - lineBreak.length : end;
      const fields = result.data;
      try {
        const problem = result.errors[0];
        if (problem !== undefined) throw quoteError(file, body, problem.index ?? start, lineBreak, body.slice(start, contentEnd), problem);
        if (contentEnd === start) return; // empty line (a quoted empty field "" is a record, not an empty line)
        // line of the record's last character: one plus the line breaks before it (positions only grow)
        for (let at = body.indexOf(lineBreak, countedTo); at !== -1 && at < contentEnd; at = body.indexOf(lineBreak, countedTo)) {
          breaksCounted++;
          countedTo = at + lineBreak.length;
        }
        const line = breaksCounted + 1;
        if (mayHaveQuotes) checkQuotes(body.slice(start, contentEnd), file, line);
        if (!headerSeen) {
          headerSeen = true;
          if (fields.join(',') !== headerText) throw headerError(file, fields, expectedHeader);
          return;
        }
        if (fields.length !== expectedHeader.length) {
          throw new DataError({
            location: { file, line, column: expectedHeader[Math.min(fields.length, expectedHeader.length - 1)] },
            value: fields.join(','),
            expected: `${expectedHeader.length} fields (${headerText}), got ${fields.length}`,
          });
        }
        visit({ line, fields });
      } catch (error) {
        // abort so papaparse stops reading the rest of the file; rethrown once Papa.parse returns
        failure = error;
        parser.abort();
      }
    },
  });
  if (failure !== undefined) throw failure;
  if (!headerSeen) throw headerError(file, undefined, expectedHeader);
}

/**
 * Parses CSV text into an array of records; {@link forEachCsvRecord} collected.
 * @param text - The whole file as text.
 * @param file - Path used in error locations.
 * @param expectedHeader - Column names, in order.
 * @returns The data records (header excluded) in file order.
 * @throws DataError as {@link forEachCsvRecord}.
 * @see RFC 4180, §2.
 * @example
 * parseCsv('a,b\n1,"x, y"\n', 'f.csv', ['a', 'b']); // [{ line: 2, fields: ['1', 'x, y'] }]
 */
export function parseCsv(text: string, file: string, expectedHeader: readonly string[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  forEachCsvRecord(text, file, expectedHeader, (record) => records.push(record));
  return records;
}

/** Rejects a record (without its line break) in which a quote is not around a whole field. */
function checkQuotes(raw: string, file: string, line: number): void {
  if (raw.includes('"') && !WELL_QUOTED_RECORD.test(raw)) {
    throw new DataError({ location: { file, line }, value: raw, expected: QUOTE_PROBLEMS.StrayQuote ?? '' });
  }
}

/** A DataError for a papaparse quote error, located at the line of the quote. */
function quoteError(file: string, body: string, position: number, lineBreak: string, raw: string, problem: Papa.ParseError): DataError {
  let line = 1;
  for (let at = body.indexOf(lineBreak); at !== -1 && at < position; at = body.indexOf(lineBreak, at + lineBreak.length)) line++;
  return new DataError({
    location: { file, line },
    value: raw,
    expected: QUOTE_PROBLEMS[problem.code] ?? `well-formed CSV (${problem.message})`,
  });
}

function headerError(file: string, header: readonly string[] | undefined, expectedHeader: readonly string[]): DataError {
  return new DataError({
    location: { file, line: 1, column: 'header' },
    value: header?.join(',') ?? '',
    expected: `the header ${expectedHeader.join(',')}`,
  });
}
