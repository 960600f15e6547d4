import { setTimeout as delay } from 'node:timers/promises';
import pRetry from 'p-retry';
import { z } from 'zod';
import { ExchangeError } from '@trading-ml/core';
import { loadCcxt } from './load-ccxt.js';
import type { CcxtModule } from './load-ccxt.js';
import type { SecretScrubber } from './secrets.js';
import type { LiveExchange, PlannedOrder } from './types.js';

/** Bounded retry with exponential backoff for calls that failed for a reason a retry can fix. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most retries + 1 calls), integer ≥ 0. */
  readonly retries: number;
  /** Delay before the first retry in ms; doubles per retry, capped at 30 s. */
  readonly minDelayMs: number;
}

/** Called once per failed attempt that will be retried (for logging). */
export type RetryListener = (info: { action: string; attempt: number; retriesLeft: number; message: string }) => void;

/** The ccxt error classes the calls tell apart (ccxt is imported lazily, see load-ccxt.ts). */
type CcxtErrors = Pick<CcxtModule, 'NetworkError' | 'OrderNotFound'>;

function retryable(error: unknown, ccxt: CcxtErrors): boolean {
  if (error instanceof ExchangeError) return error.retryable;
  return error instanceof ccxt.NetworkError;
}

function mapError(error: unknown, exchange: string, action: string, scrubber: SecretScrubber, ccxt: CcxtErrors): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const kind = error instanceof Error ? error.constructor.name : typeof error;
  return new ExchangeError({ exchange, retryable: retryable(error, ccxt), message: `${action} failed (${kind}): ${scrubber.message(error)}`, cause: error });
}

/**
 * Whether a ccxt error is worth retrying: NetworkError and its subclasses (RequestTimeout, RateLimitExceeded,
 * DDoSProtection, ExchangeNotAvailable for HTTP 5xx). Asynchronous because ccxt is imported on first use.
 * @param error - anything thrown by a ccxt call (or a core ExchangeError, judged by its `retryable`).
 * @returns (a promise of) true when a retry can help.
 * @see ccxt ts/src/base/errorHierarchy.ts
 * @example
 * await isRetryableExchangeError(new ccxt.RequestTimeout('binance GET … timed out')); // true
 * await isRetryableExchangeError(new ccxt.InsufficientFunds('binance …')); // false
 */
export async function isRetryableExchangeError(error: unknown): Promise<boolean> {
  return retryable(error, await loadCcxt());
}

/**
 * Maps anything an exchange call threw to core's {@link ExchangeError} (retryable for ccxt NetworkError and
 * subclasses, not for ExchangeError such as InsufficientFunds, InvalidOrder, BadSymbol), with the message scrubbed
 * of secrets and naming the action and the ccxt error class. Asynchronous because ccxt is imported on first use.
 * @param error - what the call threw.
 * @param exchange - exchange id for the message.
 * @param action - e.g. "createOrder BTC/USDT buy 0.01 (BTC/USDT-1700000000000)".
 * @param scrubber - removes API key and secret from the message.
 * @returns (a promise of) the mapped error (the original is kept as `cause`).
 * @see ccxt ts/src/base/errorHierarchy.ts
 * @example
 * (await toExchangeError(new ccxt.InvalidOrder('binance Filter failure: LOT_SIZE'), 'binance', 'createOrder BTC/USDT', scrubber)).message;
 * // 'binance: createOrder BTC/USDT failed (InvalidOrder): binance Filter failure: LOT_SIZE'
 */
export async function toExchangeError(error: unknown, exchange: string, action: string, scrubber: SecretScrubber): Promise<ExchangeError> {
  return mapError(error, exchange, action, scrubber, await loadCcxt());
}

/**
 * Runs an exchange call with bounded retries for retryable errors; other errors fail at once.
 * @param action - names the call in messages.
 * @param call - the exchange call.
 * @param policy - retries and first delay.
 * @param context - exchange id, scrubber, optional retry listener.
 * @returns what the call resolved to.
 * @throws ExchangeError retryable=true once the retries are used up, retryable=false for an exchange rejection.
 * @see p-retry (exponential backoff, factor 2).
 * @example
 * await callWithRetry('loadMarkets', () => exchange.loadMarkets(true), { retries: 3, minDelayMs: 500 }, { exchange: 'binance', scrubber });
 */
export async function callWithRetry<T>(
  action: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  context: { exchange: string; scrubber: SecretScrubber; onRetry?: RetryListener },
): Promise<T> {
  const ccxt = await loadCcxt();
  try {
    return await pRetry(call, {
      retries: policy.retries,
      factor: 2,
      minTimeout: policy.minDelayMs,
      maxTimeout: 30_000,
      randomize: false,
      shouldRetry: ({ error }) => retryable(error, ccxt),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0 && retryable(error, ccxt)) {
          context.onRetry?.({ action, attempt: attemptNumber, retriesLeft, message: context.scrubber.message(error) });
        }
      },
    });
  } catch (error) {
    const mapped = mapError(error, context.exchange, action, context.scrubber, ccxt);
    if (!mapped.retryable) throw mapped;
    throw new ExchangeError({ exchange: context.exchange, retryable: true, message: `${action}: gave up after ${policy.retries + 1} attempts: ${context.scrubber.message(error)}`, cause: error });
  }
}

const num = z.number().finite().nullish();

/** The fields of a ccxt unified order the loop reads. */
const orderSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  clientOrderId: z.string().nullish(),
  status: z.string().nullish(),
  filled: num,
  average: num,
  price: num,
  timestamp: num,
  fee: z.object({ cost: num, currency: z.string().nullish() }).nullish(),
  fees: z.array(z.object({ cost: num, currency: z.string().nullish() })).nullish(),
});

/** An exchange order as the loop needs it. */
export interface ExchangeOrderState {
  readonly exchangeOrderId: string;
  /** ccxt unified status: 'open', 'closed', 'canceled', 'expired', 'rejected'. */
  readonly status: string;
  /** Filled base quantity (gross, before a commission taken in the base asset). */
  readonly filled: number;
  /** Average fill price, quote per base, or null before any fill. */
  readonly average: number | null;
  /** Commission paid in the quote asset, or null when the exchange reported none in base or quote (estimate it then). */
  readonly feeQuote: number | null;
  /** Commission paid in the base asset (Binance takes a buy's commission from the bought coin), base units. */
  readonly feeBase: number;
  /** UTC ms of the order, or null. */
  readonly timestamp: number | null;
}

/**
 * Validates a ccxt order response and extracts the fill information.
 * @param raw - a ccxt unified order.
 * @param symbol - 'BASE/QUOTE', to tell a commission in the quote asset from one in the base asset.
 * @param exchange - exchange id for messages.
 * @returns the order's state; a commission in a third asset (e.g. BNB) is left out (feeQuote null unless quote or
 *   base commissions were reported too).
 * @throws ExchangeError (retryable=false) when the response does not look like an order.
 * @see ccxt Manual, "Order structure" (filled, average, fee, fees).
 * @example
 * readExchangeOrder({ id: '7', status: 'closed', filled: 0.5, average: 100, fees: [{ cost: 0.05, currency: 'USDT' }] }, 'BTC/USDT', 'binance');
 * // { exchangeOrderId: '7', status: 'closed', filled: 0.5, average: 100, feeQuote: 0.05, feeBase: 0, timestamp: null }
 */
export function readExchangeOrder(raw: unknown, symbol: string, exchange: string): ExchangeOrderState {
  const parsed = orderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExchangeError({ exchange, retryable: false, message: `unexpected order response for ${symbol}: field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}` });
  }
  const o = parsed.data;
  const [base, quote] = symbol.split('/');
  const average = o.average ?? (o.filled && o.price ? o.price : null);
  const fees = o.fees && o.fees.length > 0 ? o.fees : o.fee ? [o.fee] : [];
  let feeQuote: number | null = null;
  let feeBase = 0;
  for (const fee of fees) {
    if (fee.currency === quote) feeQuote = (feeQuote ?? 0) + (fee.cost ?? 0);
    else if (fee.currency === base) {
      feeBase += fee.cost ?? 0;
      feeQuote ??= 0;
    }
  }
  return { exchangeOrderId: o.id, status: o.status ?? 'open', filled: o.filled ?? 0, average, feeQuote, feeBase, timestamp: o.timestamp ?? null };
}

/**
 * Looks an order up by its client order id (fetchOrder with `clientOrderId`, which ccxt sends as Binance's
 * `origClientOrderId` / Bybit's `orderLinkId`).
 * @param exchange - loaded ccxt exchange.
 * @param symbol - unified symbol of the order.
 * @param clientOrderId - the id the order was sent with.
 * @param policy - retries for network trouble.
 * @param context - scrubber and retry listener.
 * @returns the order, or null when the exchange says it does not exist (ccxt OrderNotFound).
 * @throws ExchangeError when the exchange cannot be asked (after retries) or rejects the query.
 * @see Binance Spot API, "Query order" (`origClientOrderId`).
 * @example
 * const order = await findOrderByClientId(exchange, 'BTC/USDT', 'BTC/USDT-1704103200000', { retries: 3, minDelayMs: 500 }, { scrubber });
 */
export async function findOrderByClientId(
  exchange: LiveExchange,
  symbol: string,
  clientOrderId: string,
  policy: RetryPolicy,
  context: { scrubber: SecretScrubber; onRetry?: RetryListener },
): Promise<ExchangeOrderState | null> {
  const ccxt = await loadCcxt();
  try {
    const raw = await callWithRetry(`fetchOrder ${symbol} ${clientOrderId}`, () => exchange.fetchOrder('', symbol, { clientOrderId }), policy, { exchange: exchange.id, ...context });
    return readExchangeOrder(raw, symbol, exchange.id);
  } catch (error) {
    if (error instanceof ExchangeError && error.cause instanceof ccxt.OrderNotFound) return null;
    throw error;
  }
}

/** Extra wait beyond the exchange's receive window before "not found" counts as final: local vs exchange clock, ms. */
export const CLOCK_SKEW_MARGIN_MS = 1_000;
/** The receive window assumed when the client does not say (Binance's largest allowed recvWindow), ms. */
const MAX_RECV_WINDOW_MS = 60_000;

/**
 * How long after its timestamp the exchange may still accept a signed request: ccxt's `options.recvWindow` (sent
 * with every signed request; ccxt's defaults are 10 s for Binance and 5 s for Bybit), or 60 s when unset.
 * A request the exchange processes later than that is rejected ("outside of the recvWindow"), so an order still
 * unknown to the exchange that long after it was sent will never appear.
 * @param exchange - a ccxt exchange.
 * @returns the window in ms.
 * @see Binance Spot API, "Timing security" (recvWindow); Bybit v5 API, "recv_window".
 */
export function receiveWindowMs(exchange: LiveExchange): number {
  const window = (exchange as { options?: { recvWindow?: unknown } }).options?.recvWindow;
  return typeof window === 'number' && Number.isFinite(window) && window > 0 ? window : MAX_RECV_WINDOW_MS;
}

/**
 * When a lookup of an order becomes final: `signedBy + recvWindow + margin`, where `signedBy` is a wall-clock time
 * no earlier than the request's signed timestamp (e.g. when the attempt failed: ccxt signs after its rate limiter,
 * so the moment of sending is not a safe base).
 * @param exchange - the ccxt exchange the order went to.
 * @param signedBy - wall-clock time at or after the request's timestamp, UTC ms.
 * @returns UTC ms.
 */
export function definitiveAt(exchange: LiveExchange, signedBy: number): number {
  return signedBy + receiveWindowMs(exchange) + CLOCK_SKEW_MARGIN_MS;
}

/**
 * Places a market order at most once. When an attempt fails with a retryable error (e.g. a timeout after the
 * exchange already accepted it), the order is looked up by its client order id before the next attempt, and only
 * once the exchange's receive window for the attempt has passed ({@link definitiveAt}): an order it has not
 * accepted by then it never will, so a retry never places a second order. Times here are wall-clock (the exchange's
 * clock), not the loop's simulated clock.
 * @param exchange - loaded ccxt exchange with keys.
 * @param order - the planned order; its clientOrderId goes to the exchange.
 * @param policy - attempts after the first, and the first backoff delay (doubling).
 * @param context - scrubber, retry listener, and `onUnknownOutcome`, called with the wall-clock time of each attempt
 *   whose outcome is unknown (a timeout, a lost connection).
 * @returns the exchange's view of the placed order.
 * @throws ExchangeError retryable=false when the exchange rejects it (InsufficientFunds, InvalidOrder, BadSymbol);
 *   retryable=true when the outcome is still unknown after the retries (the intent stays pending and is reconciled).
 * @see ccxt Manual, "Placing orders" (`params.clientOrderId`).
 * @example
 * await placeOrderOnce(exchange, { clientOrderId: 'BTC/USDT-1704103200000', symbol: 'BTC/USDT', side: 'buy', quantity: 0.01,
 *   decidedAt: 1704103200000, referencePrice: 42000 }, { retries: 3, minDelayMs: 500 }, { scrubber });
 */
export async function placeOrderOnce(
  exchange: LiveExchange,
  order: PlannedOrder,
  policy: RetryPolicy,
  context: { scrubber: SecretScrubber; onRetry?: RetryListener; onUnknownOutcome?: (clientOrderId: string, at: number) => void },
): Promise<ExchangeOrderState> {
  const ccxt = await loadCcxt();
  const action = `createOrder ${order.symbol} ${order.side} ${order.quantity} (${order.clientOrderId})`;
  let lastError: unknown;
  let failedAt = Date.now();
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) {
      // Ask only once the exchange can no longer accept the attempt still in flight: "not found" is then final.
      const backoff = Math.min(30_000, policy.minDelayMs * 2 ** (attempt - 1));
      await delay(Math.max(backoff, definitiveAt(exchange, failedAt) - Date.now()));
      const existing = await findOrderByClientId(exchange, order.symbol, order.clientOrderId, { retries: 0, minDelayMs: policy.minDelayMs }, context).catch(() => undefined);
      if (existing) return existing;
      if (existing === undefined) continue; // could not even ask: do not risk a duplicate, wait and ask again
    }
    try {
      const raw = await exchange.createOrder(order.symbol, 'market', order.side, order.quantity, undefined, { clientOrderId: order.clientOrderId });
      return readExchangeOrder(raw, order.symbol, exchange.id);
    } catch (error) {
      lastError = error;
      if (!retryable(error, ccxt)) throw mapError(error, exchange.id, action, context.scrubber, ccxt);
      // The request was signed (its timestamp set) before this moment: a safe base for its receive window.
      failedAt = Date.now();
      context.onUnknownOutcome?.(order.clientOrderId, failedAt);
      if (attempt < policy.retries) context.onRetry?.({ action, attempt: attempt + 1, retriesLeft: policy.retries - attempt, message: context.scrubber.message(error) });
    }
  }
  throw new ExchangeError({ exchange: exchange.id, retryable: true, message: `${action}: outcome unknown after ${policy.retries + 1} attempts: ${context.scrubber.message(lastError)}`, cause: lastError });
}
