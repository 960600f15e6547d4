/**
 * `--mode trade`: the test window through the backtest kernel (decide at a decision bar's close, fill at the next
 * bar's open with fees and slippage), next to buy-and-hold on the same bars and fill model.
 */
import { PERIODS_PER_YEAR_24_7 } from '@trading-ml/core';
import type { Bar } from '@trading-ml/core';
import { buyAndHold, NextBarOpenFillModel, runBacktest, summarizePerformance } from '@trading-ml/backtest';
import type { BacktestResult, PerformanceSummary, Strategy } from '@trading-ml/backtest';
import { TradingPolicy } from '@trading-ml/cnn-rl';
import type { DecisionSignal, DuelingDoubleDqn, MultiTimeframeCnn, PolicyStats } from '@trading-ml/cnn-rl';
import { buildSymbolDataset } from './dataset.js';
import { policyOptions } from './policy-options.js';
import type { RunContext } from './run-context.js';
import { computeSignals } from './signals.js';

/** One symbol's trade run. */
export interface SymbolTradeResult {
  readonly symbol: string;
  readonly bars: number;
  /** Decision bars without a point-in-time window (gaps, warm-up): the policy held. */
  readonly barsWithoutSignal: number;
  readonly strategy: PerformanceSummary;
  readonly buyAndHold: PerformanceSummary;
  readonly strategyResult: BacktestResult;
  readonly buyAndHoldResult: BacktestResult;
  readonly stats: PolicyStats;
  readonly riskStops: number;
  readonly firstTime: number;
  readonly lastTime: number;
}

/**
 * Runs the trade window for every symbol.
 * @param ctx - the run context.
 * @param models - the CNN and one DQN per symbol (options.symbols order).
 * @param window - test window [start, end], UTC ms.
 * @returns one result per symbol.
 * @throws DataError / ConfigError from loading.
 * @example
 * const [btc, eth] = runTrading(ctx, await loadModels(dir, config, symbols, 42), { start, end });
 * btc.strategy.sharpeRatio; // next to btc.buyAndHold.sharpeRatio
 */
export function runTrading(ctx: RunContext, models: { cnn: MultiTimeframeCnn; dqns: readonly DuelingDoubleDqn[] }, window: { start: number; end: number }): SymbolTradeResult[] {
  const { config, options, io, rng } = ctx;
  io.write(`trade window ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}, decisions every ${config.decisionTimeframe}\n`);
  const datasets = options.symbols.map((symbol) => buildSymbolDataset({ config, dataDir: ctx.dataDir, symbol, start: window.start, end: window.end, withLabels: false }));
  const signals = computeSignals(models.cnn, datasets, config);
  const fillModel = new NextBarOpenFillModel({ feeRate: config.execution.feeRate, slippageRate: config.execution.slippageRate });
  const periodsPerYear = PERIODS_PER_YEAR_24_7[config.decisionTimeframe];
  return datasets.map((dataset, i) => {
    const symbolSignals = signals[i] as Map<number, DecisionSignal>;
    const dqn = models.dqns[i] as DuelingDoubleDqn;
    const policy = new TradingPolicy(dqn, rng.derive(`trade/${dataset.symbol}`), policyOptions(config, { explore: false, learn: config.dqn.learnOnline }));
    let withoutSignal = 0;
    const strategy: Strategy = {
      onBar(bar: Bar, context) {
        const signal = symbolSignals.get(bar.closeTime) ?? null;
        if (signal === null) withoutSignal++;
        const exposure = (context.position.quantity * bar.close) / context.equity;
        return policy.decide(signal, exposure, context.equity, bar.closeTime, bar.close).target;
      },
    };
    const bars = dataset.decisionBars;
    const common = { bars, symbol: dataset.symbol, fillModel, initialCash: config.execution.initialCash };
    const strategyResult = runBacktest({ ...common, strategy, allowShort: config.risk.allowShort, maxLeverage: config.risk.maxPosition });
    const buyAndHoldResult = buyAndHold(common);
    const summaryRng = rng.derive(`summary/${dataset.symbol}`);
    return {
      symbol: dataset.symbol,
      bars: bars.length,
      barsWithoutSignal: withoutSignal,
      strategy: summarizePerformance(strategyResult, { periodsPerYear, rng: summaryRng.derive('strategy') }),
      buyAndHold: summarizePerformance(buyAndHoldResult, { periodsPerYear, rng: summaryRng.derive('buyAndHold') }),
      strategyResult,
      buyAndHoldResult,
      stats: policy.stats,
      riskStops: policy.risk.stops,
      firstTime: (bars[0] as Bar).closeTime,
      lastTime: (bars[bars.length - 1] as Bar).closeTime,
    };
  });
}
