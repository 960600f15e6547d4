// The shared contract every online estimator of this library passes (river's `utils.estimator_checks` idea):
// determinism, snapshot round trip, no input mutation, read-only queries, strict restore, prefix invariance.
// Test-only; not exported from index.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Snapshottable } from '@trading-ml/core';
import { ConfigError, Rng, StateError } from '@trading-ml/core';
import type { OnlineRegressor } from './types.js';

/** How the suite drives one kind of estimator. */
export interface EstimatorContract<E extends Snapshottable<unknown>, I> {
  /** A fresh estimator, always with the same options. */
  readonly create: () => E;
  /** A deterministic input stream for a seed (≥ 40 inputs). */
  readonly inputs: (seed: number) => I[];
  /** A different input to put in place of `input` (prefix-invariance check). */
  readonly alter: (input: I, rng: Rng) => I;
  /** Feeds one input; returns what the estimator decided or predicted at that step. */
  readonly step: (estimator: E, input: I) => unknown;
  /** Read-only queries (predict and friends); must not change the state. */
  readonly peek: (estimator: E) => unknown;
  /** Snapshot fields for which null is a legal value (skipped by the "set to null" corruption). */
  readonly nullable?: readonly string[];
}

/** Recursively freezes plain arrays and objects (typed arrays cannot be frozen, so inputs use plain arrays). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

function run<E extends Snapshottable<unknown>, I>(contract: EstimatorContract<E, I>, estimator: E, inputs: readonly I[]): unknown[] {
  return inputs.map((input) => contract.step(estimator, input));
}

/** Snapshots that break the shape in one place each: every top-level field missing, mistyped, non-finite or cut. */
function corruptions(snapshot: Record<string, unknown>, nullable: readonly string[]): Array<{ label: string; state: unknown }> {
  const out: Array<{ label: string; state: unknown }> = [
    { label: 'null', state: null },
    { label: 'a number', state: 42 },
    { label: 'an array', state: [] },
  ];
  const clone = (): Record<string, unknown> => structuredClone(snapshot);
  for (const [key, value] of Object.entries(snapshot)) {
    const variants: Array<[string, unknown]> = [['a string', 'garbage']];
    if (!nullable.includes(key)) variants.push(['null', null]);
    if (typeof value === 'number') variants.push(['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY]);
    if (Array.isArray(value) && value.length > 0) {
      variants.push(['one element short', value.slice(0, -1)]);
      const first = value[0];
      variants.push(['with a string element', ['garbage', ...value.slice(1)]]);
      if (Array.isArray(first) && first.length > 0) variants.push(['a short first row', [first.slice(0, -1), ...value.slice(1)]]);
    }
    const missing = clone();
    delete missing[key];
    out.push({ label: `${key} missing`, state: missing });
    for (const [label, replacement] of variants) out.push({ label: `${key} = ${label}`, state: { ...clone(), [key]: replacement } });
  }
  return out;
}

/**
 * Registers the contract tests for one estimator.
 * @param name - shown in the test names.
 * @param contract - how to create, feed and query the estimator.
 */
export function runEstimatorContract<E extends Snapshottable<unknown>, I>(name: string, contract: EstimatorContract<E, I>): void {
  describe(`${name} satisfies the estimator contract`, () => {
    it('gives the same outputs for the same inputs', () => {
      const inputs = deepFreeze(contract.inputs(7));
      expect(run(contract, contract.create(), inputs)).toStrictEqual(run(contract, contract.create(), inputs));
      expect(contract.inputs(7)).toStrictEqual(inputs); // the input generator itself is seeded
    });

    it('continues identically after snapshot → JSON → restore on a fresh instance', () => {
      const inputs = deepFreeze(contract.inputs(11));
      const cut = Math.floor(inputs.length / 2);
      const reference = contract.create();
      const expected = run(contract, reference, inputs);
      const original = contract.create();
      run(contract, original, inputs.slice(0, cut));
      const copy = contract.create();
      copy.restore(JSON.parse(JSON.stringify(original.snapshot())));
      expect(copy.snapshot()).toStrictEqual(original.snapshot());
      expect(run(contract, copy, inputs.slice(cut))).toStrictEqual(expected.slice(cut));
      expect(copy.snapshot()).toStrictEqual(reference.snapshot());
    });

    it('does not mutate its inputs, and its snapshot is a copy', () => {
      const inputs = deepFreeze(contract.inputs(13));
      const before = JSON.stringify(inputs);
      const estimator = contract.create();
      expect(() => run(contract, estimator, inputs)).not.toThrow();
      expect(JSON.stringify(inputs)).toBe(before);
      const snapshot = estimator.snapshot() as Record<string, unknown>;
      const text = JSON.stringify(snapshot);
      for (const value of Object.values(snapshot)) if (Array.isArray(value)) value.fill(0);
      expect(JSON.stringify(estimator.snapshot())).toBe(text);
    });

    it('does not change its state in read-only queries', () => {
      const inputs = deepFreeze(contract.inputs(17));
      const queried = contract.create();
      const untouched = contract.create();
      const outputs: unknown[] = [];
      for (const input of inputs) {
        const before = JSON.stringify(queried.snapshot());
        const first = contract.peek(queried);
        expect(contract.peek(queried)).toStrictEqual(first);
        expect(JSON.stringify(queried.snapshot())).toBe(before);
        outputs.push(contract.step(queried, input));
      }
      expect(outputs).toStrictEqual(run(contract, untouched, inputs));
    });

    it('rejects a malformed snapshot with StateError and keeps its state', () => {
      const inputs = deepFreeze(contract.inputs(19));
      const source = contract.create();
      run(contract, source, inputs);
      const snapshot = JSON.parse(JSON.stringify(source.snapshot())) as Record<string, unknown>;
      for (const { label, state } of corruptions(snapshot, contract.nullable ?? [])) {
        const target = contract.create();
        run(contract, target, inputs.slice(0, 5));
        const before = JSON.stringify(target.snapshot());
        let thrown: unknown;
        try {
          target.restore(state as never);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `restore with ${label}`).toBeInstanceOf(StateError);
        expect(JSON.stringify(target.snapshot()), `state after rejecting ${label}`).toBe(before);
      }
    });

    it('is prefix invariant: outputs on the first k inputs ignore every later input', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (seed, fraction) => {
          const inputs = contract.inputs(seed);
          const k = Math.max(1, Math.floor(inputs.length * fraction));
          const rng = Rng.fromSeed(seed).derive('alter');
          const altered = inputs.map((input, i) => (i < k ? input : contract.alter(input, rng)));
          const a = run(contract, contract.create(), inputs);
          const b = run(contract, contract.create(), altered);
          expect(b.slice(0, k)).toStrictEqual(a.slice(0, k));
        }),
        { numRuns: 25 },
      );
    });
  });
}

/** One labelled example for a regressor. */
export interface LabelledRow {
  readonly x: number[];
  readonly y: number;
}

function regressionRows(nFeatures: number, seed: number, n = 60): LabelledRow[] {
  const rng = Rng.fromSeed(seed).derive('regression-rows');
  const trueWeights = Array.from({ length: nFeatures }, () => rng.normal(0, 1));
  return Array.from({ length: n }, () => {
    const x = Array.from({ length: nFeatures }, () => rng.normal(0, 1));
    return { x, y: 0.5 + x.reduce((sum, v, j) => sum + v * trueWeights[j]!, 0) + rng.normal(0, 0.1) };
  });
}

/**
 * The estimator contract for an {@link OnlineRegressor}, plus the regressor-specific rules: 0 before the first
 * update, the label of row k never affects the prediction made for row k, bad inputs throw ConfigError and
 * leave the state untouched, and Float64Array inputs behave like arrays.
 * @param name - shown in the test names.
 * @param factory - a fresh regressor, always with the same options.
 */
export function runRegressorContract<S>(name: string, factory: () => OnlineRegressor<S>): void {
  const nFeatures = factory().nFeatures;
  runEstimatorContract<OnlineRegressor<S>, LabelledRow>(name, {
    create: factory,
    inputs: (seed) => regressionRows(nFeatures, seed),
    alter: (_row, rng) => ({ x: Array.from({ length: nFeatures }, () => rng.normal(0, 3)), y: rng.normal(0, 3) }),
    step: (model, row) => {
      const prediction = model.predict(row.x);
      model.update(row.x, row.y);
      return prediction;
    },
    peek: (model) => [model.predict(Array.from({ length: nFeatures }, (_, j) => j - 1)), model.nUpdates],
  });

  describe(`${name} satisfies the regressor contract`, () => {
    it('predicts 0 before the first update and counts updates', () => {
      const model = factory();
      expect(model.predict(new Array<number>(nFeatures).fill(1))).toBe(0);
      const rows = regressionRows(nFeatures, 3, 5);
      rows.forEach((row, i) => {
        model.update(row.x, row.y);
        expect(model.nUpdates).toBe(i + 1);
      });
    });

    it('never lets the label of row k change the prediction for row k, and learns from it afterwards', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 58 }), (seed, k) => {
          const rows = regressionRows(nFeatures, seed);
          const altered = rows.map((row, i) => (i === k ? { x: row.x, y: row.y + 1000 } : row));
          const predictions = (data: readonly LabelledRow[]): number[] => {
            const model = factory();
            return data.map((row) => {
              const prediction = model.predict(row.x);
              model.update(row.x, row.y);
              return prediction;
            });
          };
          const a = predictions(rows);
          const b = predictions(altered);
          expect(b.slice(0, k + 1)).toStrictEqual(a.slice(0, k + 1));
          expect(b[k + 1]).not.toBe(a[k + 1]);
        }),
        { numRuns: 25 },
      );
    });

    it('rejects a wrong-length or non-finite input with ConfigError and keeps its state', () => {
      const model = factory();
      for (const row of regressionRows(nFeatures, 9, 5)) model.update(row.x, row.y);
      const before = JSON.stringify(model.snapshot());
      const good = new Array<number>(nFeatures).fill(0.5);
      const withNaN = [...good.slice(1), Number.NaN];
      expect(() => model.update(good.concat([1]), 1)).toThrow(ConfigError);
      expect(() => model.update(good.slice(1), 1)).toThrow(ConfigError);
      expect(() => model.update(withNaN, 1)).toThrow(ConfigError);
      expect(() => model.update(good, Number.POSITIVE_INFINITY)).toThrow(ConfigError);
      expect(() => model.predict(withNaN)).toThrow(ConfigError);
      expect(() => model.predict(good.slice(1))).toThrow(ConfigError);
      expect(JSON.stringify(model.snapshot())).toBe(before);
    });

    it('gives the same results for Float64Array and number[] inputs', () => {
      const rows = regressionRows(nFeatures, 21);
      const plain = factory();
      const typed = factory();
      for (const row of rows) {
        expect(typed.predict(Float64Array.from(row.x))).toBe(plain.predict(row.x));
        plain.update(row.x, row.y);
        typed.update(Float64Array.from(row.x), row.y);
      }
      expect(typed.snapshot()).toStrictEqual(plain.snapshot());
    });
  });
}
