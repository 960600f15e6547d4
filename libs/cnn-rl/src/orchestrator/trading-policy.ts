import { ConfigError } from '@trading-ml/core';
import type { Rng } from '@trading-ml/core';
import { epsilonForStability } from '../dqn/dqn-math.js';
import { HOLD } from '../labels/perfect-move.js';
import type { TradeAction } from '../labels/perfect-move.js';
import { riskAdjustedPnlReward } from '../rewards/risk-adjusted-pnl.js';
import { systemReward } from '../rewards/system-reward.js';
import { actionConfidence, dqnState } from './decision-signal.js';
import type { DecisionSignal } from './decision-signal.js';
import { DecisionQueue } from './decision-queue.js';
import { RiskManager } from './risk-manager.js';
import type { RiskLimits } from './risk-manager.js';
import { gateAction } from './signal-gate.js';

/** The part of a DQN agent the policy uses (DuelingDoubleDqn has it). */
export interface PolicyAgent {
  act(state: ArrayLike<number>, epsilon: number, rng: Rng): number;
  remember(transition: { state: ArrayLike<number>; action: number; reward: number; nextState: ArrayLike<number>; done: boolean }): void;
  trainStep(): { loss: number } | null;
}

/** Options of {@link TradingPolicy}. */
export interface TradingPolicyOptions {
  /** Time between decisions, ms (one decision bar): a decision is realized one step later. */
  readonly decisionStepMs: number;
  /** |next-bar return| up to which HOLD is right (the decision timeframe's label threshold), fraction. */
  readonly holdBand: number;
  /** 'system' ({@link systemReward}) or 'risk-adjusted-pnl' ({@link riskAdjustedPnlReward}). Default 'system'. */
  readonly reward?: 'system' | 'risk-adjusted-pnl';
  /** Fee rate for the risk-adjusted reward, fraction of notional. Default 0.001. */
  readonly feeRate?: number;
  /** Minimum confidence to act on BUY/SELL. Default 0.6. */
  readonly confidenceThreshold?: number;
  /** ε bounds; ε = max − (max − min)·stability while exploring (epsilonForStability). Default { min: 0.02, max: 0.3 }. */
  readonly epsilon?: { readonly min: number; readonly max: number };
  /** Explore (ε-greedy) or act greedily. */
  readonly explore: boolean;
  /** Store realized transitions and train. */
  readonly learn: boolean;
  /** One train step every this many realized transitions. Default 1. */
  readonly trainEvery?: number;
  /** Risk limits. */
  readonly risk?: RiskLimits;
}

/** A decision waiting for its outcome. */
interface Pending {
  readonly state: Float32Array;
  readonly action: TradeAction;
  readonly confidence: number;
  readonly close: number;
  readonly sigma: number;
  readonly previousExposure: number;
  readonly exposure: number;
}

/** What {@link TradingPolicy.decide} returns. */
export interface PolicyDecision {
  /** The DQN's action. */
  readonly action: TradeAction;
  /** After the confidence gate. */
  readonly gated: TradeAction;
  /** The confidence of `action` ({@link actionConfidence}). */
  readonly confidence: number;
  /** Target exposure for the kernel; null keeps the position. */
  readonly target: number | null;
}

/** Running counts. */
export interface PolicyStats {
  decisions: number;
  /** BUY, HOLD, SELL counts of the DQN's actions. */
  dqnActions: [number, number, number];
  /** The same after the confidence gate. */
  gatedActions: [number, number, number];
  trainSteps: number;
  lossSum: number;
  rewardSum: number;
  transitions: number;
  /** Loss of every train step, in order. */
  losses: number[];
}

/**
 * One symbol's trading policy at each decision close:
 * 1. release the decisions realized by now (decided one step ago or earlier), compute their rewards from the close
 *    now, and hand them to the agent (state, action, reward, next state — the state now for the decision one step
 *    ago, an episode end otherwise) and train;
 * 2. the agent picks BUY/HOLD/SELL from the state (ε-greedy while exploring, ε from the regime's stability);
 * 3. the confidence gate and the risk limits turn it into a target exposure;
 * 4. queue the decision with realizedAt = now + one step.
 * No decision reaches the learner before its outcome is known.
 *
 * @see river `evaluate/progressive_validation.py` (learn when the label arrives); CleanRL `dqn.py` (the loop).
 * @example
 * const policy = new TradingPolicy(dqn, rng, { decisionStepMs: 900_000, holdBand: 0.002, explore: false, learn: true });
 * const { target } = policy.decide(signal, exposure, equity, bar.closeTime, bar.close);
 */
export class TradingPolicy {
  readonly stats: PolicyStats = { decisions: 0, dqnActions: [0, 0, 0], gatedActions: [0, 0, 0], trainSteps: 0, lossSum: 0, rewardSum: 0, transitions: 0, losses: [] };
  readonly risk: RiskManager;
  private readonly queue = new DecisionQueue<Pending>();
  private readonly options: Required<Omit<TradingPolicyOptions, 'risk'>>;

  /**
   * @param agent - the DQN (or anything with act / remember / trainStep).
   * @param rng - the exploration stream.
   * @param options - see {@link TradingPolicyOptions}.
   * @throws ConfigError on a non-positive step or hold band, or bad risk limits.
   */
  constructor(
    private readonly agent: PolicyAgent,
    private readonly rng: Rng,
    options: TradingPolicyOptions,
  ) {
    if (!(options.decisionStepMs > 0)) throw new ConfigError({ parameter: 'decisionStepMs', value: options.decisionStepMs, expected: 'a positive duration (ms)' });
    if (!(options.holdBand >= 0)) throw new ConfigError({ parameter: 'holdBand', value: options.holdBand, expected: 'a fraction ≥ 0' });
    this.options = { reward: 'system', feeRate: 0.001, confidenceThreshold: 0.6, epsilon: { min: 0.02, max: 0.3 }, trainEvery: 1, ...options };
    this.risk = new RiskManager(options.risk ?? {});
  }

  private reward(pending: Pending, close: number): number {
    const priceChange = close / pending.close - 1;
    if (this.options.reward === 'risk-adjusted-pnl') {
      return riskAdjustedPnlReward({ position: pending.exposure, previousPosition: pending.previousExposure, priceChange, volatility: pending.sigma }, { feeRate: this.options.feeRate });
    }
    return systemReward({ action: pending.action, priceChange, confidence: pending.confidence }, { holdBand: this.options.holdBand });
  }

  /** Step 1: learn from the decisions realized by `time` (close = their outcome). */
  private realize(time: number, close: number, nextState: Float32Array | null): void {
    for (const { decidedAt, payload } of this.queue.release(time)) {
      const reward = this.reward(payload, close);
      const adjacent = nextState !== null && decidedAt + this.options.decisionStepMs === time;
      this.stats.rewardSum += reward;
      this.stats.transitions++;
      if (!this.options.learn) continue;
      this.agent.remember({ state: payload.state, action: payload.action, reward, nextState: adjacent ? nextState : payload.state, done: !adjacent });
      if (this.stats.transitions % this.options.trainEvery === 0) {
        const result = this.agent.trainStep();
        if (result !== null) {
          this.stats.trainSteps++;
          this.stats.lossSum += result.loss;
          this.stats.losses.push(result.loss);
        }
      }
    }
  }

  /**
   * Decides at a decision close.
   * @param signal - the signal at this close, or null when none could be built (the policy holds).
   * @param exposure - the exposure held now, signed fraction of equity.
   * @param equity - equity at this close (> 0, any unit).
   * @param time - the close time, UTC ms.
   * @param close - the decision bar's close (the outcome of earlier decisions, the reference of this one).
   * @returns the decision.
   * @throws ConfigError from the risk manager on a non-positive equity.
   */
  decide(signal: DecisionSignal | null, exposure: number, equity: number, time: number, close: number): PolicyDecision {
    const state = signal === null ? null : dqnState(signal, exposure);
    this.realize(time, close, state);
    if (signal === null || state === null) return { action: HOLD, gated: HOLD, confidence: 0, target: null };
    const epsilon = this.options.explore ? epsilonForStability(signal.stability, this.options.epsilon) : 0;
    const action = this.agent.act(state, epsilon, this.rng) as TradeAction;
    const confidence = actionConfidence(signal, action);
    const gated = gateAction(action, confidence, this.options.confidenceThreshold);
    const target = this.risk.targetExposure(gated, equity);
    this.queue.push({ decidedAt: time, realizedAt: time + this.options.decisionStepMs, payload: { state, action, confidence, close, sigma: signal.sigma, previousExposure: exposure, exposure: target ?? exposure } });
    this.stats.decisions++;
    this.stats.dqnActions[action]++;
    this.stats.gatedActions[gated]++;
    return { action, gated, confidence, target };
  }
}
