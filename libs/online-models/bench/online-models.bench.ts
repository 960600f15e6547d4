/**
 * Throughput of the online models' hot paths (updates per second, single thread). Run by `npm run bench`
 * (tools/bench.ts); prints nothing itself. Target: OnlineRidge ≥ 2 M updates/s with 16 features.
 */
import { Rng } from '@trading-ml/core';
import { OnlineLinearRegression, OnlineRegimeDetector, OnlineRidge, OnlineVolatility } from '../src/index.js';

interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const WARMUP_CALLS = 200_000;
const MIN_SECONDS = 0.5;
const CHUNK = 10_000;
const ROWS = 1024; // power of two: row index = call & (ROWS − 1)

/** Calls `step(i)` for a warm-up, then in chunks until ≥ MIN_SECONDS have passed; returns calls per second. */
function callsPerSecond(step: (i: number) => void): number {
  for (let i = 0; i < WARMUP_CALLS; i++) step(i);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS * 1000) {
    for (let i = 0; i < CHUNK; i++) step(calls + i);
    calls += CHUNK;
    elapsed = performance.now() - start;
  }
  return calls / (elapsed / 1000);
}

function features(nFeatures: number): { xs: Float64Array[]; ys: Float64Array } {
  const rng = Rng.fromSeed(1).derive('bench/features');
  const xs = Array.from({ length: ROWS }, () => Float64Array.from({ length: nFeatures }, () => rng.normal(0, 1)));
  const ys = Float64Array.from({ length: ROWS }, () => rng.normal(0, 1));
  return { xs, ys };
}

function returns(): Float64Array {
  const rng = Rng.fromSeed(2).derive('bench/returns');
  return Float64Array.from({ length: ROWS }, () => rng.normal(0, 0.01));
}

/** The benchmark figures: updates (or filter steps) per second for each model. */
export function run(): BenchFigure[] {
  const { xs, ys } = features(16);
  const rs = returns();
  const row = (i: number): Float64Array => xs[i & (ROWS - 1)]!;
  const label = (i: number): number => ys[i & (ROWS - 1)]!;
  const ret = (i: number): number => rs[i & (ROWS - 1)]!;

  const ridge = new OnlineRidge({ nFeatures: 16, forgettingFactor: 0.999 });
  const ridgeNoIntercept = new OnlineRidge({ nFeatures: 16, fitIntercept: false });
  const sgd = new OnlineLinearRegression({ nFeatures: 16, learningRate: 0.001 });
  const ewma = new OnlineVolatility();
  const filterOnly = new OnlineRegimeDetector({ returnScale: 0.01, learnEvery: 0 });
  const learnSlow = new OnlineRegimeDetector({ returnScale: 0.01, learnEvery: 42 });
  const learnEvery = new OnlineRegimeDetector({ returnScale: 0.01, learnEvery: 1 });

  const figures: BenchFigure[] = [
    { name: 'OnlineRidge.update, 16 features + intercept, β = 0.999', value: callsPerSecond((i) => ridge.update(row(i), label(i))), unit: 'updates/s' },
    { name: 'OnlineRidge.update, 16 features, β = 1', value: callsPerSecond((i) => ridgeNoIntercept.update(row(i), label(i))), unit: 'updates/s' },
    { name: 'OnlineLinearRegression.update (SGD), 16 features', value: callsPerSecond((i) => sgd.update(row(i), label(i))), unit: 'updates/s' },
    { name: 'OnlineVolatility.update (EWMA)', value: callsPerSecond((i) => ewma.update(ret(i))), unit: 'updates/s' },
    { name: 'OnlineRegimeDetector.update, 3 states, filter only', value: callsPerSecond((i) => filterOnly.update(ret(i))), unit: 'steps/s' },
    { name: 'OnlineRegimeDetector.update, 3 states, learnEvery 42', value: callsPerSecond((i) => learnSlow.update(ret(i))), unit: 'steps/s' },
    { name: 'OnlineRegimeDetector.update, 3 states, learnEvery 1', value: callsPerSecond((i) => learnEvery.update(ret(i))), unit: 'steps/s' },
  ];
  // Read the models so the work cannot be optimised away; a non-finite state means the benchmark is wrong.
  const checks = [ridge.predict(row(0)), ridgeNoIntercept.predict(row(1)), sgd.predict(row(2)), ewma.predict() ?? 0, ...learnEvery.posterior()];
  if (!checks.every(Number.isFinite)) throw new Error(`online-models bench: non-finite model state ${JSON.stringify(checks)}`);
  return figures;
}
