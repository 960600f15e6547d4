import { describe, expect, it } from 'vitest';
import { StateError } from '@trading-ml/core';
import { InlineExecutor } from './inline-executor.js';
import { lineageTree, parseLineage, scheduleOf } from './lineage.js';
import type { LineageRecord } from './lineage.js';
import { PopulationBasedTraining } from './pbt.js';
import { replaySchedule } from './replay.js';
import * as quadratic from './testing/quadratic-trainable.js';
import { quadraticSpace } from './testing/quadratic-trainable.js';

const run = (seed: number, mode: 'synchronous' | 'asynchronous' = 'synchronous') =>
  new PopulationBasedTraining({ population: 6, hyperparameterSpace: quadraticSpace, perturbationInterval: 5, quantileFraction: 0.34, seed, mode, executor: new InlineExecutor(quadratic) }).run({
    generations: 6,
  });

/** A hand-made lineage: 3 members, 2 generations; at generation 1 member 0 copies member 2. */
const hp = (lr: number) => ({ lr, batch: 4, noise: 0 });
const handMade: LineageRecord[] = [
  { kind: 'init', sequence: 0, memberId: 0, generation: 0, step: 0, hyperparameters: hp(0.1), seed: 10 },
  { kind: 'init', sequence: 1, memberId: 1, generation: 0, step: 0, hyperparameters: hp(0.2), seed: 11 },
  { kind: 'init', sequence: 2, memberId: 2, generation: 0, step: 0, hyperparameters: hp(0.3), seed: 12 },
  {
    kind: 'exploit', sequence: 3, memberId: 0, generation: 1, step: 5, score: -3, oldHyperparameters: hp(0.1),
    donorId: 2, donorScore: -1, donorStep: 5, donorGeneration: 1, donorHyperparameters: hp(0.3), newHyperparameters: hp(0.36),
    operations: { lr: { kind: 'perturb', factor: 1.2, from: 0.3, to: 0.36, clamped: false } },
  },
  { kind: 'continue', sequence: 4, memberId: 1, generation: 1, step: 5, score: -2, hyperparameters: hp(0.2), quantile: 'middle' },
  { kind: 'continue', sequence: 5, memberId: 2, generation: 1, step: 5, score: -1, hyperparameters: hp(0.3), quantile: 'upper' },
  { kind: 'final', sequence: 6, memberId: 0, generation: 2, step: 10, score: -0.5, hyperparameters: hp(0.36) },
  { kind: 'final', sequence: 7, memberId: 1, generation: 2, step: 10, score: -2, hyperparameters: hp(0.2) },
  { kind: 'final', sequence: 8, memberId: 2, generation: 2, step: 10, score: -0.9, hyperparameters: hp(0.3) },
];

describe('lineageTree', () => {
  it('links member@generation nodes by continue and exploit edges (hand-made lineage)', () => {
    const { nodes, edges } = lineageTree(handMade);
    expect(nodes.map((n) => n.id)).toEqual(['0@0', '1@0', '2@0', '0@1', '1@1', '2@1', '0@2', '1@2', '2@2']);
    expect(edges).toEqual([
      { from: '0@0', to: '0@1', kind: 'continue' },
      { from: '1@0', to: '1@1', kind: 'continue' },
      { from: '2@0', to: '2@1', kind: 'continue' },
      { from: '2@1', to: '0@2', kind: 'exploit' },
      { from: '1@1', to: '1@2', kind: 'continue' },
      { from: '2@1', to: '2@2', kind: 'continue' },
    ]);
    expect(nodes.find((n) => n.id === '0@1')).toMatchObject({ score: -3, hyperparameters: hp(0.1) });
  });

  it('gives every member one node per generation and one incoming edge per non-initial node (real run)', async () => {
    const { lineage } = await run(5);
    const { nodes, edges } = lineageTree(lineage);
    expect(nodes).toHaveLength(6 * 7); // generations 0..6
    expect(edges).toHaveLength(6 * 6);
    const ids = new Set(nodes.map((n) => n.id));
    for (const e of edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    const exploitEdges = edges.filter((e) => e.kind === 'exploit');
    expect(exploitEdges).toHaveLength(lineage.filter((r) => r.kind === 'exploit').length);
  });
});

describe('scheduleOf', () => {
  it('follows the best member’s ancestry back to its root (hand-made lineage)', () => {
    expect(scheduleOf(handMade)).toEqual({
      rootMemberId: 2, seed: 12, initialHyperparameters: hp(0.3), changes: [{ step: 5, hyperparameters: hp(0.36), donorId: 2 }], memberId: 0, finalStep: 10,
    });
    expect(scheduleOf(handMade, 1)).toMatchObject({ rootMemberId: 1, changes: [], initialHyperparameters: hp(0.2) });
    // Minimizing, the "best" is member 1 (−2).
    expect(scheduleOf(handMade, undefined, 'minimize').memberId).toBe(1);
    expect(() => scheduleOf(handMade.slice(0, 6))).toThrow(StateError);
  });
});

describe('replaySchedule', () => {
  it.each(['synchronous', 'asynchronous'] as const)('rebuilds the best member’s final state by replaying its ancestry’s schedule (%s)', async (mode) => {
    const result = await run(9, mode);
    const schedule = scheduleOf(result.lineage);
    expect(schedule.memberId).toBe(result.best.memberId);
    expect(schedule.changes.length).toBeGreaterThan(0);
    const used: Array<Record<string, unknown>> = [];
    const { final, segments } = await replaySchedule({ schedule, executor: new InlineExecutor(quadratic), onSegment: (_r, h) => used.push(h) });
    expect(final.state).toEqual(result.best.state);
    expect(final.score).toBe(result.best.lastScore);
    expect(final.step).toBe(30);
    expect(used[0]).toEqual(schedule.initialHyperparameters);
    expect(used.at(-1)).toEqual(result.best.hyperparameters);
    expect(segments.length).toBeLessThanOrEqual(schedule.changes.length + 1);
  });
});

describe('parseLineage', () => {
  it('round-trips JSONL and names the line of an invalid record', () => {
    const text = handMade.map((r) => JSON.stringify(r)).join('\n') + '\n';
    expect(parseLineage(text, 'lineage.jsonl')).toEqual(handMade);
    const broken = text.replace('"kind":"continue","sequence":4', '"kind":"continue","sequence":-4');
    expect(() => parseLineage(broken, 'lineage.jsonl')).toThrow(/lineage\.jsonl line 5: field "sequence" is -4/);
  });
});
