/**
 * A small deterministic trainable for tests: noisy gradient descent on f(θ) = Σ θᵢ² in 4 dimensions, the toy
 * problem family of the PBT paper (arXiv:1711.09846, §4.1 toy example uses a quadratic). Hyperparameters:
 * `lr` (step size), `batch` (the gradient noise has sd noise/√batch) and `noise` (a choice). Score = −f(θ).
 * The generator's state is part of the snapshot, so train(a) + snapshot/restore + train(b) equals train(a + b).
 * With the env variable PBT_TEST_DELAY_MS set, every train step also waits that many ms (kill tests).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Rng } from '@trading-ml/core';
import type { RngState } from '@trading-ml/core';
import type { HyperparameterSpace, Hyperparameters } from '../space.js';
import type { JsonValue, Trainable, TrainableContext, TrainOutcome } from '../trainable.js';

/** The space the tests explore. */
export const quadraticSpace: HyperparameterSpace = {
  lr: { kind: 'float', min: 0.001, max: 0.45, scale: 'log' },
  batch: { kind: 'int', min: 1, max: 32 },
  noise: { kind: 'choice', values: [0, 0.05, 0.2, 0.5] },
};

interface QuadraticState {
  theta: number[];
  rng: RngState;
  steps: number;
}

class QuadraticTrainable implements Trainable {
  private theta: number[];
  private rng: Rng;
  private steps = 0;

  constructor(
    private readonly hyperparameters: Hyperparameters,
    context: TrainableContext,
  ) {
    this.rng = Rng.fromSeed(context.seed).derive('quadratic');
    this.theta = Array.from({ length: 4 }, () => this.rng.normal(0, 1));
  }

  async train(steps: number): Promise<TrainOutcome> {
    const lr = this.hyperparameters['lr'] as number;
    const sd = (this.hyperparameters['noise'] as number) / Math.sqrt(this.hyperparameters['batch'] as number);
    const delay = Number(process.env['PBT_TEST_DELAY_MS'] ?? 0);
    for (let s = 0; s < steps; s++) {
      if (delay > 0) await sleep(delay);
      // ∂f/∂θᵢ = 2θᵢ, observed with Gaussian noise.
      this.theta = this.theta.map((t) => t - lr * (2 * t + this.rng.normal(0, sd)));
      this.steps += 1;
    }
    const loss = this.theta.reduce((sum, t) => sum + t * t, 0);
    return { score: -loss, metrics: { loss, steps: this.steps } };
  }

  snapshot(): JsonValue {
    return { theta: [...this.theta], rng: this.rng.snapshot() as unknown as JsonValue, steps: this.steps };
  }

  restore(state: JsonValue): void {
    const s = state as unknown as QuadraticState;
    this.theta = [...s.theta];
    this.rng = Rng.restore(s.rng);
    this.steps = s.steps;
  }
}

/** The module's factory (what workers call after importing this module by URL). */
export function createTrainable(hyperparameters: Hyperparameters, context: TrainableContext): Trainable {
  return new QuadraticTrainable(hyperparameters, context);
}

/** This module's URL, for ThreadExecutor / RedisExecutor / child processes. */
export const quadraticModuleUrl = import.meta.url;
