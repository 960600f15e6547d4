/**
 * Training throughput on the backend initBackend picks (printed first): dueling double DQN train steps per second
 * (state 64, batch 64, the paper's 256-256-128 torso, 3 actions, prioritized replay of 10 000 random transitions)
 * and multi-timeframe CNN gradient steps per second (batch 32, 100 bars × 5 channels, 6 heads; the CPU default
 * sizes and the paper's; one-epoch fits of 4 batches, minus the time of the epoch's inference pass). Wall-clock rates are shared-machine sensitive, so the process CPU time per step is
 * reported too (steps per CPU-second ≈ the rate on an idle core: tfjs wasm runs single-threaded here). Also peak RSS.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@trading-ml/core';
import type { Timeframe } from '@trading-ml/core';
import { DuelingDoubleDqn, MultiTimeframeCnn, PAPER_CNN_SIZES, initBackend } from '@trading-ml/cnn-rl';

interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** Runs `step` `count` times; returns steps per wall second and per CPU second (user + system). */
async function rate(count: number, step: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) await step();
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: count / wallSeconds, cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

async function dqnFigures(): Promise<Figure[]> {
  const stateSize = 64;
  const agent = new DuelingDoubleDqn({ stateSize, batchSize: 64, hiddenUnits: [256, 256, 128], replayCapacity: 10_000, seed: 1 });
  const rng = Rng.fromSeed(2);
  for (let i = 0; i < 10_000; i++) {
    const state = Array.from({ length: stateSize }, () => rng.normal());
    agent.remember({ state, action: rng.int(0, 2), reward: rng.normal(0, 0.01), nextState: state.map((v) => v + rng.normal(0, 0.1)), done: false });
  }
  for (let i = 0; i < 30; i++) agent.trainStep(); // warm-up: kernel setup, JIT
  const train = await rate(300, () => agent.trainStep());
  const state = new Float32Array(stateSize);
  const act = await rate(1000, () => agent.act(state, 0, rng));
  agent.dispose();
  return [
    { name: 'DQN train steps (S 64, B 64, 256-256-128)', value: train.wall, unit: 'steps/s' },
    { name: 'DQN train steps per CPU second', value: train.cpu, unit: 'steps/CPU-s' },
    { name: 'DQN act (one state, greedy)', value: act.wall, unit: 'calls/s' },
  ];
}

async function cnnFigures(label: string, sizes: { filters?: readonly number[]; headUnits?: readonly number[]; confidenceUnits?: readonly number[] }): Promise<Figure[]> {
  const timeframes: Timeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d'];
  const [L, C, B] = [100, 5, 32];
  const rng = Rng.fromSeed(3);
  const rows = B * 4;
  const x = Float32Array.from({ length: rows * L * C }, () => rng.normal());
  const actions = Int32Array.from({ length: rows * timeframes.length }, () => rng.int(0, 2));
  const confidence = Float32Array.from({ length: rows }, () => rng.float());
  const cnn = new MultiTimeframeCnn({ timeframes, sequenceLength: L, channels: C, ...sizes, seed: 4 });
  const fitOnce = () => cnn.fit({ x, actions, confidence }, { epochs: 1, batchSize: B, validationFraction: 0, patience: 1 });
  await fitOnce(); // warm-up
  // one fit = 4 gradient steps + an inference pass over the 128 rows for the epoch metrics, timed separately
  const fits = await rate(3, fitOnce);
  const evaluations = await rate(3, () => cnn.predict(x, rows));
  const steps = (perFit: number, perEvaluation: number) => 4 / (1 / perFit - 1 / perEvaluation);
  cnn.dispose();
  return [
    { name: `CNN ${label} train steps (B 32, L 100, C 5, 6 heads)`, value: steps(fits.wall, evaluations.wall), unit: 'steps/s' },
    { name: `CNN ${label} train steps per CPU second`, value: steps(fits.cpu, evaluations.cpu), unit: 'steps/CPU-s' },
    { name: `CNN ${label} predict (128 rows in batches of 256)`, value: evaluations.wall * rows, unit: 'rows/s' },
  ];
}

export async function run(): Promise<Figure[]> {
  const backend = await initBackend();
  console.log(`tfjs backend: ${backend.name} — ${backend.reason}`);
  const figures = [
    ...(await dqnFigures()),
    ...(await cnnFigures('default [32,64,128]', {})),
    ...(await cnnFigures('paper [64,128,256]', PAPER_CNN_SIZES)),
    { name: 'tensors alive after the runs', value: tf.memory().numTensors, unit: 'tensors' },
    { name: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' },
  ];
  return figures;
}
