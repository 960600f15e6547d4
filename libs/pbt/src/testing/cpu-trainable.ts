/**
 * A CPU-bound trainable for the benchmark: each step is `work` iterations of a floating-point recurrence
 * (no allocation, no I/O), so a job's time is pure compute and threads can be compared fairly.
 */
import type { Hyperparameters } from '../space.js';
import type { JsonValue, Trainable, TrainableContext } from '../trainable.js';

export function createTrainable(hyperparameters: Hyperparameters, context: TrainableContext): Trainable {
  const work = (hyperparameters['work'] as number | undefined) ?? 200_000;
  const size = (hyperparameters['stateSize'] as number | undefined) ?? 1_000;
  let weights = Array.from({ length: size }, (_, i) => Math.sin(i + context.seed));
  let x = 0.5;
  return {
    train(steps: number) {
      const rate = hyperparameters['rate'] as number;
      for (let s = 0; s < steps; s++) {
        for (let i = 0; i < work; i++) x = rate * x * (1 - x) + 1e-9; // logistic map, stays in (0, 1) for rate < 4
        weights[s % size] = x;
      }
      return { score: x };
    },
    snapshot: () => ({ weights: [...weights], x }),
    restore(state: JsonValue) {
      const s = state as { weights: number[]; x: number };
      weights = [...s.weights];
      x = s.x;
    },
  };
}
