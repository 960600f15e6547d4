import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '@trading-ml/core';
import { LiveTrader, createLiveLogger, fixedClock } from '@trading-ml/live';
import { BundledExchange, loadBundledBars } from './bundled-exchange.js';
import { PopAgentLiveStrategy } from './popagent-strategy.js';
import { MemoryReferenceFeed } from './reference-feed.js';

const DATA = fileURLToPath(new URL('../../../../data', import.meta.url));
const WARM_UP = 150;
/** Index of the cut bar T: decisions at closes ≤ T must not depend on any bar after it. */
const CUT = WARM_UP + 5;
const LAST = WARM_UP + 10;
let original: Map<string, Bar[]>;
beforeAll(() => {
  const from = Date.UTC(2022, 2, 1);
  const slice = (bars: Bar[]) => bars.filter((bar) => bar.openTime >= from).slice(0, LAST + 20);
  original = new Map([['BTC/USDT', slice(loadBundledBars(DATA, 'BTC/USDT', '4h'))], ['ETH/USDT', slice(loadBundledBars(DATA, 'ETH/USDT', '4h'))]]);
});

/**
 * The whole live loop (LiveTrader, paper fills, PopAgentLiveStrategy, BTC reference) over `bars`, one iteration at
 * each close from bar WARM_UP to bar LAST; the journal's decisions.
 */
async function liveDecisions(bars: Map<string, Bar[]>) {
  const btc = original.get('BTC/USDT')!;
  const clock = fixedClock(btc[WARM_UP]!.closeTime);
  const strategy = new PopAgentLiveStrategy({
    symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '4h', condition: 'A', seed: 3, warmUpBars: WARM_UP, config: { population: 4 },
    reference: new MemoryReferenceFeed('BTC/USDT', bars.get('BTC/USDT')!),
  });
  const trader = new LiveTrader({
    exchange: new BundledExchange(bars, '4h', clock), symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '4h', strategy, dbPath: ':memory:',
    clock, warmupBars: WARM_UP, minRebalanceFraction: 0.01, logger: createLiveLogger({ destination: { write: () => undefined } }),
  });
  const reports = [];
  for (let i = WARM_UP; i <= LAST; i++) {
    clock.set(btc[i]!.closeTime);
    reports.push(await trader.runIteration());
  }
  const journal = trader.store.journal().map(({ symbol, decidedAt, strategyTarget, appliedTarget, side, quantity, clientOrderId }) => ({ symbol, decidedAt, strategyTarget, appliedTarget, side, quantity, clientOrderId }));
  trader.close();
  return { journal, reports };
}

/** Every bar after the cut with prices scaled by a different factor per bar (a different future). */
function alteredAfterCut(): Map<string, Bar[]> {
  return new Map([...original].map(([symbol, bars]) => [symbol, bars.map((bar, i) => {
    if (i <= CUT) return bar;
    const f = 1 + 0.03 * Math.sin(7 * i);
    return { ...bar, open: bar.open * f, high: bar.high * f * 1.01, low: bar.low * f * 0.99, close: bar.close * f };
  })]));
}

describe('popagent live: no lookahead through the live loop', () => {
  it('decisions at closes ≤ T are the same whatever the bars after T (truncated or altered), and later ones do change', async () => {
    const cutTime = original.get('BTC/USDT')![CUT]!.closeTime;
    const reference = await liveDecisions(original);
    const truncated = await liveDecisions(new Map([...original].map(([symbol, bars]) => [symbol, bars.slice(0, CUT + 1)])));
    const altered = await liveDecisions(alteredAfterCut());
    const upToCut = (journal: typeof reference.journal) => journal.filter((row) => row.decidedAt <= cutTime);

    expect(upToCut(reference.journal)).toHaveLength(2 * (CUT + 1)); // every bar up to T of both symbols, once
    expect(upToCut(truncated.journal)).toEqual(upToCut(reference.journal));
    expect(upToCut(altered.journal)).toEqual(upToCut(reference.journal));
    // After T the truncated source has no bars: those iterations skip ("late or missing bar"), nothing is invented.
    expect(truncated.journal.every((row) => row.decidedAt <= cutTime)).toBe(true);
    expect(truncated.reports.at(-1)?.status).toMatch(/BTC\/USDT skipped: late or missing bar/);
    // The altered future is seen once it happens (otherwise this test could not fail).
    const after = (journal: typeof reference.journal) => journal.filter((row) => row.decidedAt > cutTime).map((row) => row.strategyTarget);
    expect(after(altered.journal)).toHaveLength(after(reference.journal).length);
    expect(after(altered.journal)).not.toEqual(after(reference.journal));
  });
});
