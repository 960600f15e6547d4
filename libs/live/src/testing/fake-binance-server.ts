/**
 * A local Binance spot REST server on 127.0.0.1 (port 0) that ccxt is pointed at in tests: it replays the recorded
 * response bodies of binance-fixtures.ts, keeps the orders it accepted (counting them per client order id, so a
 * test can prove nothing was placed twice), and injects scripted faults (HTTP 429, 5xx, exchange errors, delays).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bar } from '@trading-ml/core';
import { ACCOUNT, ERRORS, EXCHANGE_INFO, filledMarketOrder, klineRow } from './binance-fixtures.js';

/** A scripted answer replacing the normal one. */
export type Fault = { status: number; body: unknown } | { delayMs: number };

/** One request the server saw. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Wall-clock time the request arrived, ms. */
  readonly at: number;
}

interface StoredOrder {
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: number;
  readonly time: number;
}

export class FakeBinanceServer {
  readonly requests: SeenRequest[] = [];
  /** How many orders were accepted per client order id. */
  readonly ordersPerClientId = new Map<string, number>();
  readonly orders: StoredOrder[] = [];
  /** Market-order fill price per Binance symbol id (default: close of the last bar served for it). */
  readonly prices = new Map<string, number>();
  private readonly faults = new Map<string, Fault[]>();
  private server!: Server;
  url = '';

  /** @param bars - bars served by /api/v3/klines per Binance symbol id ('BTCUSDT'). */
  constructor(private readonly bars: Record<string, readonly Bar[]>) {}

  /** Starts listening on 127.0.0.1 at a free port. */
  static async start(bars: Record<string, readonly Bar[]>): Promise<FakeBinanceServer> {
    const fake = new FakeBinanceServer(bars);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Queues faults for a route such as 'POST /api/v3/order'; each is used once, in order. */
  fail(route: string, ...faults: Fault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  /** Requests for a route such as 'POST /api/v3/order'. */
  seen(route: string): SeenRequest[] {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const route = `${req.method} ${url.pathname}`;
    this.requests.push({ method: req.method ?? '', path: url.pathname, params, headers: req.headers, at: Date.now() });
    const fault = this.faults.get(route)?.shift();
    if (fault && 'delayMs' in fault) {
      // Like a real exchange, the request is processed even when the client gave up waiting (its answer is lost).
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    } else if (fault) {
      return this.send(res, fault.status, fault.body);
    }
    this.route(route, params, res);
  }

  private route(route: string, params: Record<string, string>, res: ServerResponse): void {
    switch (route) {
      case 'GET /api/v3/exchangeInfo':
        return this.send(res, 200, EXCHANGE_INFO);
      case 'GET /api/v3/ping':
        return this.send(res, 200, {});
      case 'GET /api/v3/account':
        return this.send(res, 200, ACCOUNT);
      case 'GET /api/v3/klines': {
        const bars = this.bars[params.symbol ?? ''];
        if (bars === undefined) return this.send(res, 400, ERRORS.badSymbol);
        const start = Number(params.startTime ?? 0);
        const limit = Number(params.limit ?? 500);
        return this.send(res, 200, bars.filter((b) => b.openTime >= start).slice(0, limit).map(klineRow));
      }
      case 'POST /api/v3/order': {
        // Like Binance: a signed request processed after timestamp + recvWindow (default 5 s) is refused, unplaced.
        if (Date.now() - Number(params.timestamp ?? 0) > Number(params.recvWindow ?? 5_000)) return this.send(res, 400, ERRORS.outsideRecvWindow);
        const symbol = params.symbol ?? '';
        const bars = this.bars[symbol];
        if (bars === undefined) return this.send(res, 400, ERRORS.badSymbol);
        const clientOrderId = params.newClientOrderId ?? `web_${this.orders.length}`;
        const order: StoredOrder = {
          symbol,
          orderId: 5_000_000 + this.orders.length,
          clientOrderId,
          side: params.side === 'SELL' ? 'SELL' : 'BUY',
          quantity: params.quantity ?? '0',
          price: this.prices.get(symbol) ?? (bars[bars.length - 1] as Bar).close,
          time: Number(params.timestamp ?? 0),
        };
        this.orders.push(order);
        this.ordersPerClientId.set(clientOrderId, (this.ordersPerClientId.get(clientOrderId) ?? 0) + 1);
        return this.send(res, 200, filledMarketOrder({ ...order, withFills: params.newOrderRespType === 'FULL' }));
      }
      case 'GET /api/v3/order': {
        const order = this.orders.find((o) => o.symbol === params.symbol && (o.clientOrderId === params.origClientOrderId || String(o.orderId) === params.orderId));
        if (order === undefined) return this.send(res, 400, ERRORS.orderNotFound);
        return this.send(res, 200, filledMarketOrder({ ...order, withFills: false }));
      }
      case 'GET /api/v3/openOrders':
        return this.send(res, 200, []);
      default:
        return this.send(res, 404, { code: -1100, msg: `no fixture for ${route}` });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json;charset=UTF-8' });
    res.end(text);
  }
}
