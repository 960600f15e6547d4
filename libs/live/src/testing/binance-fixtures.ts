/**
 * Binance spot REST response bodies, recorded from the public API documentation's examples and trimmed to what
 * ccxt reads (https://developers.binance.com/docs/binance-spot-api-docs/rest-api). Kept small: two markets.
 */
import type { Bar } from '@trading-ml/core';

/** Builds the filters of a spot market the way GET /api/v3/exchangeInfo returns them. */
function spotSymbol(symbol: string, baseAsset: string, quoteAsset: string, tickSize: string, stepSize: string, minQty: string, minNotional: string) {
  return {
    symbol,
    status: 'TRADING',
    baseAsset,
    baseAssetPrecision: 8,
    quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tickSize, maxPrice: '1000000.00000000', tickSize },
      { filterType: 'LOT_SIZE', minQty, maxQty: '9000.00000000', stepSize },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
      { filterType: 'NOTIONAL', minNotional, applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

/** GET /api/v3/exchangeInfo: BTCUSDT (step 0.00001 BTC, min cost 5 USDT) and ETHUSDT (step 0.0001 ETH). */
export const EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1_704_067_200_000,
  rateLimits: [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
    { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
  ],
  exchangeFilters: [],
  symbols: [
    spotSymbol('BTCUSDT', 'BTC', 'USDT', '0.01000000', '0.00001000', '0.00001000', '5.00000000'),
    spotSymbol('ETHUSDT', 'ETH', 'USDT', '0.01000000', '0.00010000', '0.00010000', '5.00000000'),
  ],
};

/** GET /api/v3/account with 10 000 USDT and nothing else. */
export const ACCOUNT = {
  makerCommission: 10,
  takerCommission: 10,
  buyerCommission: 0,
  sellerCommission: 0,
  commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
  canTrade: true,
  canWithdraw: false,
  canDeposit: false,
  brokered: false,
  requireSelfTradePrevention: false,
  preventSor: false,
  updateTime: 1_704_067_200_000,
  accountType: 'SPOT',
  balances: [
    { asset: 'BTC', free: '0.00000000', locked: '0.00000000' },
    { asset: 'USDT', free: '10000.00000000', locked: '0.00000000' },
  ],
  permissions: ['SPOT'],
  uid: 354937868,
};

/** Error bodies Binance answers with (HTTP 400 unless noted). */
export const ERRORS = {
  orderNotFound: { code: -2013, msg: 'Order does not exist.' },
  insufficientFunds: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
  invalidOrder: { code: -1013, msg: 'Filter failure: LOT_SIZE' },
  badSymbol: { code: -1121, msg: 'Invalid symbol.' },
  /** A signed request processed later than its timestamp + recvWindow. */
  outsideRecvWindow: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
  /** HTTP 429. */
  rateLimit: { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.' },
};

/** One row of GET /api/v3/klines for a bar (strings for prices, closeTime = openTime + duration − 1 ms). */
export function klineRow(bar: Bar): (number | string)[] {
  const f = (v: number) => v.toFixed(8);
  return [bar.openTime, f(bar.open), f(bar.high), f(bar.low), f(bar.close), f(bar.volume), bar.closeTime - 1, f(bar.volume * bar.close), 1200, f(bar.volume / 2), f((bar.volume / 2) * bar.close), '0'];
}

/**
 * The order object of POST /api/v3/order (newOrderRespType FULL, fills included) or GET /api/v3/order (no fills)
 * for a market order filled entirely at `price` with a 0.1 % commission in the quote asset.
 */
export function filledMarketOrder(args: { symbol: string; orderId: number; clientOrderId: string; side: 'BUY' | 'SELL'; quantity: string; price: number; time: number; withFills: boolean }) {
  const qty = Number(args.quantity);
  const quote = qty * args.price;
  const base = {
    symbol: args.symbol,
    orderId: args.orderId,
    orderListId: -1,
    clientOrderId: args.clientOrderId,
    price: '0.00000000',
    origQty: args.quantity,
    executedQty: args.quantity,
    origQuoteOrderQty: '0.00000000',
    cummulativeQuoteQty: quote.toFixed(8),
    status: 'FILLED',
    timeInForce: 'GTC',
    type: 'MARKET',
    side: args.side,
    workingTime: args.time,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
  if (args.withFills) {
    return { ...base, transactTime: args.time, fills: [{ price: args.price.toFixed(8), qty: args.quantity, commission: (quote * 0.001).toFixed(8), commissionAsset: 'USDT', tradeId: 1000 + args.orderId }] };
  }
  return { ...base, stopPrice: '0.00000000', icebergQty: '0.00000000', time: args.time, updateTime: args.time, isWorking: true };
}
