import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, inverse, solve } from 'ml-matrix';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import { OnlineRidge } from './online-ridge.js';
import { runRegressorContract } from './contract.test-helper.js';

runRegressorContract('OnlineRidge', () => new OnlineRidge({ nFeatures: 3, lambda: 0.5 }));
runRegressorContract('OnlineRidge with forgetting, no intercept', () => new OnlineRidge({ nFeatures: 4, forgettingFactor: 0.97, fitIntercept: false }));

/** Augmented design Z = [X, 1] (or X) as an ml-matrix. */
function design(rows: ReadonlyArray<{ x: number[] }>, fitIntercept: boolean): Matrix {
  return new Matrix(rows.map(({ x }) => (fitIntercept ? [...x, 1] : [...x])));
}

/**
 * Exponentially weighted ridge in closed form (Haykin, Adaptive Filter Theory, ch. 9, exponentially weighted least squares with regulariser
 * δβⁿ‖w‖²): w = (ZᵀBZ + βⁿλI)⁻¹ZᵀBy with B = diag(βⁿ⁻ⁱ), i = 1..n. β = 1 gives (ZᵀZ + λI)⁻¹Zᵀy.
 */
function closedFormRidge(rows: ReadonlyArray<{ x: number[]; y: number }>, lambda: number, beta: number, fitIntercept: boolean): number[] {
  const z = design(rows, fitIntercept);
  const n = rows.length;
  const b = Matrix.diag(rows.map((_, i) => beta ** (n - 1 - i)));
  const zTb = z.transpose().mmul(b);
  const a = zTb.mmul(z).add(Matrix.eye(z.columns).mul(beta ** n * lambda));
  return solve(a, zTb.mmul(Matrix.columnVector(rows.map((r) => r.y)))).to1DArray();
}

/** The model's augmented weight vector [w, intercept] (or w). */
function augmented(model: OnlineRidge, fitIntercept: boolean): number[] {
  return fitIntercept ? [...model.weights(), model.intercept] : model.weights();
}

function expectRelativelyClose(actual: number[], expected: number[], tolerance: number): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, j) => expect(Math.abs(v - expected[j]!)).toBeLessThanOrEqual(tolerance * scale));
}

const dataset = (minRows: number, maxRows: number) =>
  fc.integer({ min: 1, max: 6 }).chain((d) =>
    fc.array(
      fc.record({
        x: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
        y: fc.double({ min: -10, max: 10, noNaN: true }),
      }),
      { minLength: minRows, maxLength: maxRows },
    ),
  );

describe('OnlineRidge', () => {
  it('equals the closed-form ridge solution (XᵀX + λI)⁻¹Xᵀy when forgettingFactor = 1', () => {
    fc.assert(
      fc.property(dataset(1, 40), fc.double({ min: 0.1, max: 10, noNaN: true }), fc.boolean(), (rows, lambda, fitIntercept) => {
        const model = new OnlineRidge({ nFeatures: rows[0]!.x.length, lambda, fitIntercept });
        for (const { x, y } of rows) model.update(x, y);
        expectRelativelyClose(augmented(model, fitIntercept), closedFormRidge(rows, lambda, 1, fitIntercept), 1e-6);
      }),
      { numRuns: 200 },
    );
  });

  it('equals the exponentially weighted ridge solution when forgettingFactor < 1', () => {
    fc.assert(
      fc.property(
        dataset(1, 30),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.9, max: 0.999, noNaN: true }),
        fc.boolean(),
        (rows, lambda, beta, fitIntercept) => {
          const model = new OnlineRidge({ nFeatures: rows[0]!.x.length, lambda, forgettingFactor: beta, fitIntercept });
          for (const { x, y } of rows) model.update(x, y);
          expectRelativelyClose(augmented(model, fitIntercept), closedFormRidge(rows, lambda, beta, fitIntercept), 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps P equal to (ZᵀZ + λI)⁻¹ and exactly symmetric', () => {
    const rng = Rng.fromSeed(3);
    const rows = Array.from({ length: 25 }, () => ({ x: [rng.normal(0, 1), rng.normal(0, 2), rng.normal(1, 1)], y: rng.normal(0, 1) }));
    const model = new OnlineRidge({ nFeatures: 3, lambda: 2 });
    for (const { x, y } of rows) model.update(x, y);
    const z = design(rows, true);
    const expected = inverse(z.transpose().mmul(z).add(Matrix.eye(4).mul(2))).to2DArray();
    const p = model.snapshot().inverseCorrelation;
    p.forEach((row, i) => row.forEach((v, j) => {
      expect(v).toBeCloseTo(expected[i]![j]!, 10);
      expect(v).toBe(p[j]![i]);
    }));
  });

  it('matches the one-row example by hand: (1 + 1)⁻¹·1·2 = 1', () => {
    const model = new OnlineRidge({ nFeatures: 1, lambda: 1, fitIntercept: false });
    model.update([1], 2);
    expect(model.weights()).toEqual([1]);
    expect(model.predict([3])).toBe(3);
  });

  it('tracks a changed relationship with forgetting and averages it without', () => {
    const rng = Rng.fromSeed(9);
    const forgetful = new OnlineRidge({ nFeatures: 1, forgettingFactor: 0.95, fitIntercept: false });
    const plain = new OnlineRidge({ nFeatures: 1, fitIntercept: false });
    for (let i = 0; i < 1000; i++) {
      const x = [rng.normal(0, 1)];
      const y = (i < 500 ? 2 : -1) * x[0]!;
      forgetful.update(x, y);
      plain.update(x, y);
    }
    expect(forgetful.weights()[0]).toBeCloseTo(-1, 6);
    expect(plain.weights()[0]).toBeGreaterThan(0.3); // ≈ the pooled slope (2·Σx² + (−1)·Σx²)/Σx² ≈ 0.5
    expect(plain.weights()[0]).toBeLessThan(0.7);
  });

  it('rejects an asymmetric inverseCorrelation and a different fitIntercept on restore', () => {
    const model = new OnlineRidge({ nFeatures: 2 });
    model.update([1, 2], 1);
    const snapshot = model.snapshot();
    const asymmetric = snapshot.inverseCorrelation.map((row) => [...row]);
    asymmetric[0]![1] = asymmetric[0]![1]! + 1;
    expect(() => model.restore({ ...snapshot, inverseCorrelation: asymmetric })).toThrow(StateError);
    expect(() => new OnlineRidge({ nFeatures: 2, fitIntercept: false }).restore(snapshot)).toThrow(/fitIntercept/);
    expect(() => new OnlineRidge({ nFeatures: 3 }).restore(snapshot)).toThrow(/nFeatures/);
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => new OnlineRidge({ nFeatures: 0 })).toThrow(/nFeatures: got 0/);
    expect(() => new OnlineRidge({ nFeatures: 2, lambda: 0 })).toThrow(/lambda: got 0/);
    expect(() => new OnlineRidge({ nFeatures: 2, forgettingFactor: 0 })).toThrow(/forgettingFactor: got 0, expected a finite number in \(0, 1\]/);
    expect(() => new OnlineRidge({ nFeatures: 2, forgettingFactor: 1.01 })).toThrow(ConfigError);
    expect(() => new OnlineRidge({ nFeatures: 2, fitIntercept: 1 as never })).toThrow(ConfigError);
  });
});
