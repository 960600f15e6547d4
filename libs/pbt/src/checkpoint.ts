/**
 * A checkpoint of a whole PBT population: every member's hyperparameters (as perturbed so far), state, step and
 * score history, the scheduler's random stream, the generation and the lineage so far. Restoring one continues
 * the run exactly where it stopped.
 */
import { z } from 'zod';
import { rngStateSchema } from '@trading-ml/core';
import { lineageRecordSchema } from './lineage.js';
import { hyperparametersSchema, jsonValueSchema } from './trainable.js';

/** zod schema of one member in a checkpoint. */
export const memberCheckpointSchema = z.object({
  memberId: z.int().nonnegative(),
  hyperparameters: hyperparametersSchema,
  state: jsonValueSchema,
  step: z.int().nonnegative(),
  generation: z.int().nonnegative(),
  seed: z.int(),
  lastScore: z.number().nullable(),
  lastMetrics: z.record(z.string(), z.number()),
  scores: z.array(z.object({ step: z.int().nonnegative(), generation: z.int().nonnegative(), score: z.number() })),
});

/** zod schema of a population checkpoint (version 1). */
export const populationCheckpointSchema = z.object({
  format: z.literal('trading-ml/pbt-checkpoint', { error: "the format tag 'trading-ml/pbt-checkpoint'" }),
  version: z.literal(1),
  mode: z.enum(['synchronous', 'asynchronous']),
  seed: z.int(),
  perturbationInterval: z.int().positive(),
  /** Completed generations (synchronous) or floor(completed intervals / population) (asynchronous). */
  generation: z.int().nonnegative(),
  /** Train jobs completed over the whole run; names the checkpoint file. */
  completedIntervals: z.int().nonnegative(),
  rng: rngStateSchema,
  members: z.array(memberCheckpointSchema).min(1),
  lineage: z.array(lineageRecordSchema),
});

/** A population checkpoint as plain JSON data. */
export type PopulationCheckpoint = z.output<typeof populationCheckpointSchema>;

/** One member as stored in a checkpoint. */
export type MemberCheckpoint = z.output<typeof memberCheckpointSchema>;

/** Where checkpoints go: a folder of JSON files (PopulationCheckpointStore) or anything else that keeps them. */
export interface CheckpointStore {
  /** Stores a checkpoint durably; when it returns, a later `loadLatest` returns it (or a newer one). */
  save(checkpoint: PopulationCheckpoint): void | Promise<void>;
  /** The newest stored checkpoint, validated, or null when there is none. */
  loadLatest(): PopulationCheckpoint | null | Promise<PopulationCheckpoint | null>;
}
