/**
 * The lineage of a PBT run: one record per member per decision (who copied whom, old and new hyperparameters,
 * scores, step and generation), from which a chart of the run and the hyperparameter schedule of any member's
 * ancestry can be rebuilt. Records are plain JSON, one per line in a JSONL log.
 */
import { z } from 'zod';
import { StateError, parseState } from '@trading-ml/core';
import { hyperparametersSchema } from './trainable.js';
import type { Hyperparameters } from './space.js';

const base = {
  /** Position in the run's log, from 0. */
  sequence: z.int().nonnegative(),
  memberId: z.int().nonnegative(),
  /** The member's completed perturbation intervals at this record. */
  generation: z.int().nonnegative(),
  /** The member's train steps at this record. */
  step: z.int().nonnegative(),
};

const operationSchema = z.union([
  z.object({ kind: z.literal('resample'), from: z.union([z.number(), z.string(), z.boolean()]), to: z.union([z.number(), z.string(), z.boolean()]) }),
  z.object({ kind: z.literal('perturb'), factor: z.number(), from: z.number(), to: z.number(), clamped: z.boolean() }),
  z.object({
    kind: z.literal('shift'),
    direction: z.union([z.literal(-1), z.literal(1)]),
    from: z.union([z.number(), z.string(), z.boolean()]),
    to: z.union([z.number(), z.string(), z.boolean()]),
  }),
]);

/** zod schema of one lineage record (one line of the JSONL log). */
export const lineageRecordSchema = z.discriminatedUnion('kind', [
  /** A member's starting point. */
  z.object({ kind: z.literal('init'), ...base, hyperparameters: hyperparametersSchema, seed: z.int() }),
  /** A decision that kept the member as it is (it was not in the bottom quantile, or burn-in). */
  z.object({
    kind: z.literal('continue'),
    ...base,
    score: z.number(),
    hyperparameters: hyperparametersSchema,
    quantile: z.enum(['lower', 'middle', 'upper', 'burn-in']),
  }),
  /** The member copied `donorId`'s state and hyperparameters, then explored to `newHyperparameters`. */
  z.object({
    kind: z.literal('exploit'),
    ...base,
    score: z.number(),
    oldHyperparameters: hyperparametersSchema,
    donorId: z.int().nonnegative(),
    donorScore: z.number(),
    donorStep: z.int().nonnegative(),
    donorGeneration: z.int().nonnegative(),
    donorHyperparameters: hyperparametersSchema,
    newHyperparameters: hyperparametersSchema,
    operations: z.record(z.string(), operationSchema),
  }),
  /** The member was in the bottom quantile but no top member had a state to copy (Ray #27170): it continues. */
  z.object({
    kind: z.literal('exploit-skipped'),
    ...base,
    score: z.number(),
    hyperparameters: hyperparametersSchema,
    reason: z.string(),
  }),
  /** The member at the end of the run. */
  z.object({ kind: z.literal('final'), ...base, score: z.number().nullable(), hyperparameters: hyperparametersSchema }),
]);

/** One lineage record. */
export type LineageRecord = z.output<typeof lineageRecordSchema>;

/**
 * Parses lineage records (e.g. the lines of a JSONL log), validating each.
 *
 * @param text - JSONL text, one record per non-empty line.
 * @param source - file name for messages.
 * @returns the records in order.
 * @throws StateError naming the line and the first invalid field.
 * @example
 * parseLineage(readFileSync('lineage.jsonl', 'utf8'), 'lineage.jsonl');
 */
export function parseLineage(text: string, source: string): LineageRecord[] {
  const records: LineageRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = line;
    }
    records.push(parseState(`${source} line ${i + 1}`, lineageRecordSchema, value));
  }
  return records;
}

/** A node of the lineage tree: a member at a generation. */
export interface LineageNode {
  /** `${memberId}@${generation}`. */
  readonly id: string;
  readonly memberId: number;
  readonly generation: number;
  readonly step: number;
  /** The member's score at this point (null at init). */
  readonly score: number | null;
  /** The hyperparameters the member trained with up to this point. */
  readonly hyperparameters: Hyperparameters;
}

/** An edge of the lineage tree: the state at `from` is what was trained on to reach `to`. */
export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  /** 'continue': the member kept its own state; 'exploit': it copied the donor at `from`. */
  readonly kind: 'continue' | 'exploit';
}

/**
 * The lineage as a graph an app can chart: nodes member@generation, and for each member's next node an edge
 * from its own previous node (continue) or from the donor it copied (exploit).
 *
 * @param records - the run's lineage records in log order.
 * @returns nodes (in log order) and edges.
 * @throws never.
 * @example
 * const { nodes, edges } = lineageTree(records);
 * // edges: [{ from: '0@0', to: '0@1', kind: 'continue' }, { from: '2@1', to: '1@2', kind: 'exploit' }, …]
 */
export function lineageTree(records: readonly LineageRecord[]): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  const seen = new Set<string>();
  // Where each member's next node comes from.
  const parent = new Map<number, { from: string; kind: 'continue' | 'exploit' }>();
  for (const record of records) {
    const id = `${record.memberId}@${record.generation}`;
    const hyperparameters = record.kind === 'exploit' ? record.oldHyperparameters : record.hyperparameters;
    if (!seen.has(id)) {
      seen.add(id);
      nodes.push({ id, memberId: record.memberId, generation: record.generation, step: record.step, score: record.kind === 'init' ? null : record.score, hyperparameters });
      const link = parent.get(record.memberId);
      if (link !== undefined) edges.push({ from: link.from, to: id, kind: link.kind });
    }
    if (record.kind === 'exploit') parent.set(record.memberId, { from: `${record.donorId}@${record.donorGeneration}`, kind: 'exploit' });
    else parent.set(record.memberId, { from: id, kind: 'continue' });
  }
  return { nodes, edges };
}

/** A hyperparameter schedule: start with `initialHyperparameters`, switch at each change's step. */
export interface HyperparameterSchedule {
  /** The ancestor whose initial state the schedule starts from. */
  readonly rootMemberId: number;
  /** That ancestor's seed (a replay from scratch needs it to rebuild the same initial state). */
  readonly seed: number;
  readonly initialHyperparameters: Hyperparameters;
  /** Changes in step order: from `step` on, train with `hyperparameters`. */
  readonly changes: ReadonlyArray<{ readonly step: number; readonly hyperparameters: Hyperparameters; readonly donorId: number }>;
  /** The member whose ancestry this is and its last step in the log. */
  readonly memberId: number;
  readonly finalStep: number;
}

/**
 * The hyperparameter schedule of a member's ancestry: walking the log backwards, each exploit of the member
 * (then of its donor, and so on) is a change point, until the root ancestor's init record. Ray calls this a
 * replay policy; here it is read from the lineage rather than from per-trial policy files.
 *
 * @param records - the run's lineage records in log order.
 * @param memberId - whose schedule; by default the best member by final score.
 * @param goal - 'maximize' or 'minimize', to pick the best member.
 * @returns the schedule.
 * @throws StateError when the log has no final records (to pick the best) or no init record for the root.
 * @see Ray Tune `PopulationBasedTrainingReplay._load_policy`.
 * @example
 * const schedule = scheduleOf(records); // { initialHyperparameters: { lr: 0.01 }, changes: [{ step: 40, hyperparameters: { lr: 0.012 }, … }], … }
 */
export function scheduleOf(records: readonly LineageRecord[], memberId?: number, goal: 'maximize' | 'minimize' = 'maximize'): HyperparameterSchedule {
  // A run extended after it finished has several final records per member: the last one counts.
  const lastFinal = new Map<number, Extract<LineageRecord, { kind: 'final' }>>();
  for (const r of records) if (r.kind === 'final') lastFinal.set(r.memberId, r);
  const finals = [...lastFinal.values()];
  let target = memberId;
  if (target === undefined) {
    const sign = goal === 'maximize' ? 1 : -1;
    const scored = finals.filter((r) => r.score !== null);
    if (scored.length === 0) throw new StateError({ what: 'the lineage', problem: 'it has no final record with a score, so there is no best member' });
    target = scored.reduce((best, r) => (sign * (r.score! - best.score!) > 0 ? r : best)).memberId;
  }
  const finalStep = [...records].reverse().find((r) => r.memberId === target)?.step ?? 0;
  const changes: Array<{ step: number; hyperparameters: Hyperparameters; donorId: number }> = [];
  let current = target;
  let limit = records.length;
  for (;;) {
    let index = -1;
    for (let i = limit - 1; i >= 0; i--) {
      const r = records[i]!;
      if (r.memberId === current && r.kind === 'exploit') {
        index = i;
        break;
      }
    }
    if (index < 0) break;
    const exploit = records[index] as Extract<LineageRecord, { kind: 'exploit' }>;
    changes.push({ step: exploit.donorStep, hyperparameters: exploit.newHyperparameters, donorId: exploit.donorId });
    current = exploit.donorId;
    limit = index;
  }
  const init = records.find((r): r is Extract<LineageRecord, { kind: 'init' }> => r.kind === 'init' && r.memberId === current);
  if (init === undefined) throw new StateError({ what: 'the lineage', problem: `it has no init record for member ${current}` });
  return { rootMemberId: current, seed: init.seed, initialHyperparameters: init.hyperparameters, changes: changes.reverse(), memberId: target, finalStep };
}

