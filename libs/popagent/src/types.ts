import type { PerformanceSummary } from '@trading-ml/backtest';
import type { Bar, Timeframe } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';

/**
 * Ablation conditions of PopAgent: A baseline (price features only), B LLM reasoning over the selected
 * methods' signals, C news sentiment as features, D LLM with news. B and D need an LLM (`runPopAgentAsync` with a
 * reasoner); their agents learn exactly as in A and C respectively.
 */
export type Condition = 'A' | 'B' | 'C' | 'D';

/** Hyperparameters of one PopAgent run. Every field has a default (see `DEFAULT_POPAGENT_CONFIG`). */
export interface PopAgentConfig {
  /** Number of agents in the population (≥ 1). */
  readonly population: number;
  /** Methods each agent selects per decision (1 ≤ k ≤ inventory size). */
  readonly methodsPerDecision: number;
  /** Thompson-sampling discount γ ∈ (0, 1]; 1 = stationary. */
  readonly discount: number;
  /** Preference transfer happens every this many decisions. */
  readonly transferEvery: number;
  /** Preference transfer rate τ ∈ [0, 1]: how far each agent moves toward the best agent's posterior. */
  readonly transferRate: number;
  /** Decisions over which an agent's realized reward is averaged to rank agents for transfer. */
  readonly rankingWindow: number;
  /** SGD learning rate of the online linear forecaster. */
  readonly sgdLearningRate: number;
  /** RLS forgetting factor of the ridge forecaster ∈ (0, 1]. */
  readonly rlsForgettingFactor: number;
  /** Annualised volatility target used by the volatility-targeting sizing (e.g. 0.5 = 50 %/yr). */
  readonly volatilityTarget: number;
  /** Allow short positions (false: long/flat, the spot default). */
  readonly allowShort: boolean;
  /** Fee per trade as a fraction of notional (0.001 = 10 bps). */
  readonly feeRate: number;
  /** Slippage as a fraction of price (0.0005 = 5 bps). */
  readonly slippageRate: number;
  /**
   * No-trade band: the population only trades when its target exposure moves by at least this fraction of
   * equity (0.1 = 10 %); smaller moves are not worth the fee and slippage. 0 rebalances on every change.
   */
  readonly rebalanceThreshold: number;
}

/** The inputs of one run for one symbol: only data, already loaded and validated by the app. */
export interface PopAgentInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Bars of the symbol, time-ordered, including a warm-up period before `start`. */
  readonly bars: readonly Bar[];
  /** Bars of a reference asset (e.g. BTC/USDT) for cross-asset correlation, or none. */
  readonly referenceBars?: readonly Bar[];
  /**
   * Headlines (condition C and D only); each is used only after its timestamp (sentiment in C/D, quoted in D's
   * prompts). Items may carry a precomputed
   * `sentiment` (from `scoreHeadlines`), otherwise their headline is scored during the run.
   */
  readonly news?: readonly NewsItem[];
  /** First decision time (UTC ms): bars before it only warm up features and models; results count from here. */
  readonly start: number;
  /** Last bar close time included (UTC ms). */
  readonly end: number;
  readonly condition: Condition;
  readonly seed: number;
  readonly periodsPerYear: number;
  readonly config?: Partial<PopAgentConfig>;
}


/** Performance of one equity curve: the backtest library's summary (Sharpe with bootstrap interval, drawdown, …). */
export type { PerformanceSummary };

/** How many agents selected each method at one decision, with the regime the HMM saw then. */
export interface SelectionSample {
  readonly time: number;
  readonly regime: 'bear' | 'neutral' | 'bull';
  /** counts[m] = number of agents that selected method m at this decision (same order as `methods`). */
  readonly counts: readonly number[];
}

/** Result of one (condition, symbol) run. */
export interface PopAgentRunResult {
  readonly condition: Condition;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly start: number;
  readonly end: number;
  readonly seed: number;
  readonly config: PopAgentConfig;
  /** Names of the inventory methods, the order used by `SelectionSample.counts`. */
  readonly methods: readonly string[];
  /** The population's committed decisions (population-average target exposure), traded through the kernel. */
  readonly metrics: PerformanceSummary;
  /** Buy-and-hold of the same symbol over the same bars, same fees and fills. */
  readonly buyAndHold: PerformanceSummary;
  /** Equity at each bar close from `start` on, quote currency, both starting at the same initial cash. */
  readonly equity: { readonly time: readonly number[]; readonly strategy: readonly number[]; readonly buyAndHold: readonly number[] };
  /** Population target exposure at each decision (same times as `equity.time`). */
  readonly exposure: readonly number[];
  readonly selections: readonly SelectionSample[];
  /** Number of agent-bar steps executed (population × decisions). */
  readonly agentSteps: number;
  /**
   * Conditions B and D only: the LLM's part of the run. `exposure` above is then the COMMITTED exposure (the
   * population's moved by the LLM's view, see `combineExposure`), and `llm.populationExposure` the population's own.
   */
  readonly llm?: LlmRunSummary;
}

/** One LLM consultation of a B/D run. */
export interface LlmViewRecord {
  /** Decision close, UTC ms (the request's asOf). */
  readonly time: number;
  readonly action: 'BUY' | 'SELL' | 'HOLD';
  /** In [0, 1]. */
  readonly confidence: number;
  /** 'llm' answered by the endpoint, 'cache' replayed, 'fallback' HOLD after invalid output twice. */
  readonly source: 'llm' | 'cache' | 'fallback';
  /** Method names / headline ids the answer cited (a subset of those offered). */
  readonly cited: readonly string[];
}

/** The LLM's part of a condition-B/D run: what it answered and what it cost (this run's ledger lines only). */
export interface LlmRunSummary {
  /** Model name as sent to the endpoint. */
  readonly model: string;
  /** The LLM was asked every this many decisions (its view held in between). */
  readonly every: number;
  /** Consultations, one per asked decision. */
  readonly consultations: number;
  /** Consultations per answered action. */
  readonly actions: { readonly BUY: number; readonly SELL: number; readonly HOLD: number };
  /** Endpoint calls (a corrective retry is a second call). */
  readonly calls: number;
  /** Requests answered by the response cache. */
  readonly cacheHits: number;
  /** Decisions that fell back to HOLD after invalid output twice. */
  readonly fallbacks: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Estimated US dollars from the client's price table (0 for unpriced/local models and cache hits). */
  readonly costUsd: number;
  /** The population's own exposure at each decision (same times as `equity.time`), before the LLM. */
  readonly populationExposure: readonly number[];
  /** Every consultation, oldest first. */
  readonly views: readonly LlmViewRecord[];
}
