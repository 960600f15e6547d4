import type { Fill } from '../types.js';

/** One closed trade: a quantity opened by one fill and closed by a later one (FIFO matched). */
export interface RoundTrip {
  readonly symbol: string;
  /** 'long' when opened by a buy, 'short' when opened by a sell. */
  readonly side: 'long' | 'short';
  /** Fill time (UTC ms) of the opening fill. */
  readonly entryTime: number;
  /** Fill time (UTC ms) of the closing fill. */
  readonly exitTime: number;
  /** Base-asset quantity matched. */
  readonly quantity: number;
  /** Quote per base unit, including slippage. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Entry and exit fees attributable to this quantity, quote currency. */
  readonly fees: number;
  /** Net profit: direction·(exitPrice − entryPrice)·quantity − fees, quote currency. */
  readonly pnl: number;
}

interface Lot {
  readonly direction: 1 | -1;
  readonly time: number;
  readonly price: number;
  readonly feePerUnit: number;
  readonly original: number;
  remaining: number;
}

/** Leftovers below this fraction of a quantity are floating-point dust, not a position. */
const DUST = 1e-9;

/**
 * Closed trades from a fill log, matched first-in first-out per symbol. Every reduction of a position closes the
 * oldest open lots; each (lot, closing fill) pair is one round trip whose PnL includes both the entry fee and the
 * exit fee, each prorated by quantity. A fill that flips the position closes all lots and opens a new one with
 * the remainder. Quantity still open at the end is not a closed trade and is left out.
 *
 * @param fills - fills in time order (as a kernel records them).
 * @returns closed round trips in the order they were closed.
 * Lower level than {@link positionEpisodes}, which `summarizePerformance` uses to count trades: here every partial
 * close is its own round trip, so a strategy that trims its position every bar makes one per fill.
 *
 * @see Quantopian pyfolio, `round_trips.extract_round_trips` (FIFO matching of transactions);
 *   NautilusTrader `docs/concepts/positions.md` (realized PnL net of commissions).
 * @example
 * // buy 1 @ 100 (fee 0.1), sell 1 @ 110 (fee 0.11) → pnl = 10 − 0.21 = 9.79
 * roundTrips(fills)[0].pnl; // 9.79
 */
export function roundTrips(fills: readonly Fill[]): RoundTrip[] {
  const books = new Map<string, Lot[]>();
  const trips: RoundTrip[] = [];
  for (const fill of fills) {
    const symbol = fill.order.symbol;
    let lots = books.get(symbol);
    if (lots === undefined) {
      lots = [];
      books.set(symbol, lots);
    }
    const direction: 1 | -1 = fill.order.side === 'buy' ? 1 : -1;
    const feePerUnit = fill.quantity > 0 ? fill.fee / fill.quantity : 0;
    let left = fill.quantity;
    while (left > DUST * fill.quantity && lots.length > 0 && (lots[0] as Lot).direction !== direction) {
      const lot = lots[0] as Lot;
      const matched = Math.min(left, lot.remaining);
      const fees = (lot.feePerUnit + feePerUnit) * matched;
      trips.push({
        symbol,
        side: lot.direction === 1 ? 'long' : 'short',
        entryTime: lot.time,
        exitTime: fill.time,
        quantity: matched,
        entryPrice: lot.price,
        exitPrice: fill.price,
        fees,
        pnl: lot.direction * (fill.price - lot.price) * matched - fees,
      });
      lot.remaining -= matched;
      left -= matched;
      if (lot.remaining <= DUST * lot.original) lots.shift();
    }
    if (left > DUST * fill.quantity) {
      lots.push({ direction, time: fill.time, price: fill.price, feePerUnit, original: left, remaining: left });
    }
  }
  return trips;
}
