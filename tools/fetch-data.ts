/**
 * Rebuilds (extends) the bundled crypto candles in data/ through ccxt, append-only.
 *
 *   npm run data:fetch -- --exchange binance --symbols BTC/USDT,ETH/USDT,SOL/USDT,XRP/USDT,DOGE/USDT \
 *     --timeframe 1h --since 2021-06-01 --until 2024-12-31T23:59:59Z --data-dir data
 *
 * For each symbol: load the existing file (validated), download closed candles from the file's last candle on
 * (or from --since for a new file), check the overlap agrees with stored history, and append the new candles
 * (a new gzip member for .gz files). Existing rows are never rewritten. Offline it exits 1 with one line.
 * @see data/README.md ("Rebuilding the data").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, TIMEFRAME_MS, TIMEFRAMES, TradingMlError } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { appendBarsCsv, createExchange, fetchOhlcvRange, loadBars, mergeBars, resolveSymbol } from '@trading-ml/market-data';

const USAGE = `Usage: npm run data:fetch -- [--exchange binance] [--symbols BTC/USDT,ETH/USDT] [--timeframe 1h]
                           [--since 2021-06-01] [--until 2024-12-31T23:59:59Z] [--data-dir data] [--retries 4]
Appends closed candles downloaded through ccxt to data/crypto/<BASEQUOTE>_<timeframe>.csv[.gz] (append-only).`;

const DEFAULT_SYMBOLS = 'BTC/USDT,ETH/USDT,SOL/USDT,XRP/USDT,DOGE/USDT';

/** '2021-06-01' (UTC midnight) or a full ISO-8601 timestamp with zone → UTC ms. */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/)
  .transform((s) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s))
  .refine(Number.isFinite);

const FLAG_SCHEMAS = {
  exchange: [z.string().regex(/^[a-z0-9]+$/), "a lower-case ccxt exchange id such as 'binance'"],
  symbols: [z.string().min(1), "a comma-separated list of pairs such as 'BTC/USDT,ETH/USDT'"],
  timeframe: [z.enum(TIMEFRAMES as [Timeframe, ...Timeframe[]]), `one of ${TIMEFRAMES.join(', ')}`],
  since: [instant, "a UTC date '2021-06-01' or timestamp '2021-06-01T00:00:00Z'"],
  until: [instant, "a UTC date '2024-12-31' or timestamp '2024-12-31T23:59:59Z'"],
  'data-dir': [z.string().min(1), 'a folder path'],
  retries: [z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(0).max(10)), 'an integer 0–10'],
} as const;

/** Validates one flag with its zod schema; a bad value becomes a ConfigError naming the flag. */
function flag<K extends keyof typeof FLAG_SCHEMAS>(name: K, raw: string): z.output<(typeof FLAG_SCHEMAS)[K][0]> {
  const [schema, expected] = FLAG_SCHEMAS[name];
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError({ parameter: `--${name}`, value: raw, expected });
  return result.data as z.output<(typeof FLAG_SCHEMAS)[K][0]>;
}

interface Settings {
  exchange: string;
  symbols: string[];
  timeframe: Timeframe;
  since: number;
  until: number;
  dataDir: string;
  retries: number;
}

function parseSettings(argv: string[], now: number): Settings | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        exchange: { type: 'string', default: 'binance' },
        symbols: { type: 'string', default: DEFAULT_SYMBOLS },
        timeframe: { type: 'string', default: '1h' },
        since: { type: 'string', default: '2021-06-01' },
        until: { type: 'string' },
        'data-dir': { type: 'string', default: 'data' },
        retries: { type: 'string', default: '4' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ConfigError({ parameter: 'arguments', value: argv.join(' '), expected: `valid flags (${(error as Error).message}); run with --help for usage` });
  }
  if (values.help === true) return null;
  const text = (key: string): string => String(values[key]);
  const symbols = flag('symbols', text('symbols'))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const symbol = resolveSymbol(s);
      if (!symbol.includes('/')) throw new ConfigError({ parameter: '--symbols', value: s, expected: "a crypto pair such as 'BTC/USDT' (stock bars are not on ccxt exchanges)" });
      return symbol;
    });
  const since = flag('since', text('since'));
  const until = values.until === undefined ? now : flag('until', text('until'));
  if (since > until) throw new ConfigError({ parameter: '--since', value: text('since'), expected: `a time before --until (${new Date(until).toISOString()})` });
  return {
    exchange: flag('exchange', text('exchange')),
    symbols,
    timeframe: flag('timeframe', text('timeframe')),
    since,
    until,
    dataDir: flag('data-dir', text('data-dir')),
    retries: flag('retries', text('retries')),
  };
}

async function main(): Promise<void> {
  const now = Date.now();
  const settings = parseSettings(process.argv.slice(2), now);
  if (settings === null) {
    console.log(USAGE);
    return;
  }
  const { dataDir, timeframe } = settings;
  const exchange = await createExchange(settings.exchange).catch((error: unknown) => {
    if (error instanceof ConfigError) throw new ConfigError({ parameter: '--exchange', value: error.value, expected: error.expected });
    throw error;
  });
  for (const symbol of settings.symbols) {
    const stem = join(dataDir, 'crypto', `${symbol.replace('/', '')}_${timeframe}.csv`);
    const present = existsSync(stem) || existsSync(`${stem}.gz`);
    const existing = present ? loadBars({ dataDir, symbol, timeframe }) : null;
    const path = existing?.source ?? `${stem}.gz`;
    const stored = existing?.bars ?? [];
    const last = stored.at(-1);
    // Re-download the last stored candle so mergeBars can check the exchange agrees with stored history.
    const since = last ? last.openTime : settings.since;
    if (last && settings.since > last.closeTime) {
      console.log(`${symbol}: ${path} ends ${new Date(last.closeTime).toISOString()}; continuing from there (append-only, no holes).`);
    }
    if (since > settings.until) {
      console.log(`${symbol} ${timeframe}: up to date (${path})`);
      continue;
    }
    const downloaded = await fetchOhlcvRange({ exchange, symbol, timeframe, since, until: settings.until, now, retries: settings.retries });
    const { appended } = mergeBars(stored, downloaded);
    appendBarsCsv(path, appended);
    const end = appended.at(-1) ?? last;
    const through = end ? new Date(end.openTime + TIMEFRAME_MS[timeframe]).toISOString() : 'no bars';
    console.log(`${symbol} ${timeframe}: +${appended.length} bars → ${path} (closed bars through ${through})`);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof TradingMlError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  console.error(`fetch-data: ${message.split('\n')[0]}`);
  process.exitCode = 1;
});
