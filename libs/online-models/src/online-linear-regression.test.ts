import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import { OnlineLinearRegression } from './online-linear-regression.js';
import { runRegressorContract } from './contract.test-helper.js';

runRegressorContract('OnlineLinearRegression', () => new OnlineLinearRegression({ nFeatures: 3, learningRate: 0.05, l2: 0.01 }));
runRegressorContract('OnlineLinearRegression without intercept', () => new OnlineLinearRegression({ nFeatures: 2, fitIntercept: false }));

/** The textbook SGD step on ½(ŷ − y)² + ½λ‖w‖², written out independently of the implementation. */
function referenceSgd(
  rows: ReadonlyArray<{ x: number[]; y: number }>,
  eta: number,
  lambda: number,
  fitIntercept: boolean,
): { w: number[]; b: number } {
  let w = new Array<number>(rows[0]!.x.length).fill(0);
  let b = 0;
  for (const { x, y } of rows) {
    const residual = x.reduce((s, v, j) => s + v * w[j]!, b) - y;
    w = w.map((wj, j) => wj - eta * (residual * x[j]! + lambda * wj));
    if (fitIntercept) b = b - eta * residual;
  }
  return { w, b };
}

describe('OnlineLinearRegression', () => {
  it('matches two SGD steps computed by hand', () => {
    // η = 0.1, λ = 0.5. Step 1: x = [1, 2], y = 3, ŷ = 0, residual −3 → w = [0.3, 0.6], b = 0.3.
    // Step 2: x = [−1, 1], y = 0, ŷ = −0.3 + 0.6 + 0.3 = 0.6, residual 0.6 →
    //   w₁ = 0.3 − 0.1(0.6·(−1) + 0.5·0.3) = 0.345, w₂ = 0.6 − 0.1(0.6·1 + 0.5·0.6) = 0.51, b = 0.3 − 0.06 = 0.24.
    const model = new OnlineLinearRegression({ nFeatures: 2, learningRate: 0.1, l2: 0.5 });
    model.update([1, 2], 3);
    expect(model.weights()[0]).toBeCloseTo(0.3, 14);
    expect(model.weights()[1]).toBeCloseTo(0.6, 14);
    expect(model.intercept).toBeCloseTo(0.3, 14);
    model.update([-1, 1], 0);
    expect(model.weights()[0]).toBeCloseTo(0.345, 14);
    expect(model.weights()[1]).toBeCloseTo(0.51, 14);
    expect(model.intercept).toBeCloseTo(0.24, 14);
    expect(model.predict([1, 1])).toBeCloseTo(0.345 + 0.51 + 0.24, 14);
  });

  it('equals the reference SGD recursion on random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 1e-4, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000_000 }),
        (nFeatures, n, eta, lambda, fitIntercept, seed) => {
          const rng = Rng.fromSeed(seed);
          const rows = Array.from({ length: n }, () => ({
            x: Array.from({ length: nFeatures }, () => rng.normal(0, 1)),
            y: rng.normal(0, 2),
          }));
          const model = new OnlineLinearRegression({ nFeatures, learningRate: eta, l2: lambda, fitIntercept });
          for (const { x, y } of rows) model.update(x, y);
          const reference = referenceSgd(rows, eta, lambda, fitIntercept);
          model.weights().forEach((w, j) => expect(w).toBeCloseTo(reference.w[j]!, 10));
          expect(model.intercept).toBeCloseTo(reference.b, 10);
        },
      ),
    );
  });

  it('does not regularise the intercept', () => {
    // With x = 0 the gradient of the loss w.r.t. w vanishes, so w only decays by (1 − ηλ) per step,
    // while b follows the unpenalised step b ← b − η(b − y).
    const model = new OnlineLinearRegression({ nFeatures: 1, learningRate: 0.1, l2: 1 });
    model.update([1], 1); // w = 0.1, b = 0.1
    model.update([0], 1); // w = 0.1·(1 − 0.1) = 0.09, b = 0.1 − 0.1(0.1 − 1) = 0.19
    expect(model.weights()[0]).toBeCloseTo(0.09, 14);
    expect(model.intercept).toBeCloseTo(0.19, 14);
  });

  it('converges to the true coefficients on noiseless linear data', () => {
    const rng = Rng.fromSeed(1);
    const model = new OnlineLinearRegression({ nFeatures: 2, learningRate: 0.05 });
    for (let i = 0; i < 5000; i++) {
      const x = [rng.normal(0, 1), rng.normal(0, 1)];
      model.update(x, 2 * x[0]! - x[1]! + 0.5);
    }
    expect(model.weights()[0]).toBeCloseTo(2, 6);
    expect(model.weights()[1]).toBeCloseTo(-1, 6);
    expect(model.intercept).toBeCloseTo(0.5, 6);
  });

  it('keeps the intercept at 0 when fitIntercept is false and returns copies of the weights', () => {
    const model = new OnlineLinearRegression({ nFeatures: 1, fitIntercept: false, learningRate: 0.5 });
    model.update([1], 4);
    expect(model.intercept).toBe(0);
    const weights = model.weights();
    weights[0] = 99;
    expect(model.weights()[0]).toBe(2); // 0 − 0.5·(0 − 4)·1
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => new OnlineLinearRegression({ nFeatures: 0 })).toThrow(/nFeatures: got 0/);
    expect(() => new OnlineLinearRegression({ nFeatures: 1.5 })).toThrow(ConfigError);
    expect(() => new OnlineLinearRegression({ nFeatures: 2, learningRate: 0 })).toThrow(/learningRate: got 0, expected a finite number in \(0/);
    expect(() => new OnlineLinearRegression({ nFeatures: 2, learningRate: Number.NaN })).toThrow(ConfigError);
    expect(() => new OnlineLinearRegression({ nFeatures: 2, l2: -0.1 })).toThrow(/l2: got -0.1/);
    expect(() => new OnlineLinearRegression({ nFeatures: 2, fitIntercept: 'yes' as never })).toThrow(/fitIntercept/);
  });

  it('rejects a snapshot that breaks a cross-field rule on restore, naming the field', () => {
    const model = new OnlineLinearRegression({ nFeatures: 2, fitIntercept: false });
    model.update([1, 2], 1);
    const snapshot = model.snapshot();
    expect(() => model.restore({ ...snapshot, intercept: 0.5 })).toThrow(/field "intercept" is 0.5, expected 0 when fitIntercept is false/);
    expect(() => new OnlineLinearRegression({ nFeatures: 3 }).restore(snapshot)).toThrow(/field "nFeatures" is 2/);
    expect(() => model.restore({ ...snapshot, nUpdates: 1.5 })).toThrow(StateError);
    expect(model.snapshot()).toStrictEqual(snapshot);
  });
});
