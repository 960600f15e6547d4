/**
 * The PBT trainable module of PopAgent (`createTrainable`, the contract of `@trading-ml/pbt`): one train step is
 * one walk-forward window. Executors load it by URL (worker threads, Redis workers on other machines) or as a
 * module object (inline), so it depends only on its job: hyperparameters (the tunable keys and the run
 * description under `RUN_KEY`), the state and the member's seed.
 */
import { Rng } from '@trading-ml/core';
import type { Hyperparameters, JsonValue, Trainable, TrainableContext, TrainOutcome } from '@trading-ml/pbt';
import { meanFitness } from './fitness.js';
import { PopAgentPbtMember } from './member.js';
import type { WindowTrade } from './member.js';
import { decodeRunSpec } from './run-spec.js';
import { tunableConfig } from './space.js';

/**
 * The figures logged with a window's score: the mean over symbols of the Sharpe ratio, maximum drawdown, total
 * return and (when finite) profit factor, the Sharpe ratio per symbol, and the window's index.
 *
 * @param window - the window's index.
 * @param trades - one per symbol.
 * @returns finite numbers only (lineage and Redis carry JSON).
 * @throws never.
 * @example
 * windowMetrics(0, trades); // { window: 0, sharpe: 0.8, maxDrawdown: 0.12, totalReturn: 0.03, 'sharpe:BTC/USDT': 0.8, … }
 */
export function windowMetrics(window: number, trades: readonly WindowTrade[]): Record<string, number> {
  const mean = (pick: (t: WindowTrade) => number) => trades.reduce((sum, t) => sum + pick(t), 0) / trades.length;
  const metrics: Record<string, number> = {
    window,
    sharpe: mean((t) => t.summary.sharpeRatio),
    maxDrawdown: mean((t) => t.summary.maxDrawdown),
    totalReturn: mean((t) => t.summary.totalReturn),
  };
  const profitFactor = mean((t) => t.summary.profitFactor);
  if (Number.isFinite(profitFactor)) metrics['profitFactor'] = profitFactor;
  for (const t of trades) metrics[`sharpe:${t.symbol}`] = t.summary.sharpeRatio;
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}

/**
 * Builds a PopAgent PBT member for one job.
 *
 * @param hyperparameters - the tunable PopAgent keys plus `RUN_KEY` (the run description).
 * @param context - memberId and seed (the engines' seed when the member starts fresh).
 * @returns a trainable: `train(steps)` trades `steps` windows and scores the last one (its fitness, averaged over
 *   symbols); `snapshot()` / `restore(state)` move the engines' complete state.
 * @throws ConfigError on a missing or malformed run description or hyperparameter.
 * @see libs/pbt README ("The trainable contract"); member.ts
 * @example
 * const trainable = createTrainable({ ...hyperparameters, run: encodeRunSpec(spec) }, { memberId: 0, seed: 7 });
 * const { score } = trainable.train(1); // fitness of window 0
 */
export function createTrainable(hyperparameters: Hyperparameters, context: TrainableContext): Trainable {
  const spec = decodeRunSpec(hyperparameters);
  const tunable = tunableConfig(hyperparameters);
  let member: PopAgentPbtMember | undefined;
  // After a snapshot the engines go back to the thread's pool (a job ends with its snapshot); training again
  // after that continues from the snapshot, so the trainable contract still holds.
  let saved: JsonValue = null;
  const current = () => (member ??= new PopAgentPbtMember(spec, tunable, context.seed, saved));
  return {
    train(steps: number): TrainOutcome {
      let outcome: TrainOutcome | undefined;
      for (let i = 0; i < steps; i++) {
        const m = current();
        // The interval's bootstrap stream depends only on the window, so copies and restores agree.
        const { window, trades } = m.tradeNextWindow(Rng.fromSeed(context.seed));
        outcome = { score: meanFitness(spec.fitness, trades.map((t) => t.summary), spec.drawdownCap), metrics: windowMetrics(window, trades) };
      }
      return outcome!;
    },
    snapshot(): JsonValue {
      const m = current();
      saved = m.snapshot() as unknown as JsonValue;
      m.release();
      member = undefined;
      return saved;
    },
    restore(state: JsonValue): void {
      member?.release();
      member = new PopAgentPbtMember(spec, tunable, context.seed, state);
    },
  };
}
