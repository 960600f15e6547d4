import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, DataError, ExchangeError, TIMEFRAME_MS, isTimeframe, parseState } from '@trading-ml/core';
import type { Bar, Timeframe } from '@trading-ml/core';
import { TradingKernel } from '@trading-ml/backtest';
import type { NextBarOpenFillModelOptions, TradingKernelSnapshot } from '@trading-ml/backtest';
import { fetchOhlcvRange } from '@trading-ml/market-data';
import { callWithRetry, findOrderByClientId } from './exchange-calls.js';
import type { RetryListener, RetryPolicy } from './exchange-calls.js';
import { LiveFillModel } from './live-fill-model.js';
import { systemClock } from './live-clock.js';
import type { LiveClock } from './live-clock.js';
import { reconcileIntents, sendIntent, withExchangeState } from './order-flow.js';
import type { CheckpointHook, OrderFlowContext } from './order-flow.js';
import { gateTarget, limitOrderQuantity, parseRiskLimits, riskStateSchema, roundToMarket } from './risk-limits.js';
import type { RiskLimits, RiskState } from './risk-limits.js';
import { SecretScrubber, createLiveLogger } from './secrets.js';
import { SqliteStateStore } from './sqlite-state-store.js';
import { formatStatus } from './status-line.js';
import { trimKernelSnapshot } from './trim-kernel-snapshot.js';
import type { IterationReport, JournalEntry, LiveExchange, LiveMode, LiveStrategy, PlannedOrder, SymbolStepReport } from './types.js';

/** Options of {@link LiveTrader}. Money in quote currency, times in UTC ms. */
export interface LiveTraderOptions {
  /** Bars, markets and (outside paper mode) orders; see {@link createLiveExchange}. */
  readonly exchange: LiveExchange;
  /** Default 'paper': orders are simulated at the next bar's open and never sent. */
  readonly mode?: LiveMode;
  /** Unified symbols, 'BTC/USDT'. */
  readonly symbols: readonly string[];
  /** Bar size; one iteration per bar close. */
  readonly timeframe: Timeframe;
  readonly strategy: LiveStrategy;
  /** SQLite file of the state; or give `stateDir` (file `live-state.sqlite` inside). */
  readonly dbPath?: string;
  readonly stateDir?: string;
  /** Capital of each symbol's book, quote currency (default 10 000). */
  readonly initialCash?: number;
  readonly allowShort?: boolean;
  readonly maxLeverage?: number;
  /** Skip rebalances smaller than this fraction of equity (default 0.01). */
  readonly minRebalanceFraction?: number;
  readonly risk?: RiskLimits;
  /** Fee and slippage of paper fills; the fee rate also estimates fees the exchange does not report. */
  readonly paperFills?: NextBarOpenFillModelOptions;
  /** On a fresh start, closed bars fed to the strategy (not traded) before the first traded bar (default 0). */
  readonly warmupBars?: number;
  /** Decide and report the orders but place none and persist nothing. */
  readonly dryRun?: boolean;
  /** Retries of a failed network call (default 3) and first backoff delay in ms (default 500, doubling). */
  readonly retries?: number;
  readonly minRetryDelayMs?: number;
  /** Wait after a bar's close before fetching it, ms (default 5000): exchanges publish a closed bar a moment late. */
  readonly settleDelayMs?: number;
  /**
   * Bars of history each kernel keeps (default 2000; trimmed in steps of 100 beyond it, with the equity curve, its
   * decisions and fills). The LiveStrategy sees only the new bar, and the journal keeps every decision, so trimming
   * changes no decision; it keeps each per-step commit small (the snapshot is rewritten every step).
   */
  readonly historyLimit?: number;
  /** Clear a persisted kill switch on start. */
  readonly resetKillSwitch?: boolean;
  /** Default: {@link createLiveLogger} on stdout with `secrets` masked. */
  readonly logger?: Logger;
  /** API key and secret, scrubbed from every message (from {@link createLiveExchange}). */
  readonly secrets?: readonly string[];
  readonly clock?: LiveClock;
  /** Runs at named points of an iteration (fault-injection tests pause there). */
  readonly onCheckpoint?: CheckpointHook;
}

interface SymbolBook {
  readonly kernel: TradingKernel;
  readonly fills: LiveFillModel;
  lastCloseTime: number | null;
}

/** What the kernel's strategy adapter returns for the bar being stepped. */
interface PendingTarget {
  target: number;
  fresh: boolean;
  applied: number;
  reason: string | null;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * The live and paper trading loop. Every bar close it fetches the newest closed bars through ccxt, feeds them to
 * the strategy, steps one {@link TradingKernel} per symbol (the backtest code path, with a live fill model),
 * applies the risk limits and the market's precision, commits everything to SQLite in one transaction, and then
 * (testnet/real) sends the orders. See the README for the crash-safety protocol.
 *
 * @example
 * const { exchange, secrets } = await createLiveExchange({ exchangeId: 'binance', mode: 'paper' });
 * const trader = new LiveTrader({ exchange, secrets, symbols: ['BTC/USDT'], timeframe: '1h', strategy, stateDir: 'state' });
 * const report = await trader.run({ testOnce: true });
 * console.log(report.status);
 * trader.close();
 */
export class LiveTrader {
  readonly mode: LiveMode;
  readonly store: SqliteStateStore;
  private readonly options: LiveTraderOptions;
  private readonly limits: RiskLimits;
  private readonly barMs: number;
  private readonly logger: Logger;
  private readonly scrubber: SecretScrubber;
  private readonly clock: LiveClock;
  private readonly policy: RetryPolicy;
  private readonly books = new Map<string, SymbolBook>();
  private readonly initialStrategy: unknown;
  private risk: RiskState | null = null;
  private current: PendingTarget = { target: 0, fresh: false, applied: 0, reason: null };
  private started = false;
  /** Wall-clock time this trader was created: any send by an earlier process happened before it. */
  private readonly createdAt = Date.now();
  /** Per client order id, when this process's last send of it ended with an unknown outcome (wall clock). */
  private readonly unknownOutcomeAt = new Map<string, number>();

  /**
   * @param options - see {@link LiveTraderOptions}.
   * @throws ConfigError for an unknown timeframe or mode, no symbols, neither dbPath nor stateDir, bad retry or
   *   warm-up numbers, or invalid risk limits (and the kernel's own checks of cash and leverage).
   */
  constructor(options: LiveTraderOptions) {
    const { symbols, timeframe, mode = 'paper', retries = 3, minRetryDelayMs = 500, warmupBars = 0 } = options;
    if (!isTimeframe(timeframe)) throw new ConfigError({ parameter: 'timeframe', value: timeframe, expected: "one of '1m', '5m', '15m', '1h', '4h', '1d'" });
    if (mode !== 'paper' && mode !== 'testnet' && mode !== 'real') throw new ConfigError({ parameter: 'mode', value: mode, expected: "'paper', 'testnet' or 'real'" });
    if (!Array.isArray(symbols) || symbols.length === 0 || new Set(symbols).size !== symbols.length) {
      throw new ConfigError({ parameter: 'symbols', value: symbols, expected: "distinct unified symbols such as ['BTC/USDT']" });
    }
    const { strategy } = options;
    if (typeof strategy?.onBar !== 'function' || typeof strategy.snapshot !== 'function' || typeof strategy.restore !== 'function') {
      throw new ConfigError({ parameter: 'strategy', value: strategy, expected: 'a LiveStrategy with onBar(symbol, bar), snapshot() and restore(state)' });
    }
    if (!Number.isInteger(retries) || retries < 0) throw new ConfigError({ parameter: 'retries', value: retries, expected: 'an integer ≥ 0' });
    if (!Number.isFinite(minRetryDelayMs) || minRetryDelayMs < 0) throw new ConfigError({ parameter: 'minRetryDelayMs', value: minRetryDelayMs, expected: 'a delay in ms ≥ 0' });
    const historyLimit = options.historyLimit ?? 2000;
    if (!Number.isInteger(historyLimit) || historyLimit < 1) throw new ConfigError({ parameter: 'historyLimit', value: historyLimit, expected: 'an integer ≥ 1 (bars)' });
    if (!Number.isInteger(warmupBars) || warmupBars < 0) throw new ConfigError({ parameter: 'warmupBars', value: warmupBars, expected: 'an integer ≥ 0' });
    const dbPath = options.dbPath ?? (options.stateDir !== undefined ? join(options.stateDir, 'live-state.sqlite') : undefined);
    if (dbPath === undefined) throw new ConfigError({ parameter: 'dbPath', value: undefined, expected: 'a SQLite file path (dbPath) or a state directory (stateDir)' });
    this.options = options;
    this.mode = mode;
    this.limits = parseRiskLimits(options.risk ?? {});
    this.barMs = TIMEFRAME_MS[timeframe];
    this.scrubber = new SecretScrubber(options.secrets ?? []);
    this.logger = options.logger ?? createLiveLogger({ secrets: options.secrets ?? [] });
    this.clock = options.clock ?? systemClock;
    this.policy = { retries, minDelayMs: minRetryDelayMs };
    for (const symbol of symbols) {
      const fills = new LiveFillModel(options.paperFills);
      const kernel = new TradingKernel({
        symbol,
        fillModel: fills,
        strategy: { onBar: (bar, context) => this.gate(symbol, bar, context.equity, context.position.quantity) },
        initialCash: options.initialCash ?? 10_000,
        allowShort: options.allowShort ?? false,
        maxLeverage: options.maxLeverage ?? 1,
        minRebalanceFraction: options.minRebalanceFraction ?? 0.01,
      });
      this.books.set(symbol, { kernel, fills, lastCloseTime: null });
    }
    this.initialStrategy = options.strategy.snapshot();
    this.store = new SqliteStateStore(dbPath);
  }

  /**
   * Loads the markets, restores the persisted state and reconciles pending intents with the exchange. Called by the
   * first iteration; call it yourself to fail early on a bad symbol or key.
   * @throws ConfigError when a symbol is not a market of the exchange; ExchangeError when the markets cannot be loaded;
   *   StateError when the persisted state does not fit.
   */
  async start(): Promise<void> {
    if (this.started) return;
    const { exchange } = this.options;
    await callWithRetry('loadMarkets', () => exchange.loadMarkets(true), this.policy, { exchange: exchange.id, scrubber: this.scrubber, onRetry: this.onRetry });
    for (const symbol of this.options.symbols) {
      try {
        exchange.market(symbol);
      } catch (error) {
        throw new ConfigError({ parameter: 'symbols', value: symbol, expected: `a spot market of ${exchange.id} (${this.scrubber.message(error)})` });
      }
    }
    this.loadState();
    if (this.options.resetKillSwitch === true && this.risk?.halted) {
      this.logger.warn({ halted: this.risk.halted }, 'kill switch reset on request');
      this.risk = { ...this.risk, halted: null };
    }
    this.started = true;
    this.logger.info({ mode: this.mode, symbols: this.options.symbols, timeframe: this.options.timeframe, db: this.store.path, dryRun: this.options.dryRun === true }, 'live trader started');
  }

  /**
   * Runs iterations: one now, then one after every bar close (+ settle delay) until `signal` aborts.
   * @param options - `testOnce`: one iteration without waiting; `signal` stops the loop; `onReport` sees each report.
   * @returns the last iteration's report.
   */
  async run(options: { testOnce?: boolean; signal?: AbortSignal; onReport?: (report: IterationReport) => void } = {}): Promise<IterationReport> {
    const aborted = (): boolean => options.signal?.aborted === true;
    for (;;) {
      const report = await this.runIteration();
      options.onReport?.(report);
      if (options.testOnce === true || aborted()) return report;
      const nextClose = (Math.floor(this.clock.now() / this.barMs) + 1) * this.barMs;
      await this.clock.sleep(nextClose + (this.options.settleDelayMs ?? 5000) - this.clock.now(), options.signal);
      if (aborted()) return report;
    }
  }

  /**
   * One full iteration at the clock's current time: reconcile, fetch, decide, commit, send.
   * @returns what happened, with a one-line status.
   * @throws StateError / DataError for corrupt state or a strategy returning a non-finite target (in-memory state is
   *   rolled back to the last commit first); exchange failures never throw here, they skip the symbol with a reason.
   */
  async runIteration(): Promise<IterationReport> {
    await this.start();
    const now = this.clock.now();
    const dryRun = this.options.dryRun === true;
    const flow = this.flowContext();
    const feeRate = (this.books.values().next().value as SymbolBook).fills.feeRate;
    const unresolved = this.mode === 'paper' || dryRun ? new Set<string>() : await reconcileIntents(flow, now, this.barMs, feeRate);
    const newestClose = Math.floor(now / this.barMs) * this.barMs;
    const rows: JournalEntry[] = [];
    const orders: PlannedOrder[] = [];
    const reports: SymbolStepReport[] = [];
    try {
      for (const symbol of this.options.symbols) reports.push(await this.stepSymbol(symbol, now, newestClose, unresolved, rows, orders));
    } catch (error) {
      this.loadState(); // never leave half an iteration in memory
      throw error;
    }
    if (dryRun) {
      this.loadState();
    } else {
      const kernels = new Map<string, TradingKernelSnapshot>();
      for (const [symbol, book] of this.books) kernels.set(symbol, this.trimmedSnapshot(book.kernel));
      this.store.commit({ kernels, strategy: this.options.strategy.snapshot(), risk: this.risk, journal: rows }, now);
      await this.checkpoint('after-commit', {});
      if (this.mode !== 'paper') {
        for (const order of orders) {
          const entry = this.store.entryByClientOrderId(order.clientOrderId);
          if (entry?.status === 'pending') await sendIntent(flow, entry, order, feeRate);
        }
      }
    }
    const equity = [...this.books.values()].reduce((sum, b) => sum + b.kernel.equity, 0);
    const decisions = reports.map((r) => (r.decision ? { ...r, decision: this.store.entryByClientOrderId(r.decision.clientOrderId ?? '') ?? r.decision } : r));
    const report = { now, mode: this.mode, dryRun, symbols: decisions, orders, equity, halted: this.risk?.halted ?? null };
    const status = formatStatus(report);
    this.logger.info({ now: iso(now), equity, orders: orders.length, halted: report.halted }, status);
    await this.checkpoint('after-iteration', {});
    return { ...report, status };
  }

  /** Closes the SQLite database. */
  close(): void {
    this.store.close();
  }

  private async stepSymbol(symbol: string, now: number, newestClose: number, unresolved: Set<string>, rows: JournalEntry[], orders: PlannedOrder[]): Promise<SymbolStepReport> {
    const book = this.books.get(symbol) as SymbolBook;
    const skip = (reason: string): SymbolStepReport => {
      this.logger.warn({ symbol, reason }, 'step skipped');
      return { symbol, barsStepped: 0, skipped: reason, decision: null, equity: book.kernel.equity };
    };
    if (book.lastCloseTime !== null && book.lastCloseTime >= newestClose) return { symbol, barsStepped: 0, skipped: null, decision: null, equity: book.kernel.equity };
    const pending = book.kernel.pendingOrder;
    if (pending !== null && unresolved.has(pending.clientOrderId)) return skip(`outcome of order ${pending.clientOrderId} unknown (exchange unreachable); not stepping until it is reconciled`);
    const since = book.lastCloseTime ?? newestClose - (this.options.warmupBars ?? 0) * this.barMs - this.barMs;
    let bars: Bar[];
    try {
      bars = await fetchOhlcvRange({ exchange: this.options.exchange, symbol, timeframe: this.options.timeframe, since, until: newestClose - this.barMs, now, retries: this.policy.retries, minRetryDelayMs: this.policy.minDelayMs });
    } catch (error) {
      if (error instanceof ExchangeError || error instanceof DataError) return skip(`bars unavailable: ${this.scrubber.message(error)}`);
      throw error;
    }
    const newest = bars[bars.length - 1];
    if (newest === undefined || newest.closeTime !== newestClose) {
      return skip(`late or missing bar: the bar closing at ${iso(newestClose)} is not served yet (newest served closes at ${newest ? iso(newest.closeTime) : 'none'})`);
    }
    if (bars[0] !== undefined && book.lastCloseTime !== null && bars[0].openTime !== book.lastCloseTime) {
      this.logger.warn({ symbol, from: iso(book.lastCloseTime), to: iso(bars[0].openTime) }, 'gap in the served bars: missing bars are not filled');
    }
    let previous = pending === null ? null : this.store.entryByClientOrderId(pending.clientOrderId);
    if (previous !== null && previous.status === 'sent' && previous.fillPrice === null && previous.clientOrderId !== null) {
      // The order's answer carried no fill (e.g. an ACK response): ask the exchange how it filled.
      try {
        const state = await findOrderByClientId(this.options.exchange, symbol, previous.clientOrderId, this.policy, { scrubber: this.scrubber, onRetry: this.onRetry });
        if (state !== null) previous = withExchangeState(previous, state, book.fills.feeRate);
      } catch (error) {
        return skip(`fill of order ${previous.clientOrderId} unknown: ${this.scrubber.message(error)}`);
      }
    }
    book.fills.clear();
    const fillUpdate = previous === null ? null : this.expectFill(book, previous);
    let decision: JournalEntry | null = null;
    for (const [index, bar] of bars.entries()) {
      const target = await this.options.strategy.onBar(symbol, bar);
      if (typeof target !== 'number' || !Number.isFinite(target)) {
        throw new DataError({ location: { column: `strategy target of ${symbol} at ${iso(bar.closeTime)}` }, value: target, expected: 'a finite exposure in [−1, 1]' });
      }
      const fresh = index === bars.length - 1;
      this.current = { target, fresh, applied: target, reason: null };
      book.kernel.step(bar);
      book.lastCloseTime = bar.closeTime;
      if (index === 0 && fillUpdate !== null) rows.push(this.recordFill(fillUpdate, book));
      const entry = this.decide(symbol, book, bar, target, fresh, orders);
      rows.push(entry);
      if (fresh) decision = entry;
    }
    return { symbol, barsStepped: bars.length, skipped: null, decision, equity: book.kernel.equity };
  }

  /** Strategy adapter of the kernel: the precomputed target, gated by the loss stops on a fresh bar. */
  private gate(symbol: string, bar: Bar, equity: number, quantity: number): number {
    if (!this.current.fresh) return this.current.target;
    let totalEquity = equity;
    for (const [other, book] of this.books) if (other !== symbol) totalEquity += book.kernel.equity;
    const held = equity > 0 ? (quantity * bar.close) / equity : 0;
    const gated = gateTarget(this.limits, this.risk, { time: bar.closeTime, totalEquity, target: this.current.target, held });
    this.risk = gated.state;
    this.current.applied = gated.target;
    this.current.reason = gated.reason;
    return gated.target;
  }

  private decide(symbol: string, book: SymbolBook, bar: Bar, target: number, fresh: boolean, orders: PlannedOrder[]): JournalEntry {
    const { kernel } = book;
    const low = kernel.allowShort ? -kernel.maxLeverage : 0;
    const applied = Math.min(kernel.maxLeverage, Math.max(low, this.current.applied));
    const base: JournalEntry = {
      symbol, decidedAt: bar.closeTime, strategyTarget: target, appliedTarget: applied, clientOrderId: null, side: null, quantity: null,
      status: 'no-order', reason: this.current.reason, exchangeOrderId: null, fillPrice: null, fillQuantity: null, fee: null,
    };
    const order = kernel.pendingOrder;
    if (order === null || order.decidedAt !== bar.closeTime) return base;
    const withOrder = { ...base, clientOrderId: order.clientOrderId, side: order.side, quantity: order.quantity };
    if (!fresh) return { ...withOrder, status: 'skipped', reason: `catch-up bar (closed ${iso(bar.closeTime)}, before the newest close): learned, not traded` };
    let otherExposure = 0;
    // equity − cash = quantity·close at that symbol's last close
    for (const [other, b] of this.books) if (other !== symbol) otherExposure += Math.abs(b.kernel.equity - b.kernel.cash);
    const totalEquity = [...this.books.values()].reduce((sum, b) => sum + b.kernel.equity, 0);
    const limited = limitOrderQuantity(this.limits, { side: order.side, quantity: order.quantity, price: bar.close, position: kernel.position.quantity, otherExposure, totalEquity });
    const notes = [this.current.reason, ...limited.notes].filter((n): n is string => n !== null);
    if (!(limited.quantity > 0)) return { ...withOrder, quantity: 0, status: 'skipped', reason: notes.join('; ') || 'risk limits leave no room' };
    const rounded = roundToMarket(this.options.exchange, symbol, limited.quantity, bar.close);
    if ('skip' in rounded) return { ...withOrder, quantity: limited.quantity, status: 'skipped', reason: [...notes, rounded.skip].join('; ') };
    const planned: PlannedOrder = { clientOrderId: order.clientOrderId, symbol, side: order.side, quantity: rounded.quantity, decidedAt: bar.closeTime, referencePrice: bar.close };
    orders.push(planned);
    const status = this.options.dryRun === true ? 'skipped' : this.mode === 'paper' ? 'paper' : 'pending';
    const reason = [...notes, ...(this.options.dryRun === true ? ['dry run: not placed'] : [])].join('; ') || null;
    return { ...withOrder, quantity: rounded.quantity, status, reason };
  }

  /** Tells the fill model what became of the previous decision's order; returns the row to update after the step. */
  private expectFill(book: SymbolBook, previous: JournalEntry): JournalEntry | null {
    const id = previous.clientOrderId as string;
    if (previous.status === 'paper') book.fills.expect(id, { kind: 'paper', quantity: previous.quantity as number });
    else if (previous.status === 'sent' && previous.fillPrice !== null && previous.fillQuantity !== null) {
      book.fills.expect(id, { kind: 'exchange', price: previous.fillPrice, quantity: previous.fillQuantity, fee: previous.fee ?? 0, time: null });
    } else if (previous.status !== 'sent') return null;
    return previous;
  }

  private recordFill(previous: JournalEntry, book: SymbolBook): JournalEntry {
    const fill = book.fills.lastFill;
    if (fill === null) return { ...previous, status: 'unfilled', reason: [previous.reason, 'no fill reported by the next bar'].filter(Boolean).join('; ') };
    return { ...previous, status: 'filled', fillPrice: fill.price, fillQuantity: fill.quantity, fee: fill.fee };
  }

  /** The kernel's snapshot, trimmed to `historyLimit` bars (and restored so) once it has grown 100 bars beyond it. */
  private trimmedSnapshot(kernel: TradingKernel): TradingKernelSnapshot {
    const snapshot = kernel.snapshot();
    const limit = this.options.historyLimit ?? 2000;
    if (snapshot.history.length <= limit + 100) return snapshot;
    const trimmed = trimKernelSnapshot(snapshot, limit);
    kernel.restore(trimmed);
    return trimmed;
  }

  private loadState(): void {
    const saved = this.store.load();
    for (const [symbol, book] of this.books) {
      const snapshot = saved.kernels.get(symbol);
      if (snapshot !== undefined) {
        book.kernel.restore(snapshot as TradingKernelSnapshot);
        book.lastCloseTime = (snapshot as TradingKernelSnapshot).lastCloseTime;
      } else {
        book.kernel.restore({ ...new TradingKernel({ symbol, strategy: { onBar: () => null }, fillModel: book.fills, initialCash: book.kernel.initialCash }).snapshot() });
        book.lastCloseTime = null;
      }
    }
    this.options.strategy.restore(saved.strategy !== undefined ? saved.strategy : this.initialStrategy);
    this.risk = saved.risk === undefined || saved.risk === null ? null : parseState('live risk state', riskStateSchema, saved.risk);
  }

  private flowContext(): OrderFlowContext {
    const { store, policy, scrubber, logger, onRetry, unknownOutcomeAt, createdAt } = this;
    return { exchange: this.options.exchange, store, policy, scrubber, logger, onRetry, checkpoint: (p, d) => this.checkpoint(p, d), unknownOutcomeAt, createdAt };
  }

  private readonly onRetry: RetryListener = (info) => this.logger.warn(info, 'retrying exchange call');

  private async checkpoint(point: Parameters<CheckpointHook>[0], detail: Parameters<CheckpointHook>[1]): Promise<void> {
    await this.options.onCheckpoint?.(point, detail);
  }
}
