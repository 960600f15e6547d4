import { StateError } from '@trading-ml/core';
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

type Path = string;

function fail(problem: string): never {
  throw new StateError({ what: 'TradingKernel', problem });
}

function record(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${path} must be an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function finite(value: unknown, path: Path): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${path} must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

function list(value: unknown, path: Path): readonly unknown[] {
  if (!Array.isArray(value)) fail(`${path} must be an array, got ${JSON.stringify(value)}`);
  return value;
}

function readBar(value: unknown, path: Path): Bar {
  const b = record(value, path);
  return {
    openTime: finite(b.openTime, `${path}.openTime`),
    closeTime: finite(b.closeTime, `${path}.closeTime`),
    open: finite(b.open, `${path}.open`),
    high: finite(b.high, `${path}.high`),
    low: finite(b.low, `${path}.low`),
    close: finite(b.close, `${path}.close`),
    volume: finite(b.volume, `${path}.volume`),
  };
}

function readOrder(value: unknown, path: Path): Order {
  const o = record(value, path);
  if (typeof o.clientOrderId !== 'string') fail(`${path}.clientOrderId must be a string`);
  if (typeof o.symbol !== 'string') fail(`${path}.symbol must be a string`);
  if (o.side !== 'buy' && o.side !== 'sell') fail(`${path}.side must be 'buy' or 'sell', got ${JSON.stringify(o.side)}`);
  const quantity = finite(o.quantity, `${path}.quantity`);
  if (quantity <= 0) fail(`${path}.quantity must be > 0, got ${quantity}`);
  return { clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity, decidedAt: finite(o.decidedAt, `${path}.decidedAt`) };
}

function readFill(value: unknown, path: Path): Fill {
  const f = record(value, path);
  return {
    order: readOrder(f.order, `${path}.order`),
    time: finite(f.time, `${path}.time`),
    price: finite(f.price, `${path}.price`),
    quantity: finite(f.quantity, `${path}.quantity`),
    fee: finite(f.fee, `${path}.fee`),
  };
}

function readDecision(value: unknown, path: Path): Decision {
  const d = record(value, path);
  return { time: finite(d.time, `${path}.time`), targetExposure: finite(d.targetExposure, `${path}.targetExposure`) };
}

/**
 * Checks a kernel snapshot's shape and returns a deep copy that shares nothing with the input.
 * @param state - the snapshot to check (typically parsed from JSON).
 * @param symbol - the restoring kernel's symbol; the snapshot must be of the same instrument.
 * @returns the validated, copied snapshot.
 * @throws StateError naming the first field that does not fit.
 */
export function parseKernelSnapshot(state: unknown, symbol: string): TradingKernelSnapshot {
  const s = record(state, 'snapshot');
  if (s.version !== 1) fail(`snapshot.version must be 1, got ${JSON.stringify(s.version)}`);
  if (s.symbol !== symbol) fail(`snapshot.symbol is ${JSON.stringify(s.symbol)}, the kernel trades ${JSON.stringify(symbol)}`);
  const equityTime = list(s.equityTime, 'snapshot.equityTime').map((t, i) => finite(t, `snapshot.equityTime[${i}]`));
  const equity = list(s.equity, 'snapshot.equity').map((e, i) => finite(e, `snapshot.equity[${i}]`));
  if (equityTime.length !== equity.length) fail(`snapshot.equityTime has ${equityTime.length} entries but snapshot.equity has ${equity.length}`);
  const history = list(s.history, 'snapshot.history').map((b, i) => readBar(b, `snapshot.history[${i}]`));
  const lastCloseTime = s.lastCloseTime === null ? null : finite(s.lastCloseTime, 'snapshot.lastCloseTime');
  const averagePrice = finite(s.averagePrice, 'snapshot.averagePrice');
  if (averagePrice < 0) fail(`snapshot.averagePrice must be ≥ 0, got ${averagePrice}`);
  return {
    version: 1,
    symbol,
    cash: finite(s.cash, 'snapshot.cash'),
    positionQuantity: finite(s.positionQuantity, 'snapshot.positionQuantity'),
    averagePrice,
    pendingOrder: s.pendingOrder === null ? null : readOrder(s.pendingOrder, 'snapshot.pendingOrder'),
    lastCloseTime,
    history,
    equityTime,
    equity,
    fills: list(s.fills, 'snapshot.fills').map((f, i) => readFill(f, `snapshot.fills[${i}]`)),
    decisions: list(s.decisions, 'snapshot.decisions').map((d, i) => readDecision(d, `snapshot.decisions[${i}]`)),
  };
}
