import { describe, it, expect } from 'vitest';
import type { LineageRecord } from '@trading-ml/pbt';
import { DEFAULT_POPAGENT_CONFIG } from '@trading-ml/popagent';
import { formatHyperparameters, generationRows } from './generations.js';
import { hyperparametersOf } from './space.js';

const h = (discount: number) => ({ ...hyperparametersOf(DEFAULT_POPAGENT_CONFIG), discount, run: '{}' });

/** Three members, two generations: after generation 1 member 2 (worst) copies member 0 (best). */
const lineage: LineageRecord[] = [
  { kind: 'init', sequence: 0, memberId: 0, generation: 0, step: 0, hyperparameters: h(0.91), seed: 1 },
  { kind: 'init', sequence: 1, memberId: 1, generation: 0, step: 0, hyperparameters: h(0.92), seed: 2 },
  { kind: 'init', sequence: 2, memberId: 2, generation: 0, step: 0, hyperparameters: h(0.93), seed: 3 },
  { kind: 'continue', sequence: 3, memberId: 0, generation: 1, step: 1, score: 2, hyperparameters: h(0.91), quantile: 'upper' },
  { kind: 'continue', sequence: 4, memberId: 1, generation: 1, step: 1, score: 0.5, hyperparameters: h(0.92), quantile: 'middle' },
  {
    kind: 'exploit', sequence: 5, memberId: 2, generation: 1, step: 1, score: -1, oldHyperparameters: h(0.93), donorId: 0, donorScore: 2, donorStep: 1,
    donorGeneration: 1, donorHyperparameters: h(0.91), newHyperparameters: h(0.95), operations: { discount: { kind: 'perturb', factor: 1.2, from: 0.91, to: 0.95, clamped: false } },
  },
  { kind: 'final', sequence: 6, memberId: 0, generation: 2, step: 2, score: 1, hyperparameters: h(0.91) },
  { kind: 'final', sequence: 7, memberId: 1, generation: 2, step: 2, score: 1, hyperparameters: h(0.92) },
  { kind: 'final', sequence: 8, memberId: 2, generation: 2, step: 2, score: 3, hyperparameters: h(0.95) },
];

describe('generation rows from the lineage', () => {
  it('best, median, exploits and the best member’s hyperparameters per generation', () => {
    const rows = generationRows(lineage, [0.1, 0.2]);
    expect(rows.map((r) => [r.generation, r.window, r.bestMemberId, r.bestFitness, r.medianFitness, r.defaultFitness, r.exploits])).toEqual([
      [1, 0, 0, 2, 0.5, 0.1, 1], // scores 2, 0.5, −1: median 0.5; member 2 exploited
      [2, 1, 2, 3, 1, 0.2, 0], //   scores 1, 1, 3: median 1; no decision after the last window
    ]);
    expect(rows[0]!.bestHyperparameters['discount']).toBe(0.91);
    expect(rows[1]!.bestHyperparameters['discount']).toBe(0.95); // the explored value member 2 traded with
    expect(Object.keys(rows[1]!.bestHyperparameters)).not.toContain('run');
  });

  it('ties go to the lowest member id', () => {
    const tie = lineage.map((r) => (r.kind === 'final' ? { ...r, score: 1 } : r));
    expect(generationRows(tie, [])[1]!.bestMemberId).toBe(0);
  });

  it('formats hyperparameters compactly', () => {
    expect(formatHyperparameters({ discount: 0.97, methodsPerDecision: 2, sgdLearningRate: 0.00123 })).toBe('γ 0.970 k 2 η 0.0012');
  });
});
