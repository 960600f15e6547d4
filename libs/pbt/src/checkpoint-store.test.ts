import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, StateError } from '@trading-ml/core';
import { PopulationCheckpointStore } from './checkpoint-store.js';
import { InlineExecutor } from './inline-executor.js';
import { JsonlLineageLog } from './lineage-log.js';
import { parseLineage } from './lineage.js';
import type { LineageRecord } from './lineage.js';
import { PopulationBasedTraining } from './pbt.js';
import { RecordingExecutor, resumeFixtureOptions } from './testing/fixtures.js';
import * as quadratic from './testing/quadratic-trainable.js';

const folders: string[] = [];
const folder = (name: string) => {
  const path = mkdtempSync(join(tmpdir(), `pbt-${name}-`));
  folders.push(path);
  return path;
};
afterAll(() => folders.forEach((path) => rmSync(path, { recursive: true, force: true })));

describe('PopulationCheckpointStore', () => {
  it('writes one file per checkpoint atomically, keeps the newest `keep`, and loads the newest validated', async () => {
    const directory = folder('store');
    const store = new PopulationCheckpointStore({ directory, keep: 2 });
    expect(store.loadLatest()).toBeNull();
    const pbt = new PopulationBasedTraining({ ...resumeFixtureOptions(new InlineExecutor(quadratic)), checkpointStore: store });
    await pbt.run({ generations: 3 });
    // 6 members × 3 generations; generations 2 and 3 kept; no temporary file left behind.
    expect(readdirSync(directory).sort()).toEqual(['pbt-checkpoint-000000012.json', 'pbt-checkpoint-000000018.json']);
    expect(store.loadLatest()).toEqual(pbt.checkpoint());
  });

  it('rejects a corrupt or foreign checkpoint naming the file and the field', () => {
    const directory = folder('corrupt');
    writeFileSync(join(directory, 'pbt-checkpoint-000000001.json'), '{"format":"trading-ml/pbt-checkpoint","version":1,"mode":"synchronous"');
    const store = new PopulationCheckpointStore({ directory });
    expect(() => store.loadLatest()).toThrow(StateError);
    expect(() => store.loadLatest()).toThrow(/pbt-checkpoint-000000001\.json: the snapshot is "unreadable JSON/);
    writeFileSync(join(directory, 'pbt-checkpoint-000000002.json'), JSON.stringify({ format: 'trading-ml/pbt-checkpoint', version: 1, mode: 'sideways' }));
    expect(() => store.loadLatest()).toThrow(/pbt-checkpoint-000000002\.json: field "mode" is "sideways"/);
    expect(() => new PopulationCheckpointStore({ directory, keep: 0 })).toThrow(/Invalid keep: got 0, expected an integer ≥ 1/);
  });
});

describe('resuming a population from its checkpoint', () => {
  it('restores members with their PERTURBED hyperparameters, not the initial ones (Ray #62173)', async () => {
    const directory = folder('perturbed');
    const crashing = new PopulationBasedTraining({
      ...resumeFixtureOptions(new InlineExecutor(quadratic)),
      checkpointStore: new PopulationCheckpointStore({ directory }),
      onGeneration: ({ generation }) => {
        if (generation === 3) throw new Error('crash');
      },
    });
    await expect(crashing.run({ generations: 6 })).rejects.toThrow('crash');
    const saved = new PopulationCheckpointStore({ directory }).loadLatest()!;
    const initial = saved.lineage.filter((r) => r.kind === 'init').map((r) => r.hyperparameters);
    const changed = saved.members.filter((m, i) => JSON.stringify(m.hyperparameters) !== JSON.stringify(initial[i]));
    expect(changed.length).toBeGreaterThan(0); // some members were exploited and explored

    // A new process-worth of objects: the first jobs after the resume use the checkpoint's hyperparameters and states.
    const executor = new RecordingExecutor(new InlineExecutor(quadratic));
    const resumed = new PopulationBasedTraining({ ...resumeFixtureOptions(executor), checkpointStore: new PopulationCheckpointStore({ directory }) });
    const result = await resumed.run({ generations: 4 });
    expect(result.resumedFrom).toBe(3);
    expect(executor.batches).toHaveLength(1);
    expect(executor.batches[0]!.map((j) => j.hyperparameters)).toEqual(saved.members.map((m) => m.hyperparameters));
    expect(executor.batches[0]!.map((j) => j.state)).toEqual(saved.members.map((m) => m.state));
  });

  it('kill-and-resume: crashing after k generations and resuming ends exactly like an uninterrupted run', async () => {
    const uninterrupted = await new PopulationBasedTraining(resumeFixtureOptions(new InlineExecutor(quadratic))).run({ generations: 8 });

    const directory = folder('crash');
    const lineagePath = join(directory, 'lineage.jsonl');
    const crashing = new PopulationBasedTraining({
      ...resumeFixtureOptions(new InlineExecutor(quadratic)),
      checkpointStore: new PopulationCheckpointStore({ directory }),
      checkpointEvery: 2,
      lineageLog: new JsonlLineageLog(lineagePath),
      onGeneration: ({ generation }) => {
        if (generation === 5) throw new Error('crash');
      },
    });
    await expect(crashing.run({ generations: 8 })).rejects.toThrow('crash');
    // The lineage file holds generation 5's records, which the checkpoint (generation 4) does not.
    expect(parseLineage(readFileSync(lineagePath, 'utf8'), lineagePath).length).toBeGreaterThan(new PopulationCheckpointStore({ directory }).loadLatest()!.lineage.length);

    const resumed = await new PopulationBasedTraining({
      ...resumeFixtureOptions(new InlineExecutor(quadratic)),
      checkpointStore: new PopulationCheckpointStore({ directory }),
      checkpointEvery: 2,
      lineageLog: new JsonlLineageLog(lineagePath),
    }).run({ generations: 8 });
    expect(resumed.resumedFrom).toBe(4);
    expect(resumed.members).toEqual(uninterrupted.members);
    expect(resumed.lineage).toEqual(uninterrupted.lineage);
    expect(parseLineage(readFileSync(lineagePath, 'utf8'), lineagePath)).toEqual(uninterrupted.lineage);
  });

  it('resumes an asynchronous run: members restart from their checkpointed state, the logged lineage is kept', async () => {
    const directory = folder('async');
    const settings = { ...resumeFixtureOptions(new InlineExecutor(quadratic)), mode: 'asynchronous' as const, checkpointStore: new PopulationCheckpointStore({ directory }) };
    const crashing = new PopulationBasedTraining({
      ...settings,
      onGeneration: ({ generation }) => {
        if (generation === 3) throw new Error('crash');
      },
    });
    await expect(crashing.run({ generations: 6 })).rejects.toThrow('crash');
    const saved = new PopulationCheckpointStore({ directory }).loadLatest()!;
    expect(saved.generation).toBe(3);
    const executor = new RecordingExecutor(new InlineExecutor(quadratic));
    const resumed = await new PopulationBasedTraining({ ...settings, executor }).run({ generations: 6 });
    expect(resumed.resumedFrom).toBe(3);
    // Every member's first job after the resume starts from its checkpointed step, state and hyperparameters.
    for (const m of saved.members) {
      const first = executor.batches.find((b) => b[0]!.memberId === m.memberId)![0]!;
      expect(first).toMatchObject({ step: m.step, state: m.state, hyperparameters: m.hyperparameters });
    }
    expect(resumed.lineage.slice(0, saved.lineage.length)).toEqual(saved.lineage);
    expect(resumed.members.every((m) => m.step === 30)).toBe(true);
    expect(resumed.lineage.filter((r) => r.kind === 'final')).toHaveLength(6);
  });

  it('extends a finished run: more generations later make the decisions a longer run would have made', async () => {
    const directory = folder('extend');
    const store = () => new PopulationCheckpointStore({ directory });
    await new PopulationBasedTraining({ ...resumeFixtureOptions(new InlineExecutor(quadratic)), checkpointStore: store() }).run({ generations: 3 });
    const extended = await new PopulationBasedTraining({ ...resumeFixtureOptions(new InlineExecutor(quadratic)), checkpointStore: store() }).run({ generations: 6 });
    const longer = await new PopulationBasedTraining(resumeFixtureOptions(new InlineExecutor(quadratic))).run({ generations: 6 });
    expect(extended.members).toEqual(longer.members);
    const decisions = (records: readonly LineageRecord[]) => records.filter((r) => r.kind !== 'final').map(({ sequence: _, ...rest }) => rest);
    expect(decisions(extended.lineage)).toEqual(decisions(longer.lineage));
  });

  it('refuses a checkpoint written with other settings', async () => {
    const directory = folder('mismatch');
    await new PopulationBasedTraining({ ...resumeFixtureOptions(new InlineExecutor(quadratic)), checkpointStore: new PopulationCheckpointStore({ directory }) }).run({ generations: 1 });
    const other = new PopulationBasedTraining({ ...resumeFixtureOptions(new InlineExecutor(quadratic)), perturbationInterval: 7, checkpointStore: new PopulationCheckpointStore({ directory }) });
    await expect(other.run({ generations: 2 })).rejects.toThrow(ConfigError);
    await expect(
      new PopulationBasedTraining({ ...resumeFixtureOptions(new InlineExecutor(quadratic)), seed: 1, checkpointStore: new PopulationCheckpointStore({ directory }) }).run({ generations: 2 }),
    ).rejects.toThrow(/Invalid seed: got 1, expected 2024, the value of the run that wrote the checkpoint/);
  });
});
