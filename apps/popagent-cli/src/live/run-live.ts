/**
 * `popagent live`: wires the PopAgent population (one engine per symbol behind one LiveStrategy) to libs/live's
 * LiveTrader (the backtest kernel, risk limits, SQLite state and journal, resume and reconciliation), picks the
 * bar source (ccxt exchange or the bundled files on a simulated clock), runs the iterations and prints one
 * status line each. Structured logs go to `<state-dir>/live.log`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, ExchangeError, LlmUnavailableError, TIMEFRAME_MS, renameConfigParameter } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { LiveTrader, REAL_TRADING_CONFIRMATION, SecretScrubber, createLiveExchange, fixedClock, overrideExchangeUrls, systemClock } from '@trading-ml/live';
import type { IterationReport, LiveCheckpoint, LiveClock, LiveExchange } from '@trading-ml/live';
import { loadNews } from '@trading-ml/market-data';
import type { NewsItem } from '@trading-ml/market-data';
import type { LlmReasoner } from '@trading-ml/llm-reasoning';
import { validatePopAgentConfig } from '@trading-ml/popagent';
import type { PopAgentProposal } from '@trading-ml/popagent';
import { REFERENCE_SYMBOL, WARM_UP_BARS, baseOf } from '../data.js';
import type { CliIo } from '../io.js';
import { BundledExchange, loadBundledBars } from './bundled-exchange.js';
import type { LiveLlmSettings, LiveOptions } from './live-options.js';
import { LIVE_LOG_FILE, createFileLogger } from './live-log.js';
import type { LiveLogger } from './live-log.js';
import { PopAgentLiveStrategy } from './popagent-strategy.js';
import type { LiveAdvice } from './popagent-strategy.js';
import { ExchangeReferenceFeed, MemoryReferenceFeed } from './reference-feed.js';
import type { ReferenceFeed } from './reference-feed.js';
import { checkRunIdentity, writeRunIdentity } from './run-identity.js';

/** Wait after an aligned iteration time before fetching from an exchange, ms: a closed bar is published a moment late. */
export const EXCHANGE_SETTLE_MS = 5000;

/** What one `popagent live` run did. */
export interface LiveRunOutcome {
  /** Iterations run (a failed, retried one included). */
  readonly iterations: number;
  /** The last iteration's report, or null when none completed. */
  readonly last: IterationReport | null;
  /** 'new' when the state folder was fresh, 'resume' when the run continued its state. */
  readonly state: 'new' | 'resume';
  readonly stateDir: string;
  readonly logFile: string;
}

/** Context of a run beyond the flags. */
export interface LiveRunContext {
  /** Where API keys are read from (default process.env): BINANCE_API_KEY/BINANCE_API_SECRET, BYBIT_…. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Stops the loop after the current iteration (default: SIGINT/SIGTERM of the process). */
  readonly signal?: AbortSignal;
}

const iso = (time: number) => new Date(time).toISOString();

/**
 * Time of the next iteration: the next multiple of the interval since the epoch (UTC), plus the settle delay.
 * @param now - current time, UTC ms.
 * @param intervalMs - time between iterations, ms.
 * @param settleMs - delay after the aligned time, ms.
 * @returns the next iteration time, strictly after `now`.
 * @example
 * nextIterationTime(Date.UTC(2024, 0, 1, 5, 30), 4 * 3_600_000, 0); // Date.UTC(2024, 0, 1, 8)
 */
export function nextIterationTime(now: number, intervalMs: number, settleMs: number): number {
  return (Math.floor((now - settleMs) / intervalMs) + 1) * intervalMs + settleMs;
}

/** The bar source of a run: exchange, secrets to mask, clock, reference feed and where the data ends. */
interface Source {
  readonly exchange: LiveExchange;
  readonly secrets: readonly string[];
  readonly clock: LiveClock;
  readonly reference: ReferenceFeed | undefined;
  /** The last bundled close (the replay stops there), or null for an exchange. */
  readonly dataEnd: number | null;
  readonly settleMs: number;
  readonly description: string;
}

async function openSource(options: LiveOptions, env: Readonly<Record<string, string | undefined>>): Promise<Source> {
  const needsReference = options.symbols.some((symbol) => symbol !== REFERENCE_SYMBOL);
  if (options.source === 'bundled') {
    const bars = new Map<string, Bar[]>();
    for (const symbol of new Set([...options.symbols, ...(needsReference ? [REFERENCE_SYMBOL] : [])])) {
      bars.set(symbol, loadBundledBars(options.dataDir, symbol, options.timeframe));
    }
    const traded = new Map(options.symbols.map((symbol) => [symbol, bars.get(symbol) as Bar[]]));
    const bounds = new BundledExchange(traded, options.timeframe, { now: () => 0 });
    const { firstClose, lastClose } = bounds;
    const start = options.asOf ?? lastClose;
    if (start < firstClose || start > lastClose) {
      throw new ConfigError({ parameter: '--as-of', value: options.asOf === null ? null : iso(options.asOf), expected: `a time from ${iso(firstClose)} to ${iso(lastClose)} (the bundled bars)` });
    }
    const clock = fixedClock(start);
    const reference = needsReference ? new MemoryReferenceFeed(REFERENCE_SYMBOL, bars.get(REFERENCE_SYMBOL) as Bar[]) : undefined;
    return { exchange: new BundledExchange(traded, options.timeframe, clock), secrets: [], clock, reference, dataEnd: lastClose, settleMs: 0, description: `bundled data, now ${iso(start)}` };
  }
  const { exchange, secrets } = await createLiveExchange({
    exchangeId: options.exchange,
    mode: options.mode,
    env,
    ...(options.mode === 'real' ? { confirmRealTrading: REAL_TRADING_CONFIRMATION } : {}),
    ...(options.recvWindowMs !== null ? { recvWindowMs: options.recvWindowMs } : {}),
  });
  // --exchange-url (hidden, for tests): the local exchange server of libs/live, or a self-hosted proxy.
  if (options.exchangeUrl !== null) overrideExchangeUrls(exchange, options.exchangeUrl);
  const clock = options.asOf !== null ? fixedClock(options.asOf) : systemClock;
  const reference = needsReference ? new ExchangeReferenceFeed({ exchange, symbol: REFERENCE_SYMBOL, timeframe: options.timeframe, now: () => clock.now() }) : undefined;
  const where = options.exchangeUrl !== null ? ` at ${options.exchangeUrl}` : '';
  return { exchange, secrets, clock, reference, dataEnd: null, settleMs: EXCHANGE_SETTLE_MS, description: `${options.exchange}${options.mode === 'testnet' ? ' testnet' : ''}${where}${options.asOf !== null ? `, now ${iso(options.asOf)}` : ''}` };
}

/**
 * The proposal as logged: all of it (exposure, regime, forecasts, every method's signal and selections), time as
 * ISO; in B/D with the LLM's view, whether it was asked, and the committed exposure.
 */
function proposalRecord(symbol: string, proposal: PopAgentProposal, advice: LiveAdvice | null): Record<string, unknown> {
  return { symbol, proposal: { ...proposal, time: iso(proposal.time) }, ...(advice !== null ? { llm: advice } : {}) };
}

/**
 * Opens the LLM client of B and D (its modules load only here). Its warnings go to the log; a client ConfigError is
 * re-issued under the flag's name.
 */
async function openReasoner(llm: LiveLlmSettings, seed: number, env: Readonly<Record<string, string | undefined>>, logger: LiveLogger): Promise<LlmReasoner> {
  const { every: _every, ...client } = llm;
  const { createLlmReasoner, LLM_CLIENT_FLAGS } = await import('@trading-ml/llm-reasoning');
  const log = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string) => logger[level]({ llm: true }, message);
  try {
    mkdirSync(dirname(llm.cache), { recursive: true });
    return createLlmReasoner({ ...client, seed, env, logger: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') } });
  } catch (error) {
    throw renameConfigParameter(error, LLM_CLIENT_FLAGS);
  }
}

/** Halts forever at a checkpoint (the kill -9 tests SIGKILL the process there); a timer keeps node alive. */
function pauseHook(pauseAt: LiveCheckpoint | null, io: CliIo): ((point: LiveCheckpoint) => Promise<void>) | undefined {
  if (pauseAt === null) return undefined;
  let paused = false;
  return async (point) => {
    if (point !== pauseAt || paused) return;
    paused = true;
    io.write(`PAUSED ${point}\n`);
    await new Promise(() => setInterval(() => undefined, 60_000));
  };
}

/** Masks the API key and secret in an error's message and stack before it is printed. */
function scrubbed(error: unknown, scrubber: SecretScrubber): unknown {
  if (error instanceof Error) {
    error.message = scrubber.text(error.message);
    if (error.stack !== undefined) error.stack = scrubber.text(error.stack);
  }
  return error;
}

/**
 * Runs `popagent live` with validated options: one iteration at once, then one per interval until stopped,
 * `--max-iterations` is reached, `--test-once` asks for one, or the bundled data ends.
 *
 * @param options - from {@link parseLiveOptions}.
 * @param io - where the status lines go.
 * @param context - environment (API keys) and a stop signal.
 * @returns the number of iterations, the last report, and where state and log are.
 * @throws ConfigError for a state folder created with other settings, a missing API key variable, a symbol
 *   the exchange does not list, or --as-of outside the bundled data; StateError for corrupt state; other errors
 *   of an iteration (a retryable exchange error in a long run only logs and retries at the next interval).
 *   Messages never contain the API key or secret.
 * @see ../../README.md, "popagent live"; libs/live/README.md (timing, crash protocol)
 * @example
 * const options = parseLiveOptions({ symbols: 'BTC,ETH', source: 'bundled', exchange: 'binance', timeframe: '4h',
 *   seed: '42', warmupBars: '1000', initialCash: '10000', dataDir: 'data', testOnce: true }, {});
 * const outcome = await runLive(options, processIo()); // prints one status line
 */
export async function runLive(options: LiveOptions, io: CliIo, context: LiveRunContext = {}): Promise<LiveRunOutcome> {
  const env = context.env ?? process.env;
  let scrubber = new SecretScrubber([]);
  let trader: LiveTrader | null = null;
  let reasoner: LlmReasoner | null = null;
  const controller = context.signal === undefined && !options.testOnce ? new AbortController() : null;
  const stop = () => controller?.abort();
  if (controller !== null) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  const signal = context.signal ?? controller?.signal;
  const aborted = (): boolean => signal?.aborted === true;
  try {
    const source = await openSource(options, env);
    mkdirSync(options.stateDir, { recursive: true });
    const state = checkRunIdentity(options.stateDir, options);
    // The LLM's API key is masked like the exchange's.
    const llmKey = options.llm === null ? undefined : env[options.llm.apiKeyEnv ?? 'OPENAI_API_KEY'];
    const secrets = [...source.secrets, ...(llmKey !== undefined && llmKey.length > 0 ? [llmKey] : [])];
    scrubber = new SecretScrubber(secrets);
    const logFile = join(options.stateDir, LIVE_LOG_FILE);
    const logger = createFileLogger(logFile, secrets);
    if (options.llm !== null) reasoner = await openReasoner(options.llm, options.seed, env, logger);
    const config = validatePopAgentConfig(options.config);
    const barMs = TIMEFRAME_MS[options.timeframe];
    const { clock } = source;
    const readNews = (): NewsItem[] => loadNews({ dataDir: options.dataDir, symbols: [...options.symbols.map(baseOf), 'CRYPTO'] });
    const isFresh = (bar: Bar): boolean => bar.closeTime === Math.floor(clock.now() / barMs) * barMs;
    const strategy = new PopAgentLiveStrategy({
      symbols: options.symbols,
      timeframe: options.timeframe,
      condition: options.condition,
      seed: options.seed,
      config: options.config,
      // The ablation's warm-up (features, models, indicators only); the rest of the history is decided on, untraded.
      warmUpBars: Math.min(WARM_UP_BARS, options.warmupBars),
      ...(source.reference !== undefined ? { reference: source.reference } : {}),
      ...(options.condition === 'C' || options.condition === 'D' ? { news: readNews() } : {}),
      ...(reasoner !== null && options.llm !== null ? { llm: { reasoner, every: options.llm.every } } : {}),
      isFresh,
      onProposal: (symbol, proposal, advice) => logProposal(logger, proposal.time === Math.floor(clock.now() / barMs) * barMs, symbol, proposal, advice),
    });
    // The reference asset first: its bars are then in the feed's cache when the others need them.
    const symbols = [...options.symbols.filter((s) => s === REFERENCE_SYMBOL), ...options.symbols.filter((s) => s !== REFERENCE_SYMBOL)];
    const pause = pauseHook(options.pauseAt, io);
    let identityPending = state === 'new';
    const onCheckpoint = async (point: LiveCheckpoint): Promise<void> => {
      // Tie the folder to these settings with the first committed step (a typo that fails earlier does not).
      if (point === 'after-commit' && identityPending) {
        writeRunIdentity(options.stateDir, options);
        identityPending = false;
      }
      await pause?.(point);
    };
    trader = new LiveTrader({
      exchange: source.exchange,
      mode: options.mode,
      symbols,
      timeframe: options.timeframe,
      strategy,
      stateDir: options.stateDir,
      initialCash: options.initialCash,
      allowShort: config.allowShort,
      minRebalanceFraction: config.rebalanceThreshold,
      risk: options.risk,
      paperFills: { feeRate: config.feeRate, slippageRate: config.slippageRate },
      warmupBars: options.warmupBars,
      dryRun: options.dryRun,
      resetKillSwitch: options.resetKillSwitch,
      settleDelayMs: source.settleMs,
      logger,
      secrets: source.secrets,
      clock,
      onCheckpoint,
    });
    const hours = options.intervalMs / 3_600_000;
    io.write(
      `popagent live: ${options.mode}${options.dryRun ? ' dry-run' : ''} | ${source.description} | ${symbols.join(', ')} ${options.timeframe} every ${hours} h | ` +
        `condition ${options.condition} | state ${options.stateDir} (${state}) | log ${logFile}\n`,
    );
    logger.info({ mode: options.mode, source: options.source, symbols, timeframe: options.timeframe, intervalMs: options.intervalMs, condition: options.condition, seed: options.seed, risk: options.risk, warmupBars: options.warmupBars, dryRun: options.dryRun, state }, 'popagent live started');

    let iterations = 0;
    let last: IterationReport | null = null;
    for (;;) {
      // Condition C on an exchange: headlines appended to the news file since the last iteration reach the engines.
      if ((options.condition === 'C' || options.condition === 'D') && options.source === 'exchange' && strategy.setNews(readNews())) logger.info('engines rebuilt with newer headlines');
      try {
        const report = await trader.runIteration();
        io.write(`${report.status}\n`);
        if (options.dryRun) {
          for (const order of report.orders) io.write(`  would place ${order.side} ${order.quantity} ${order.symbol} (client id ${order.clientOrderId}, reference price ${order.referencePrice})\n`);
        }
        last = report;
      } catch (error) {
        // Worth another try at the next interval: the exchange or the LLM endpoint unreachable. Anything else stops.
        const retryable = (error instanceof ExchangeError && error.retryable) || error instanceof LlmUnavailableError;
        if (options.testOnce || !retryable) throw error;
        const message = scrubber.message(error);
        logger.warn({ error: message }, 'iteration failed; retrying at the next interval');
        io.write(`${iso(clock.now())} ${options.mode} | iteration failed, retrying at the next interval: ${message}\n`);
      }
      iterations++;
      if (options.testOnce || (options.maxIterations !== null && iterations >= options.maxIterations) || aborted()) break;
      const next = nextIterationTime(clock.now(), options.intervalMs, source.settleMs);
      if (source.dataEnd !== null && next > source.dataEnd) {
        io.write(`the bundled data ends at ${iso(source.dataEnd)}: replay finished\n`);
        break;
      }
      await clock.sleep(next - clock.now(), signal);
      if (aborted()) break;
    }
    logger.info({ iterations }, 'popagent live stopped');
    return { iterations, last, state, stateDir: options.stateDir, logFile };
  } catch (error) {
    // LiveTrader names its option 'symbols'; the user typed --symbols.
    if (error instanceof ConfigError && error.parameter === 'symbols') {
      throw scrubbed(new ConfigError({ parameter: '--symbols', value: error.value, expected: error.expected, cause: error }), scrubber);
    }
    throw scrubbed(error, scrubber);
  } finally {
    trader?.close();
    reasoner?.close();
    if (controller !== null) {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  }
}

/** Logs a decision: the newest close's at info, catch-up and warm-up history at debug. */
function logProposal(logger: LiveLogger, fresh: boolean, symbol: string, proposal: PopAgentProposal, advice: LiveAdvice | null): void {
  if (fresh) logger.info(proposalRecord(symbol, proposal, advice), 'proposal');
  else logger.debug(proposalRecord(symbol, proposal, advice), 'proposal');
}
