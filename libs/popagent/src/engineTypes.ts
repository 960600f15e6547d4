import type { Timeframe } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';
import type { BarHistoryState } from './barHistory.js';
import type { ModelBankState } from './modelBank.js';
import type { PopulationState } from './population.js';
import type { NewsSentimentState } from './sentiment.js';
import type { Condition, PopAgentConfig } from './types.js';

/** Options of {@link PopAgentEngine}: one (symbol, condition) stream. */
export interface PopAgentEngineOptions {
  /** 'BASE/QUOTE' as ccxt writes it, e.g. 'BTC/USDT'. */
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /**
   * 'A' (prices) or 'C' (prices + news); 'B' steps exactly like 'A' and 'D' like 'C' (the LLM of B/D acts on the
   * proposal outside the engine, see `LlmAdvisor`).
   */
  readonly condition: Condition;
  /** Root seed: streams `Rng.fromSeed(seed).derive(symbol)`, then 'agent/i' per agent. */
  readonly seed: number;
  /** Bars per year (2190 for 4h crypto), for the volatility target. */
  readonly periodsPerYear: number;
  readonly config?: Partial<PopAgentConfig>;
  /** Headlines (conditions C and D); each is used only at closes strictly after its time. */
  readonly news?: readonly NewsItem[];
}

/** One inventory method at a decision. */
export interface MethodProposal {
  readonly name: string;
  /** The method's signal at this close, in [−1, 1]. */
  readonly signal: number;
  /** Number of agents that selected it at this decision (0 … population). */
  readonly selectedBy: number;
}

/** Everything the engine decided and saw at one bar close (plain data, a fresh object each step). */
export interface PopAgentProposal {
  /** The bar's closeTime (UTC ms): every value below is known then. */
  readonly time: number;
  /** Index of this decision (0 for the first step). */
  readonly decision: number;
  /** Population-average target exposure in [−1, 1] ([0, 1] long-only), fraction of equity. */
  readonly exposure: number;
  /** Most probable HMM regime ('neutral' while the HMM is not warm). */
  readonly regime: 'bear' | 'neutral' | 'bull';
  /** [P(bear), P(neutral), P(bull)] of the HMM filter, or null while it is not warm. */
  readonly regimePosterior: readonly number[] | null;
  /** EWMA forecast of the next 1-bar return's standard deviation (fraction per bar), or null while warming up. */
  readonly volatility: number | null;
  /** Forecasts of the online models: next-bar return in σ units (sgd, rls), next-6-bar return in σ√6 units (medium). */
  readonly forecasts: { readonly sgd: number | null; readonly rls: number | null; readonly medium: number | null };
  /** Decayed VADER news sentiment in (−1, 1) (conditions C and D), null in A and B. */
  readonly sentiment: number | null;
  /** Every inventory method, in inventory order. */
  readonly methods: readonly MethodProposal[];
}

/** Plain-data state of a {@link PopAgentEngine} (JSON round-trips exactly). */
export interface PopAgentEngineState {
  readonly kind: 'popagent-engine';
  readonly version: 1;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly condition: Condition;
  readonly periodsPerYear: number;
  /** The seed the engine was built with (informational: the random streams themselves are in the agents' states). */
  readonly seed: number;
  readonly config: PopAgentConfig;
  /** Every bar seen, replayed through the indicators on restore (their smoothing has unbounded memory). */
  readonly bars: BarHistoryState;
  readonly models: ModelBankState;
  readonly population: PopulationState;
  /** The news cursor (condition C, once a bar was seen), else null. */
  readonly news: NewsSentimentState | null;
}
