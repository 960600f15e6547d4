import { z } from 'zod';
import { ConfigError } from '@trading-ml/core';

/**
 * Risk controls of the live loop. Notional limits in quote currency, the others as fractions.
 * Every limit is optional (absent = no limit).
 */
export interface RiskLimits {
  /** Largest notional of one order, quote currency (quantity·price), > 0. Larger orders are cut down. */
  readonly maxOrderNotional?: number;
  /** Largest absolute position value per symbol, quote currency, > 0. Orders that would exceed it are cut down. */
  readonly maxSymbolNotional?: number;
  /** Largest sum of absolute position values over all symbols, as a fraction of total equity, > 0. */
  readonly maxTotalExposure?: number;
  /**
   * Daily loss stop, fraction in (0, 1): once total equity falls this far below its value at the first close of
   * the UTC day, targets may only move toward flat until the day ends.
   */
  readonly maxDailyLoss?: number;
  /**
   * Drawdown kill switch, fraction in (0, 1): once total equity falls this far below its peak, every position is
   * flattened and trading stays halted (persisted) until the state is reset with `resetKillSwitch`.
   */
  readonly maxDrawdown?: number;
}

const positive = z.number().finite().positive();
const fraction = z.number().finite().gt(0).lt(1);
const riskLimitsSchema = z
  .object({ maxOrderNotional: positive, maxSymbolNotional: positive, maxTotalExposure: positive, maxDailyLoss: fraction, maxDrawdown: fraction })
  .partial()
  .strict();

/**
 * Validates risk limits (from a config file or CLI flags).
 * @param value - untrusted input.
 * @returns the limits.
 * @throws ConfigError naming the limit (e.g. 'risk.maxDrawdown'), the bad value and the allowed range.
 * @example
 * parseRiskLimits({ maxOrderNotional: 1000, maxDrawdown: 0.2 });
 * parseRiskLimits({ maxDrawdown: 1.5 }); // ConfigError: Invalid risk.maxDrawdown: got 1.5, expected a fraction in (0, 1)
 */
export function parseRiskLimits(value: unknown): RiskLimits {
  const result = riskLimitsSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.map(String).join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  const fractions = key === 'maxDailyLoss' || key === 'maxDrawdown';
  const field = value !== null && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : value;
  throw new ConfigError({
    parameter: `risk.${key || 'limits'}`,
    value: field,
    expected: issue?.code === 'unrecognized_keys' ? 'one of maxOrderNotional, maxSymbolNotional, maxTotalExposure, maxDailyLoss, maxDrawdown' : fractions ? 'a fraction in (0, 1)' : 'a finite number > 0',
  });
}

/** Persisted state of the loss stops. */
export interface RiskState {
  /** Highest total equity seen at a close, quote currency. */
  readonly peakEquity: number;
  /** UTC day ('YYYY-MM-DD') and total equity at its first close. */
  readonly day: string;
  readonly dayStartEquity: number;
  /** Why trading is halted by the kill switch, or null. */
  readonly halted: string | null;
}

/** Zod schema of {@link RiskState} (read back from SQLite). */
export const riskStateSchema = z.object({ peakEquity: z.number().finite(), day: z.string(), dayStartEquity: z.number().finite(), halted: z.string().nullable() });

/**
 * Updates the loss stops with the total equity at a close and gates the strategy's target:
 * kill switch → 0 (flatten); daily loss stop → the target may only move toward flat.
 *
 * @param limits - risk limits.
 * @param state - the state before this close (null at the very first close).
 * @param input - closeTime (UTC ms), total equity over all symbols (quote), the target wanted and the exposure held.
 * @returns the new state, the gated target and the reason it was changed (or null).
 * @see README, "Risk controls" (units and the order in which the limits apply).
 * @example
 * gateTarget({ maxDrawdown: 0.2 }, { peakEquity: 100, day: '2024-01-01', dayStartEquity: 100, halted: null },
 *   { time: Date.UTC(2024, 0, 1, 5), totalEquity: 79, target: 1, held: 0.5 }).target; // 0: 21 % below the peak
 */
export function gateTarget(
  limits: RiskLimits,
  state: RiskState | null,
  input: { time: number; totalEquity: number; target: number; held: number },
): { state: RiskState; target: number; reason: string | null } {
  const day = new Date(input.time).toISOString().slice(0, 10);
  const peakEquity = Math.max(state?.peakEquity ?? input.totalEquity, input.totalEquity);
  const dayStartEquity = state === null || state.day !== day ? input.totalEquity : state.dayStartEquity;
  let halted = state?.halted ?? null;
  if (halted === null && limits.maxDrawdown !== undefined && input.totalEquity < peakEquity * (1 - limits.maxDrawdown)) {
    const drawdown = 1 - input.totalEquity / peakEquity;
    halted = `drawdown ${(drawdown * 100).toFixed(2)}% from peak ${peakEquity.toFixed(2)} exceeds maxDrawdown ${(limits.maxDrawdown * 100).toFixed(2)}% at ${new Date(input.time).toISOString()}`;
  }
  const next: RiskState = { peakEquity, day, dayStartEquity, halted };
  if (halted !== null) return { state: next, target: 0, reason: `kill switch: ${halted}` };
  if (limits.maxDailyLoss !== undefined && input.totalEquity < dayStartEquity * (1 - limits.maxDailyLoss)) {
    const lo = Math.min(0, input.held);
    const hi = Math.max(0, input.held);
    const target = Math.min(hi, Math.max(lo, input.target));
    const loss = 1 - input.totalEquity / dayStartEquity;
    return { state: next, target, reason: target === input.target ? null : `daily loss stop: ${(loss * 100).toFixed(2)}% below the day's start ${dayStartEquity.toFixed(2)}` };
  }
  return { state: next, target: input.target, reason: null };
}

/** Inputs of {@link limitOrderQuantity}. Prices in quote per base, quantities in base units (signed positions). */
export interface OrderLimitInput {
  readonly side: 'buy' | 'sell';
  /** Unsigned base quantity the kernel decided. */
  readonly quantity: number;
  /** Reference price (the decision close). */
  readonly price: number;
  /** Signed base quantity held in this symbol. */
  readonly position: number;
  /** Sum of |position value| over the other symbols, quote. */
  readonly otherExposure: number;
  /** Total equity over all symbols, quote. */
  readonly totalEquity: number;
}

/**
 * Cuts an order down to the notional limits. Orders that reduce the absolute position are limited only by
 * maxOrderNotional: the exposure caps never stop a position from being closed.
 * @param limits - risk limits.
 * @param input - the order and the book around it.
 * @returns the allowed unsigned quantity (possibly 0) and the notes on what capped it.
 * @example
 * limitOrderQuantity({ maxOrderNotional: 500 }, { side: 'buy', quantity: 10, price: 100, position: 0, otherExposure: 0, totalEquity: 1e4 });
 * // { quantity: 5, notes: ['capped by maxOrderNotional 500'] }
 */
export function limitOrderQuantity(limits: RiskLimits, input: OrderLimitInput): { quantity: number; notes: string[] } {
  const notes: string[] = [];
  const sign = input.side === 'buy' ? 1 : -1;
  let quantity = input.quantity;
  if (limits.maxOrderNotional !== undefined && quantity * input.price > limits.maxOrderNotional) {
    quantity = limits.maxOrderNotional / input.price;
    notes.push(`capped by maxOrderNotional ${limits.maxOrderNotional}`);
  }
  const after = (q: number) => input.position + sign * q;
  const increases = Math.abs(after(quantity)) > Math.abs(input.position);
  if (!increases) return { quantity, notes };
  // Largest quantity whose resulting |position| stays within `maxAbs` (never below what reducing to it needs).
  const capTo = (maxAbs: number, label: string) => {
    const allowed = Math.max(0, sign * (sign * maxAbs - input.position));
    if (quantity > allowed) {
      quantity = allowed;
      notes.push(label);
    }
  };
  if (limits.maxSymbolNotional !== undefined) capTo(limits.maxSymbolNotional / input.price, `capped by maxSymbolNotional ${limits.maxSymbolNotional}`);
  if (limits.maxTotalExposure !== undefined) {
    const room = Math.max(0, limits.maxTotalExposure * input.totalEquity - input.otherExposure);
    capTo(room / input.price, `capped by maxTotalExposure ${limits.maxTotalExposure}`);
  }
  return { quantity, notes };
}

/** Amount and cost minimums of a market, from ccxt's `market.limits`. */
const marketSchema = z.object({
  limits: z
    .object({
      amount: z.object({ min: z.number().nullish() }).nullish(),
      cost: z.object({ min: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

/**
 * Rounds an order quantity to the market's precision (ccxt `amountToPrecision`, which truncates) and checks the
 * market's minimum amount and minimum cost.
 * @param exchange - the loaded ccxt exchange.
 * @param symbol - unified symbol.
 * @param quantity - unsigned base quantity.
 * @param price - reference price, quote per base (for the cost check).
 * @returns the rounded quantity, or a reason the order is below the market's minimums.
 * @see ccxt Manual, "Precision and Limits" (`amountToPrecision` truncates; `market.limits.amount.min`, `limits.cost.min`).
 * @example
 * roundToMarket(binance, 'BTC/USDT', 0.123456789, 42000); // { quantity: 0.12345 } with LOT_SIZE step 0.00001
 */
export function roundToMarket(
  exchange: { market(symbol: string): unknown; amountToPrecision(symbol: string, amount: number): string },
  symbol: string,
  quantity: number,
  price: number,
): { quantity: number } | { skip: string } {
  const market = marketSchema.safeParse(exchange.market(symbol));
  const minAmount = market.success ? (market.data.limits?.amount?.min ?? 0) : 0;
  const minCost = market.success ? (market.data.limits?.cost?.min ?? 0) : 0;
  let rounded: number;
  try {
    rounded = Number(exchange.amountToPrecision(symbol, quantity));
  } catch {
    rounded = 0; // ccxt throws when the amount truncates to below the precision step
  }
  if (!(rounded > 0) || rounded < minAmount) return { skip: `quantity ${quantity} rounds to ${rounded}, below the market minimum amount ${minAmount}` };
  if (rounded * price < minCost) return { skip: `notional ${(rounded * price).toFixed(8)} below the market minimum cost ${minCost}` };
  return { quantity: rounded };
}
