import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveTrader } from './live-trader.js';
import { createLiveExchange } from './live-exchange.js';
import { fixedClock } from './live-clock.js';
import { SecretScrubber } from './secrets.js';
import { overrideExchangeUrls } from './exchange-urls.js';
import { FakeBinanceServer } from './testing/fake-binance-server.js';
import { HOUR, T0, hourlyBars } from './testing/bars.js';
import { ScriptedStrategy } from './testing/scripted-strategy.js';
import { collectingLogger } from './testing/log-sink.js';

const KEY = 'secret-api-key-Zx81Qq';
const SECRET = 'secret-api-secret-Pw93Lm+/=';
let server: FakeBinanceServer;
let dir: string;
beforeAll(async () => {
  server = await FakeBinanceServer.start({ BTCUSDT: hourlyBars(20), ETHUSDT: hourlyBars(20, 2_000) });
  dir = mkdtempSync(join(tmpdir(), 'live-secrets-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SecretScrubber', () => {
  it('masks secrets, also URL-encoded', () => {
    const scrub = new SecretScrubber([KEY, SECRET, undefined, '']);
    expect(scrub.text(`a ${KEY} b ${encodeURIComponent(SECRET)} c`)).toBe('a [REDACTED] b [REDACTED] c');
    expect(scrub.message(new Error(`bad ${SECRET}\nstack`))).toBe('bad [REDACTED]');
  });
});

describe('no API key or secret in any log line or error message', () => {
  it('redacts credential fields and scrubs exchange errors that echo them', async () => {
    const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'testnet', env: { BINANCE_API_KEY: KEY, BINANCE_API_SECRET: SECRET }, timeoutMs: 1_500 });
    overrideExchangeUrls(exchange, server.url);
    const { logger, lines } = collectingLogger(secrets);
    const trader = new LiveTrader({ exchange, secrets, mode: 'testnet', symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', strategy: new ScriptedStrategy([0.5, 0.1]), dbPath: join(dir, 's.sqlite'), clock: fixedClock(T0 + 10 * HOUR + 5_000), logger, retries: 1, minRetryDelayMs: 1 });
    // The exchange echoes the key and the secret in its error bodies (as some do for auth failures).
    server.fail('POST /api/v3/order', { status: 400, body: { code: -2015, msg: `Invalid API-key, IP, or permissions for action, request key ${KEY} secret ${SECRET}` } });
    server.fail('GET /api/v3/klines', { status: 503, body: `upstream saw X-MBX-APIKEY: ${KEY}` }, { status: 503, body: `upstream saw ${KEY}` });
    logger.info({ apiKey: KEY, exchange: { secret: SECRET }, headers: { 'X-MBX-APIKEY': KEY } }, 'a careless log call');
    const report = await trader.runIteration();
    const reasons = trader.store.journal().map((e) => e.reason ?? '');
    const texts = [...lines, report.status, ...reasons, ...report.symbols.map((s) => s.skipped ?? '')];
    expect(lines.length).toBeGreaterThan(3);
    expect(reasons.some((r) => r.includes('[REDACTED]'))).toBe(true); // the echo reached us, masked
    expect(lines.some((l) => l.includes('"apiKey":"[REDACTED]"'))).toBe(true);
    for (const text of texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
    trader.close();
  });
});
