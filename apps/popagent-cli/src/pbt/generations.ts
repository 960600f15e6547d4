/**
 * The progress of a PBT run, one row per generation, rebuilt from the lineage (so a resumed run reports the
 * generations it did before the kill too): best and median fitness of the window just traded, the untuned
 * default's fitness on the same window, the exploits decided at the end of the generation and the
 * hyperparameters of the best member.
 */
import Table from 'cli-table3';
import type { LineageRecord } from '@trading-ml/pbt';
import { formatDate, formatRatio } from '../format.js';
import { TUNABLE_KEYS, tunableConfig } from './space.js';

/** One generation of the run. */
export interface GenerationRow {
  /** 1 … generations + 1 (completed intervals). */
  readonly generation: number;
  /** Index of the window traded in this generation (generation − 1). */
  readonly window: number;
  readonly bestMemberId: number;
  readonly bestFitness: number;
  readonly medianFitness: number;
  /** Fitness of DEFAULT_POPAGENT_CONFIG on the same window (same warm-up, same earlier windows). */
  readonly defaultFitness: number;
  /** Members that copied another at the end of this generation (0 after the last one: no decision there). */
  readonly exploits: number;
  /** The tunable hyperparameters the best member traded this window with. */
  readonly bestHyperparameters: Readonly<Record<string, number>>;
}

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The generation rows of a lineage.
 *
 * @param lineage - the run's records (init, decisions, final), in log order.
 * @param defaultFitness - the default configuration's fitness per window.
 * @returns one row per generation that has scored members, in generation order; the best member is the highest
 *   score (ties: lowest member id).
 * @throws ConfigError when a record's hyperparameters lack a tunable key.
 * @see libs/pbt/src/lineage.ts (record kinds)
 * @example
 * generationRows(result.lineage, [0.1, 0.4, -0.2]).map((row) => row.bestFitness);
 */
export function generationRows(lineage: readonly LineageRecord[], defaultFitness: readonly number[]): GenerationRow[] {
  const byGeneration = new Map<number, LineageRecord[]>();
  for (const record of lineage) {
    if (record.kind === 'init' || record.score === null) continue;
    const list = byGeneration.get(record.generation) ?? [];
    list.push(record);
    byGeneration.set(record.generation, list);
  }
  return [...byGeneration.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([generation, records]) => {
      const scored = records.map((record) => ({ record, score: (record as { score: number }).score }));
      const best = scored.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.record.memberId < a.record.memberId) ? b : a));
      const hyperparameters = best.record.kind === 'exploit' ? best.record.oldHyperparameters : (best.record as { hyperparameters: Record<string, number | string | boolean> }).hyperparameters;
      return {
        generation,
        window: generation - 1,
        bestMemberId: best.record.memberId,
        bestFitness: best.score,
        medianFitness: median(scored.map((s) => s.score)),
        defaultFitness: defaultFitness[generation - 1] ?? Number.NaN,
        exploits: records.filter((record) => record.kind === 'exploit').length,
        bestHyperparameters: { ...tunableConfig(hyperparameters) },
      };
    });
}

/** Short labels of the tunable keys for the terminal table. */
const SHORT: Readonly<Record<string, string>> = {
  discount: 'γ',
  methodsPerDecision: 'k',
  transferEvery: 'T',
  transferRate: 'τ',
  rankingWindow: 'W',
  sgdLearningRate: 'η',
  rlsForgettingFactor: 'β',
  volatilityTarget: 'σ*',
  rebalanceThreshold: 'band',
};

/**
 * A compact one-line rendering of tunable hyperparameters.
 *
 * @param hyperparameters - tunable keys → values.
 * @returns e.g. 'γ 0.975 k 3 T 42 τ 0.20 W 42 η 0.0100 β 0.9950 σ* 0.50 band 0.10'.
 * @throws never.
 * @example
 * formatHyperparameters({ discount: 0.97, methodsPerDecision: 2 }); // 'γ 0.970 k 2'
 */
export function formatHyperparameters(hyperparameters: Readonly<Record<string, number>>): string {
  const digits: Readonly<Record<string, number>> = { discount: 3, transferRate: 2, sgdLearningRate: 4, rlsForgettingFactor: 4, volatilityTarget: 2, rebalanceThreshold: 2 };
  return TUNABLE_KEYS.filter((key) => hyperparameters[key] !== undefined)
    .map((key) => `${SHORT[key] ?? key} ${digits[key] === undefined ? String(hyperparameters[key]) : hyperparameters[key]!.toFixed(digits[key])}`)
    .join(' ');
}

/** The table's headers. */
export const GENERATION_HEADERS = ['gen', 'window (closes)', 'best', 'median', 'default', 'exploits', 'best member', 'best hyperparameters'] as const;

/**
 * The cells of one generation row.
 *
 * @param row - the generation.
 * @param bounds - window boundaries (UTC ms).
 * @returns text cells in GENERATION_HEADERS order.
 * @throws never.
 * @example
 * generationCells(row, bounds)[1]; // '2024-01-01 → 2024-01-21'
 */
export function generationCells(row: GenerationRow, bounds: readonly number[]): string[] {
  const from = bounds[row.window];
  const to = bounds[row.window + 1];
  return [
    String(row.generation),
    from === undefined || to === undefined ? '—' : `${formatDate(from)} → ${formatDate(to)}`,
    formatRatio(row.bestFitness),
    formatRatio(row.medianFitness),
    formatRatio(row.defaultFitness),
    String(row.exploits),
    `#${row.bestMemberId}`,
    formatHyperparameters(row.bestHyperparameters),
  ];
}

/**
 * The generation table for the terminal.
 *
 * @param rows - the generations.
 * @param bounds - window boundaries (UTC ms).
 * @returns the cli-table3 text.
 * @throws never.
 * @example
 * console.log(formatGenerationTable(generationRows(lineage, defaults), bounds));
 */
export function formatGenerationTable(rows: readonly GenerationRow[], bounds: readonly number[]): string {
  const table = new Table({ head: [...GENERATION_HEADERS], style: { head: [], border: [], compact: true }, colAligns: ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'] });
  for (const row of rows) table.push(generationCells(row, bounds));
  return table.toString();
}
