import { z } from 'zod';
import type { Bar } from '@trading-ml/core';
import type { Decision, Fill, Order } from './types.js';

/** Plain-data state of a {@link TradingKernel}: enough for a live loop to resume exactly where it stopped. */
export interface TradingKernelSnapshot {
  readonly version: 1;
  readonly symbol: string;
  /** Quote-currency cash. */
  readonly cash: number;
  /** Signed base-asset quantity held. */
  readonly positionQuantity: number;
  /** Volume-weighted entry price of the open quantity (0 when flat). */
  readonly averagePrice: number;
  /** Order decided at the last close and not yet filled, or null. */
  readonly pendingOrder: Order | null;
  /** closeTime of the last bar stepped (UTC ms), or null before the first bar. */
  readonly lastCloseTime: number | null;
  /** Bars closed so far, oldest first (what the strategy sees as history). */
  readonly history: readonly Bar[];
  readonly equityTime: readonly number[];
  readonly equity: readonly number[];
  readonly fills: readonly Fill[];
  readonly decisions: readonly Decision[];
}

// zod 4's z.number() already rejects NaN and ±Infinity; the message says so.
const finite = z.number({ error: 'a finite number' });

const barSchema = z.object({ openTime: finite, closeTime: finite, open: finite, high: finite, low: finite, close: finite, volume: finite });

const orderSchema = z.object({
  clientOrderId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell'], { error: "'buy' or 'sell'" }),
  quantity: finite.positive('a quantity > 0'),
  decidedAt: finite,
});

const fillSchema = z.object({ order: orderSchema, time: finite, price: finite, quantity: finite, fee: finite });

const decisionSchema = z.object({ time: finite, targetExposure: finite });

/**
 * Zod schema of a kernel snapshot for one instrument; parsing returns a deep copy that shares nothing with the input.
 * @param symbol - the restoring kernel's symbol; the snapshot must be of the same instrument.
 * @returns a schema for {@link parseState} (checks finite numbers, order side and quantity > 0, averagePrice ≥ 0,
 *   and as many equity values as equity times).
 * @throws never; a snapshot that does not fit fails when parsed (StateError through parseState).
 * @see zod 4 object schemas, https://zod.dev/api#objects
 * @example
 * const s = parseState('TradingKernel', kernelSnapshotSchema('BTC/USDT'), JSON.parse(text));
 */
export function kernelSnapshotSchema(symbol: string): z.ZodType<TradingKernelSnapshot> {
  return z
    .object({
      version: z.literal(1, { error: 'snapshot version 1' }),
      symbol: z.literal(symbol, { error: `the kernel's symbol ${JSON.stringify(symbol)}` }),
      cash: finite,
      positionQuantity: finite,
      averagePrice: finite.nonnegative('an average price ≥ 0'),
      pendingOrder: orderSchema.nullable(),
      lastCloseTime: finite.nullable(),
      history: z.array(barSchema),
      equityTime: z.array(finite),
      equity: z.array(finite),
      fills: z.array(fillSchema),
      decisions: z.array(decisionSchema),
    })
    .refine((s) => s.equity.length === s.equityTime.length, { path: ['equity'], error: 'as many entries as equityTime' });
}
