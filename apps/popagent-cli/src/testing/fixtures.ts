/**
 * Hand-built test fixtures: a small run whose every number is chosen by hand, and a checker that an SVG/XML
 * text is well formed (balanced tags), since no XML parser is installed.
 */
import type { PerformanceSummary, PopAgentRunResult } from '@trading-ml/popagent';

const HOUR = 3_600_000;

/** A PerformanceSummary with round hand-picked values. */
export function summary(overrides: Partial<PerformanceSummary> = {}): PerformanceSummary {
  return {
    totalReturn: 0.1,
    cagr: 0.5,
    annualizedVolatility: 0.6,
    sharpeRatio: 1.25,
    sharpeInterval: [-0.5, 3],
    sortinoRatio: 1.75,
    maxDrawdown: 0.2,
    calmarRatio: 2.5,
    profitFactor: 1.5,
    winRate: 0.55,
    turnover: 12,
    trades: 7,
    fills: 40,
    ...overrides,
  };
}

/**
 * A run of `bars` 4h bars from 2024-01-01 with a strategy equity rising 1 %/bar and buy-and-hold 2 %/bar, and
 * selections that always pick 'momentum' in bull, 'mean-reversion' in bear and both in neutral regimes.
 */
export function fakeRun(condition: 'A' | 'C', symbol: string, bars = 40): PopAgentRunResult {
  const start = Date.UTC(2024, 0, 1);
  const time = Array.from({ length: bars }, (_, i) => start + (i + 1) * 4 * HOUR);
  const regimes = ['bull', 'bear', 'neutral'] as const;
  return {
    condition,
    symbol,
    timeframe: '4h',
    start,
    end: time[time.length - 1]!,
    seed: 42,
    config: {
      population: 2,
      methodsPerDecision: 1,
      discount: 0.99,
      transferEvery: 10,
      transferRate: 0.5,
      rankingWindow: 20,
      sgdLearningRate: 0.01,
      rlsForgettingFactor: 0.99,
      volatilityTarget: 0.5,
      allowShort: false,
      feeRate: 0.001,
      slippageRate: 0.0005,
      rebalanceThreshold: 0.1,
    },
    methods: ['momentum', 'mean-reversion'],
    metrics: summary(),
    buyAndHold: summary({ totalReturn: 0.3, trades: 1 }),
    equity: {
      time,
      strategy: time.map((_, i) => 10_000 * 1.01 ** i),
      buyAndHold: time.map((_, i) => 10_000 * 1.02 ** i),
    },
    exposure: time.map(() => 0.5),
    selections: time.map((t, i) => {
      const regime = regimes[i % 3]!;
      return { time: t, regime, counts: regime === 'bull' ? [2, 0] : regime === 'bear' ? [0, 2] : [1, 1] };
    }),
    agentSteps: 2 * bars,
  };
}

/**
 * Checks that `text` is one well-formed XML element: every start tag is closed in order, no stray text
 * outside the root. Returns a description of the first problem, or null.
 */
export function xmlProblem(text: string): string | null {
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, '').trim();
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|(<)/g;
  const stack: string[] = [];
  let rootClosed = false;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = tag.exec(body)) !== null) {
    if (match[5] !== undefined) return `unparseable '<' at ${match.index}`;
    if (rootClosed && body.slice(last, match.index).trim() !== '') return `text after the root at ${last}`;
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (name === undefined) continue;
    if (rootClosed) return `second root element <${name}> at ${match.index}`;
    if (closing) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}> at ${match.index}`;
      if (stack.length === 0) rootClosed = true;
    } else if (!selfClosing) {
      stack.push(name);
    } else if (stack.length === 0) {
      rootClosed = true;
    }
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`;
  if (!rootClosed) return 'no root element';
  return body.slice(last).trim() === '' ? null : 'text after the root';
}
