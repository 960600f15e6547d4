import { DataError } from '@trading-ml/core';

/** A decision waiting for its outcome. */
export interface PendingDecision<T> {
  /** Decision time, UTC ms. */
  readonly decidedAt: number;
  /** When the outcome is known (decidedAt + horizon), UTC ms. */
  readonly realizedAt: number;
  readonly payload: T;
}

/**
 * Holds decisions until their outcomes are realized, so a learner (the DQN) is handed a decision only once its
 * reward can be computed from prices that have closed: `release(now)` returns the decisions with realizedAt ≤ now,
 * oldest realization first, and forgets them.
 *
 * @see river `evaluate/progressive_validation.py` (predict now, learn when the label arrives after a delay).
 * @example
 * const queue = new DecisionQueue<number>();
 * queue.push({ decidedAt: 0, realizedAt: 900_000, payload: 7 });
 * queue.release(600_000); // []
 * queue.release(900_000); // [{ decidedAt: 0, realizedAt: 900_000, payload: 7 }]
 */
export class DecisionQueue<T> {
  private pending: PendingDecision<T>[] = [];

  /** Decisions still waiting. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Queues a decision.
   * @param decision - realizedAt must be after decidedAt.
   * @throws DataError code 'LOOKAHEAD' when realizedAt ≤ decidedAt (an outcome cannot be known when deciding).
   */
  push(decision: PendingDecision<T>): void {
    if (!(decision.realizedAt > decision.decidedAt)) {
      throw new DataError({ code: 'LOOKAHEAD', location: { column: 'realizedAt' }, value: decision.realizedAt, expected: `a time after the decision time ${decision.decidedAt}` });
    }
    // Keep sorted by realizedAt (stable): horizons differ, so insertion order is not realization order.
    let index = this.pending.length;
    while (index > 0 && (this.pending[index - 1] as PendingDecision<T>).realizedAt > decision.realizedAt) index--;
    this.pending.splice(index, 0, decision);
  }

  /**
   * @param now - the current time, UTC ms.
   * @returns the decisions realized by `now` (realizedAt ≤ now), removed from the queue.
   */
  release(now: number): PendingDecision<T>[] {
    let count = 0;
    while (count < this.pending.length && (this.pending[count] as PendingDecision<T>).realizedAt <= now) count++;
    return this.pending.splice(0, count);
  }
}
