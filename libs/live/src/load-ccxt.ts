/**
 * ccxt, loaded on first use. Its ESM build pulls in a few hundred modules (every exchange class), which costs
 * noticeable start-up time; runs that never talk to an exchange (the bundled-data replay, tests of the pure parts,
 * any tool importing `@trading-ml/live` for its types or state store) should not pay it. Only the functions that
 * create an exchange or classify its errors await it, and Node caches the module after the first import.
 */
import type * as Ccxt from 'ccxt';

/** The ccxt module namespace (exchange classes, error classes). */
export type CcxtModule = typeof Ccxt;

/**
 * Imports ccxt (once per process; later calls resolve to the cached module).
 * @returns the ccxt module namespace.
 * @throws the import error when ccxt is not installed.
 * @see libs/market-data `createExchange`, which loads ccxt the same way.
 * @example
 * const { NetworkError } = await loadCcxt();
 */
export function loadCcxt(): Promise<CcxtModule> {
  return import('ccxt');
}
