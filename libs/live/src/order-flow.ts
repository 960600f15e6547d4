import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ExchangeError } from '@trading-ml/core';
import { definitiveAt, findOrderByClientId, placeOrderOnce } from './exchange-calls.js';
import type { ExchangeOrderState, RetryListener, RetryPolicy } from './exchange-calls.js';
import type { SecretScrubber } from './secrets.js';
import type { SqliteStateStore } from './sqlite-state-store.js';
import type { JournalEntry, LiveExchange, PlannedOrder } from './types.js';

/** Named points of an iteration where a hook may run (tests pause there and kill the process). */
export type LiveCheckpoint = 'after-commit' | 'before-send' | 'after-send' | 'after-iteration';

/** Called at each {@link LiveCheckpoint}. */
export type CheckpointHook = (point: LiveCheckpoint, detail: { clientOrderId?: string }) => void | Promise<void>;

/** What sending and reconciling need. */
export interface OrderFlowContext {
  readonly exchange: LiveExchange;
  readonly store: SqliteStateStore;
  readonly policy: RetryPolicy;
  readonly scrubber: SecretScrubber;
  readonly logger: Logger;
  readonly onRetry: RetryListener;
  readonly checkpoint: CheckpointHook;
  /** Per client order id, when this process's last send of it ended with an unknown outcome (wall clock, ms). */
  readonly unknownOutcomeAt: Map<string, number>;
  /** Wall-clock time the trader was created: intents sent by an earlier process were sent before it. */
  readonly createdAt: number;
}

/**
 * The journal row after the exchange reported the order: status 'sent' and, once something filled, the fill in the
 * book's terms. A commission taken in the base asset is netted out of the quantity at an unchanged quote outlay
 * (quantity = filled − feeBase, price = filled·average / quantity), so the book holds what the account holds.
 * @param entry - the intent's row.
 * @param state - the exchange's view of the order.
 * @param feeRate - estimates the fee when the exchange reported none (an order query, a commission in BNB).
 * @returns the updated row.
 */
export function withExchangeState(entry: JournalEntry, state: ExchangeOrderState, feeRate: number): JournalEntry {
  const filled = state.filled > 0 && state.average !== null;
  if (!filled) return { ...entry, status: 'sent', exchangeOrderId: state.exchangeOrderId, fillPrice: null, fillQuantity: null, fee: null };
  const average = state.average as number;
  const net = state.filled - state.feeBase;
  return {
    ...entry,
    status: 'sent',
    exchangeOrderId: state.exchangeOrderId,
    fillPrice: net > 0 ? (state.filled * average) / net : average,
    fillQuantity: net > 0 ? net : state.filled,
    // Binance's order query reports no commission; estimate it at the configured rate then.
    fee: state.feeQuote ?? state.filled * average * feeRate,
  };
}

/**
 * Sends one journaled intent (status 'pending') and records the answer: 'sent' (with the fill when the exchange
 * reported one) or 'rejected' for a non-retryable exchange error. When the outcome stays unknown (retries used
 * up), the intent stays 'pending' and is reconciled at the next start or iteration.
 * @returns the updated journal row.
 */
export async function sendIntent(context: OrderFlowContext, entry: JournalEntry, order: PlannedOrder, feeRate: number): Promise<JournalEntry> {
  await context.checkpoint('before-send', { clientOrderId: order.clientOrderId });
  let updated: JournalEntry;
  try {
    const state = await placeOrderOnce(context.exchange, order, context.policy, { ...context, onUnknownOutcome: (id, at) => context.unknownOutcomeAt.set(id, at) });
    await context.checkpoint('after-send', { clientOrderId: order.clientOrderId });
    updated = withExchangeState(entry, state, feeRate);
    context.logger.info({ clientOrderId: order.clientOrderId, exchangeOrderId: state.exchangeOrderId, status: state.status, filled: state.filled, average: state.average }, 'order placed');
  } catch (error) {
    if (!(error instanceof ExchangeError)) throw error;
    if (error.retryable) {
      context.logger.warn({ clientOrderId: order.clientOrderId, error: error.message }, 'order outcome unknown; will reconcile');
      return entry;
    }
    updated = { ...entry, status: 'rejected', reason: error.message };
    context.logger.error({ clientOrderId: order.clientOrderId, error: error.message }, 'order rejected by the exchange');
  }
  context.store.updateJournal([updated]);
  return updated;
}

/** Asks the exchange for an intent's order; a "not found" is confirmed once the last send can no longer be accepted. */
async function lookUpFinal(context: OrderFlowContext, entry: JournalEntry): Promise<ExchangeOrderState | null> {
  const clientOrderId = entry.clientOrderId as string;
  const found = await findOrderByClientId(context.exchange, entry.symbol, clientOrderId, context.policy, context);
  if (found !== null) return found;
  // Sent by this process: signed before its attempt failed; by an earlier one (a crash mid-send): before this trader existed.
  const finalAt = definitiveAt(context.exchange, context.unknownOutcomeAt.get(clientOrderId) ?? context.createdAt);
  const wait = finalAt - Date.now();
  if (wait <= 0) return null;
  context.logger.info({ clientOrderId, waitMs: wait }, 'order not found yet; asking again once the exchange can no longer accept it');
  await delay(wait);
  return findOrderByClientId(context.exchange, entry.symbol, clientOrderId, context.policy, context);
}

/**
 * Reconciles every intent whose outcome is unknown (status 'pending') with the exchange, before anything else runs:
 * found by client order id → 'sent'; not found and its fill bar not yet closed (now < decidedAt + bar duration) →
 * sent now; not found and too late → 'expired'. An intent the exchange cannot be asked about stays 'pending'.
 * "Not found" counts only once the exchange's receive window for the last send has passed (wall clock; for an
 * intent left by an earlier process, counted from this trader's creation), so a request still in flight is never
 * duplicated.
 * @param now - current time, UTC ms.
 * @param barMs - bar duration, ms.
 * @returns the clientOrderIds still unresolved.
 */
export async function reconcileIntents(context: OrderFlowContext, now: number, barMs: number, feeRate: number): Promise<Set<string>> {
  const unresolved = new Set<string>();
  for (const entry of context.store.journal({ status: ['pending'] })) {
    const clientOrderId = entry.clientOrderId as string;
    let found: ExchangeOrderState | null;
    try {
      found = await lookUpFinal(context, entry);
    } catch (error) {
      context.logger.warn({ clientOrderId, error: context.scrubber.message(error) }, 'cannot reconcile intent yet');
      unresolved.add(clientOrderId);
      continue;
    }
    if (found !== null) {
      context.store.updateJournal([withExchangeState(entry, found, feeRate)]);
      context.logger.info({ clientOrderId, exchangeOrderId: found.exchangeOrderId }, 'reconciled: the order had been placed');
    } else if (now < entry.decidedAt + barMs) {
      context.logger.info({ clientOrderId }, 'reconciled: the order was never placed; sending it now');
      const order: PlannedOrder = {
        clientOrderId,
        symbol: entry.symbol,
        side: entry.side as 'buy' | 'sell',
        quantity: entry.quantity as number,
        decidedAt: entry.decidedAt,
        referencePrice: 0,
      };
      const updated = await sendIntent(context, entry, order, feeRate);
      if (updated.status === 'pending') unresolved.add(clientOrderId);
    } else {
      context.store.updateJournal([{ ...entry, status: 'expired', reason: `never reached the exchange before the next bar closed at ${new Date(entry.decidedAt + barMs).toISOString()}` }]);
      context.logger.warn({ clientOrderId }, 'reconciled: intent expired unsent');
    }
  }
  return unresolved;
}
