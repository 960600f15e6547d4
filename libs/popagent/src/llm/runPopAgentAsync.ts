import { TradingKernel } from '@trading-ml/backtest';
import { ConfigError } from '@trading-ml/core';
import type { LlmReasoner, PurposeTotals } from '@trading-ml/llm-reasoning';
import { LLM_CONDITIONS } from '../conditions.js';
import { finishRun, kernelOptions, prepareRun, recordSelection, runPopAgent } from '../run.js';
import type { PopAgentInput, PopAgentRunResult, SelectionSample } from '../types.js';
import { LlmAdvisor } from './advisor.js';

/** Options of {@link runPopAgentAsync}. */
export interface RunPopAgentAsyncOptions {
  /** Answers conditions B and D (required for them; unused by A and C). */
  readonly reasoner?: LlmReasoner;
  /** Called every few hundred bars and at the end with (bars processed, total bars). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Ask the LLM every this many decisions and hold its view in between (default 6: once a day on 4h bars). */
  readonly llmEvery?: number;
  /** Selected methods shown per prompt (default 5). */
  readonly maxMethods?: number;
  /** Headlines shown per prompt in D (default 8). */
  readonly maxHeadlines?: number;
  /** Look-back of the headlines in D, ms (default 24 h). */
  readonly headlineWindowMs?: number;
}

const NO_USAGE: PurposeTotals = { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, cacheHits: 0, fallbacks: 0 };

/**
 * Runs PopAgent under any condition; B and D with an LLM. A and C are exactly `runPopAgent`. In B and D the engine
 * steps as in A and C (same inventory, same random streams, the agents learn from their own arms), and an
 * {@link LlmAdvisor} turns each proposal into the committed exposure: every `llmEvery` decisions it asks the
 * reasoner (asOf = the decision close, so a response cache replays the run exactly) and holds that view in
 * between; the committed exposure is `combineExposure(population exposure, view)`, traded through the same kernel
 * (next-bar-open fills, fees, slippage) next to buy-and-hold. With a reasoner that always answers HOLD, B equals A
 * exactly, decision for decision.
 *
 * Lookahead: the prompt at a close holds only the proposal at that close (computed from bars up to it) and, in D,
 * headlines published strictly before it; the order fills at the next bar's open.
 *
 * @param input - as for `runPopAgent`; `news` is needed for D.
 * @param options - the reasoner (B/D), onProgress, llmEvery and prompt sizes.
 * @returns the run's result; for B/D with `llm` (views, actions, this run's calls, cache hits, fallbacks, tokens,
 *   estimated cost, and the population's own exposure).
 * @throws ConfigError for B/D without a reasoner, and as `runPopAgent`; LlmUnavailableError (no endpoint and a
 *   cache miss), BudgetExceededError (spending limit: the run is abandoned, earlier runs are unaffected),
 *   LlmOutputError (client fallback policy 'error').
 * @see `runPopAgent`; `LlmAdvisor`; `combineExposure`.
 * @example
 * const reasoner = createLlmReasoner({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', cache: 'llm.sqlite' });
 * const result = await runPopAgentAsync({ ...input, condition: 'B' }, { reasoner });
 * result.llm?.actions; // { BUY: 31, SELL: 12, HOLD: 57 }
 */
export async function runPopAgentAsync(input: PopAgentInput, options: RunPopAgentAsyncOptions = {}): Promise<PopAgentRunResult> {
  if (!LLM_CONDITIONS.includes(input.condition)) {
    return runPopAgent(input, options.onProgress === undefined ? {} : { onProgress: options.onProgress });
  }
  const reasoner = options.reasoner;
  if (reasoner === undefined) {
    throw new ConfigError({ parameter: 'reasoner', value: undefined, expected: `an LlmReasoner for condition ${input.condition} (createLlmReasoner from @trading-ml/llm-reasoning)` });
  }
  const run = prepareRun(input, options.onProgress);
  const { engine, references, config } = run;
  const advisor = new LlmAdvisor({
    reasoner,
    condition: input.condition,
    symbol: input.symbol,
    timeframe: input.timeframe,
    population: config.population,
    allowShort: config.allowShort,
    periodsPerYear: input.periodsPerYear,
    volatilityTarget: config.volatilityTarget,
    ...(run.news === undefined ? {} : { news: run.news }),
    ...(options.llmEvery === undefined ? {} : { every: options.llmEvery }),
    ...(options.maxMethods === undefined ? {} : { maxMethods: options.maxMethods }),
    ...(options.maxHeadlines === undefined ? {} : { maxHeadlines: options.maxHeadlines }),
    ...(options.headlineWindowMs === undefined ? {} : { headlineWindowMs: options.headlineWindowMs }),
  });
  const before = reasoner.ledger().byPurpose[advisor.purpose] ?? NO_USAGE;

  const exposure: number[] = [];
  const populationExposure: number[] = [];
  const selections: SelectionSample[] = [];
  // The kernel asks the strategy synchronously inside step(); the awaited LLM answer is ready before it is called.
  let committed = 0;
  const kernel = new TradingKernel({ symbol: input.symbol, strategy: { onBar: () => committed }, ...kernelOptions(config) });
  for (const bar of run.tradingBars) {
    const proposal = engine.step(bar, references.get(bar.closeTime) ?? null);
    run.tick();
    recordSelection(selections, proposal);
    committed = (await advisor.advise(proposal)).exposure;
    populationExposure.push(proposal.exposure);
    exposure.push(committed);
    kernel.step(bar);
  }

  const after = reasoner.ledger().byPurpose[advisor.purpose] ?? NO_USAGE;
  const views = advisor.takenViews();
  const { actions } = advisor.counts();
  return finishRun(input, run, kernel.result(), exposure, selections, {
    model: reasoner.model,
    every: advisor.every,
    consultations: views.length,
    actions,
    calls: after.calls - before.calls,
    cacheHits: after.cacheHits - before.cacheHits,
    fallbacks: after.fallbacks - before.fallbacks,
    promptTokens: after.promptTokens - before.promptTokens,
    completionTokens: after.completionTokens - before.completionTokens,
    costUsd: after.costUsd - before.costUsd,
    populationExposure,
    views,
  });
}
