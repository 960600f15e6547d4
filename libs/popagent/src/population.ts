import { z } from 'zod';
import { ConfigError, parseState } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';
import { PopAgentMember } from './agent.js';
import type { PopAgentMemberState } from './agent.js';
import { restoreParts } from './state.js';

/** Plain-data state of a {@link Population}. */
export interface PopulationState {
  readonly transferEvery: number;
  readonly transferRate: number;
  /** Decisions made so far. */
  readonly decisions: number;
  /** Transfer source of the latest transfer, −1 before the first. */
  readonly lastBest: number;
  /** Every agent's snapshot, in agent order. */
  readonly agents: PopAgentMemberState[];
}

function stateSchema(population: number) {
  return z.object({
    transferEvery: z.number().int().min(1),
    transferRate: z.number().min(0).max(1),
    decisions: z.number().int().nonnegative(),
    lastBest: z.number().int().min(-1).max(population - 1),
    agents: z.array(z.unknown()).length(population, `an array of ${population} agent snapshots (this population's size)`),
  });
}

/** The hyperparameters of a population that can change during a run (none changes an array shape that matters). */
export interface PopulationHyperparameters {
  readonly discount?: number;
  readonly methodsPerDecision?: number;
  readonly rankingWindow?: number;
  readonly transferEvery?: number;
  readonly transferRate?: number;
}

/** Options of {@link Population}. */
export interface PopulationOptions {
  readonly population: number;
  readonly nMethods: number;
  readonly methodsPerDecision: number;
  readonly discount: number;
  readonly rankingWindow: number;
  readonly transferEvery: number;
  readonly transferRate: number;
  readonly allowShort: boolean;
  /** The run's stream; agent i gets `rng.derive('agent/i')`. */
  readonly rng: Rng;
}

/**
 * The PopAgent population. At each close: (1) every agent learns from the return that has just been realized,
 * (2) every `transferEvery` decisions the agents other than the best (highest trailing realized reward, ties to
 * the lower index) pull their posteriors a fraction `transferRate` toward the best agent's, (3) every agent
 * decides; the COMMITTED decision is the average of the agents' positions, never the best agent in hindsight.
 * @see PopAgent issue (preference transfer); M. Jaderberg et al. (2017), "Population based training of neural
 *   networks", arXiv:1711.09846 (exploit step).
 * @example
 * const pop = new Population({ population: 10, nMethods: 14, methodsPerDecision: 3, discount: 0.99, rankingWindow: 42,
 *   transferEvery: 42, transferRate: 0.2, allowShort: false, rng });
 * pop.realize(r);                              // outcome of the previous decision
 * const exposure = pop.decide(signals, sigma, posterior);
 */
export class Population {
  readonly agents: PopAgentMember[];
  private transferEvery: number;
  private transferRate: number;
  private decisions = 0;
  private lastBest = -1;

  /** @param options - see {@link PopulationOptions}. @throws ConfigError from the agents' bandits. */
  constructor(options: PopulationOptions) {
    this.transferEvery = options.transferEvery;
    this.transferRate = options.transferRate;
    this.agents = Array.from(
      { length: options.population },
      (_, i) =>
        new PopAgentMember({
          nMethods: options.nMethods,
          methodsPerDecision: options.methodsPerDecision,
          discount: options.discount,
          rankingWindow: options.rankingWindow,
          allowShort: options.allowShort,
          rng: options.rng.derive(`agent/${i}`),
        }),
    );
  }

  /** Decisions made so far. */
  get decisionCount(): number {
    return this.decisions;
  }

  /** Index of the agent that was the transfer source at the latest transfer (−1 before the first). */
  get lastTransferSource(): number {
    return this.lastBest;
  }

  /** Every agent learns from the realized return of the bar after its pending decision. */
  realize(realizedReturn: number): void {
    for (const agent of this.agents) agent.realize(realizedReturn);
  }

  /** Index of the agent with the highest trailing realized reward (ties to the lower index). */
  bestAgent(): number {
    let best = 0;
    let bestReward = -Infinity;
    for (let i = 0; i < this.agents.length; i++) {
      const reward = this.agents[i]!.trailingReward();
      if (reward > bestReward) {
        best = i;
        bestReward = reward;
      }
    }
    return best;
  }

  /**
   * Preference transfer: every agent but the best moves its posterior `transferRate` of the way to the best's.
   * @returns the index of the best agent.
   */
  transfer(): number {
    const best = this.bestAgent();
    const source = this.agents[best]!.bandit;
    for (let i = 0; i < this.agents.length; i++) if (i !== best) this.agents[i]!.bandit.transferFrom(source, this.transferRate);
    this.lastBest = best;
    return best;
  }

  /**
   * One decision of the whole population (transfer first when it is due).
   * @param signals - every method's signal at this close, [nMethods].
   * @param sigma - volatility forecast known now, or null.
   * @param regime - HMM posterior now, or null.
   * @returns the committed exposure: the mean of the agents' positions.
   */
  decide(signals: ArrayLike<number>, sigma: number | null, regime: readonly number[] | null): number {
    if (this.decisions > 0 && this.decisions % this.transferEvery === 0) this.transfer();
    let sum = 0;
    for (const agent of this.agents) sum += agent.decide(signals, sigma, regime);
    this.decisions++;
    return sum / this.agents.length;
  }

  /**
   * Changes hyperparameters from the next decision on (PBT explore): every agent gets the same values.
   * @param values - any subset; each is validated before anything changes.
   * @throws ConfigError naming the first bad key and value.
   */
  setHyperparameters(values: PopulationHyperparameters): void {
    const { discount, methodsPerDecision, rankingWindow, transferEvery, transferRate } = values;
    const nMethods = this.agents[0]?.nMethods ?? 1;
    if (discount !== undefined && !(discount > 0 && discount <= 1)) throw new ConfigError({ parameter: 'discount', value: discount, expected: 'a number in (0, 1]' });
    if (methodsPerDecision !== undefined && !(Number.isInteger(methodsPerDecision) && methodsPerDecision >= 1 && methodsPerDecision <= nMethods)) {
      throw new ConfigError({ parameter: 'methodsPerDecision', value: methodsPerDecision, expected: `an integer in [1, ${nMethods}] (the inventory size)` });
    }
    if (rankingWindow !== undefined && !(Number.isInteger(rankingWindow) && rankingWindow >= 1)) throw new ConfigError({ parameter: 'rankingWindow', value: rankingWindow, expected: 'an integer ≥ 1 (decisions)' });
    if (transferEvery !== undefined && !(Number.isInteger(transferEvery) && transferEvery >= 1)) throw new ConfigError({ parameter: 'transferEvery', value: transferEvery, expected: 'an integer ≥ 1 (decisions)' });
    if (transferRate !== undefined && !(transferRate >= 0 && transferRate <= 1)) throw new ConfigError({ parameter: 'transferRate', value: transferRate, expected: 'a number in [0, 1]' });
    for (const agent of this.agents) {
      if (discount !== undefined) agent.setDiscount(discount);
      if (methodsPerDecision !== undefined) agent.setMethodsPerDecision(methodsPerDecision);
      if (rankingWindow !== undefined) agent.setRankingWindow(rankingWindow);
    }
    if (transferEvery !== undefined) this.transferEvery = transferEvery;
    if (transferRate !== undefined) this.transferRate = transferRate;
  }

  /** The complete state as plain data (every agent's snapshot included). */
  snapshot(): PopulationState {
    return {
      transferEvery: this.transferEvery,
      transferRate: this.transferRate,
      decisions: this.decisions,
      lastBest: this.lastBest,
      agents: this.agents.map((agent) => agent.snapshot()),
    };
  }

  /**
   * Replaces the state of the population and of every agent with a snapshot's (all or nothing).
   * @param state - from {@link Population.snapshot} (possibly through JSON) of a population of the same size.
   * @throws StateError naming the field (e.g. "agents.3.bandit.mean.2") when it does not fit.
   */
  restore(state: PopulationState): void {
    const s = parseState('Population', stateSchema(this.agents.length), state);
    restoreParts(
      'Population',
      this.agents.map((agent, i) => [`agents.${i}`, agent, s.agents[i]] as const),
    );
    this.transferEvery = s.transferEvery;
    this.transferRate = s.transferRate;
    this.decisions = s.decisions;
    this.lastBest = s.lastBest;
  }
}
