import { ConfigError, DataError } from '@trading-ml/core';
import type { Fill } from '../types.js';

/** One position episode: from flat to a position and back to flat (or through a sign flip), as one trade. */
export interface PositionEpisode {
  readonly symbol: string;
  /** 'long' when the position was positive, 'short' when negative. */
  readonly side: 'long' | 'short';
  /** Fill time (UTC ms) of the fill that opened the position. */
  readonly entryTime: number;
  /** Fill time (UTC ms) of the fill that made the position flat (or flipped it); null while still open. */
  readonly exitTime: number | null;
  /** True when the position was still open after the last fill and its PnL is marked at `markPrice`. */
  readonly open: boolean;
  /** Fills that traded in this episode (a flipping fill counts in both episodes it touches). */
  readonly fills: number;
  /** Largest absolute position held during the episode, base-asset units. */
  readonly peakQuantity: number;
  /** Fees paid in this episode (a flipping fill's fee prorated by quantity), quote currency. */
  readonly fees: number;
  /**
   * Net PnL, quote currency: Σ over the episode's fills of (−signed quantity·price − fee), plus, when still open,
   * the open quantity valued at `markPrice` (entry fees already paid are included; no hypothetical exit fee).
   */
  readonly pnl: number;
}

/** Options of {@link positionEpisodes}. */
export interface PositionEpisodesOptions {
  /**
   * Price (quote per base unit) at which a position still open after the last fill is valued, normally the last
   * bar's close. Required only when the fills do not end flat.
   */
  readonly markPrice?: number;
}

/** A position below this fraction of the episode's peak is floating-point dust, i.e. flat. */
const DUST = 1e-9;

interface OpenEpisode {
  readonly direction: 1 | -1;
  readonly entryTime: number;
  fills: number;
  peakQuantity: number;
  fees: number;
  cashFlow: number;
}

function close(episode: OpenEpisode, symbol: string, exitTime: number | null, value: number): PositionEpisode {
  return {
    symbol,
    side: episode.direction === 1 ? 'long' : 'short',
    entryTime: episode.entryTime,
    exitTime,
    open: exitTime === null,
    fills: episode.fills,
    peakQuantity: episode.peakQuantity,
    fees: episode.fees,
    pnl: episode.cashFlow + value,
  };
}

/**
 * Trades as position episodes of one instrument: an episode starts when a fill takes the position away from flat
 * and ends when a fill brings it back to flat; a fill that flips the sign ends one episode and starts the next
 * (its quantity and fee split pro rata). Scaling in and out without going flat stays one episode, so a strategy
 * that rebalances a little every bar makes one trade per excursion from flat, not one per fill. The PnL of an
 * episode is its net cash flow, fees included; a position still open after the last fill is one more episode,
 * marked to market at `markPrice` with no hypothetical exit fee. Over any fill log the episode PnLs add up to the
 * total net cash flow plus the final position valued at `markPrice`, i.e. the change in equity.
 *
 * @param fills - fills of one symbol in time order (as a kernel records them); quantity > 0, price > 0, fee ≥ 0.
 * @param options - markPrice (quote per base unit), needed when the fills end with an open position.
 * @returns the episodes in the order they started; the last one has `open: true` when the position is still open.
 * @throws DataError when the fills name more than one symbol or a fill's quantity, price or fee is invalid;
 *   ConfigError when the position is open at the end and markPrice is missing or not a positive finite number.
 * @see R. Pardo (2008), "The Evaluation and Optimization of Trading Strategies", 2nd ed., ch. 9 (a trade is an entry
 *   and its exit; profit factor and percent profitable over trades); NautilusTrader `docs/concepts/positions.md`
 *   (a position lives from opening to flat; a flip closes it and opens a new one; unrealized PnL at the last price).
 * @example
 * // buy 2 @ 100 (fee 0.2), sell 1 @ 110 (fee 0.11), still long 1, marked at 120:
 * // pnl = −200.2 + 109.89 + 120 = 29.69, one open long episode with 2 fills
 * positionEpisodes(fills, { markPrice: 120 })[0].pnl; // 29.69
 */
export function positionEpisodes(fills: readonly Fill[], options: PositionEpisodesOptions = {}): PositionEpisode[] {
  const episodes: PositionEpisode[] = [];
  const symbol = fills[0]?.order.symbol ?? '';
  let position = 0;
  let current: OpenEpisode | null = null;
  for (let index = 0; index < fills.length; index++) {
    const fill = fills[index] as Fill;
    if (fill.order.symbol !== symbol) {
      throw new DataError({ location: { column: `fills[${index}].order.symbol` }, value: fill.order.symbol, expected: `the same symbol as fills[0] (${symbol})` });
    }
    const valid = Number.isFinite(fill.quantity) && fill.quantity > 0 && Number.isFinite(fill.price) && fill.price > 0 && Number.isFinite(fill.fee) && fill.fee >= 0;
    if (!valid) {
      throw new DataError({ location: { column: `fills[${index}]` }, value: { quantity: fill.quantity, price: fill.price, fee: fill.fee }, expected: 'quantity > 0, price > 0, fee ≥ 0, all finite' });
    }
    const signed = fill.order.side === 'buy' ? fill.quantity : -fill.quantity;
    let rest = signed;
    let restFee = fill.fee;
    if (current !== null && Math.sign(signed) !== current.direction && fill.quantity - Math.abs(position) > DUST * current.peakQuantity) {
      // a flip: the part equal to the open position closes this episode, the remainder opens the next one
      const closing = -position;
      const closingFee = (fill.fee * Math.abs(closing)) / fill.quantity;
      current.cashFlow += -closing * fill.price - closingFee;
      current.fees += closingFee;
      current.fills += 1;
      episodes.push(close(current, symbol, fill.time, 0));
      current = null;
      position = 0;
      rest = signed - closing;
      restFee = fill.fee - closingFee;
    }
    if (current === null) {
      current = { direction: rest > 0 ? 1 : -1, entryTime: fill.time, fills: 0, peakQuantity: 0, fees: 0, cashFlow: 0 };
    }
    current.cashFlow += -rest * fill.price - restFee;
    current.fees += restFee;
    current.fills += 1;
    position += rest;
    current.peakQuantity = Math.max(current.peakQuantity, Math.abs(position));
    if (Math.abs(position) <= DUST * current.peakQuantity) {
      episodes.push(close(current, symbol, fill.time, 0));
      current = null;
      position = 0;
    }
  }
  if (current !== null) {
    const { markPrice } = options;
    if (typeof markPrice !== 'number' || !Number.isFinite(markPrice) || markPrice <= 0) {
      throw new ConfigError({
        parameter: 'markPrice',
        value: markPrice,
        expected: `a price > 0 (quote per base unit, e.g. the last close) to value the ${position} ${symbol} still open after the last fill`,
      });
    }
    episodes.push(close(current, symbol, null, position * markPrice));
  }
  return episodes;
}
