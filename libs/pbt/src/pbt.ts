/**
 * Population Based Training: a population of members trains in intervals of `perturbationInterval` steps; at
 * each boundary the bottom quantile copies the top quantile (exploit) and explores around the copied
 * hyperparameters. Synchronous mode decides generation by generation; asynchronous mode decides for each member
 * as soon as it reaches a boundary, against the others' latest scores (Ray Tune's default).
 */
import { ConfigError, Rng } from '@trading-ml/core';
import { decide } from './exploit.js';
import type { Member } from './exploit.js';
import { resolveOptions } from './options.js';
import type { GenerationEvent, MemberView, PopulationBasedTrainingOptions, ResolvedOptions } from './options.js';
import type { PopulationCheckpoint } from './checkpoint.js';
import type { LineageRecord } from './lineage.js';
import { quantiles } from './quantiles.js';
import { sampleHyperparameters } from './space.js';
import type { TrainJob, TrainResult } from './trainable.js';

/** How long to run: a number of generations (intervals per member) or of train steps per member. */
export type RunLength = { readonly generations: number } | { readonly totalSteps: number };

/** What `run` returns. */
export interface PbtRunResult {
  readonly members: readonly MemberView[];
  /** The member with the best last score. */
  readonly best: MemberView;
  /** The whole lineage, including the init and final records. */
  readonly lineage: readonly LineageRecord[];
  /** The generation the run resumed from (null for a fresh start). */
  readonly resumedFrom: number | null;
}

/**
 * The PBT scheduler.
 *
 * @see M. Jaderberg et al. (2017), "Population Based Training of Neural Networks", arXiv:1711.09846;
 *   Ray Tune `python/ray/tune/schedulers/pbt.py` (semantics followed, with a seeded generator instead of a module-global one).
 * @example
 * const pbt = new PopulationBasedTraining({
 *   population: 8, perturbationInterval: 20, seed: 42, executor: new InlineExecutor(module),
 *   hyperparameterSpace: { lr: { kind: 'float', min: 1e-4, max: 1, scale: 'log' } },
 * });
 * const { best } = await pbt.run({ generations: 10 });
 */
export class PopulationBasedTraining {
  private readonly options: ResolvedOptions;
  private members: Member[] = [];
  private lineage: LineageRecord[] = [];
  private rng: Rng;
  private generation = 0;
  private completedIntervals = 0;
  private reported = 0;
  private started = false;
  private resumedFrom: number | null = null;

  /**
   * @param options - see {@link PopulationBasedTrainingOptions}.
   * @throws ConfigError quoting the first invalid option.
   */
  constructor(options: PopulationBasedTrainingOptions) {
    this.options = resolveOptions(options);
    this.rng = Rng.fromSeed(this.options.seed).derive('pbt/decisions');
  }

  /** The members as they are now (after `run`, the final population). */
  get population(): MemberView[] {
    return this.members.map(view);
  }

  /**
   * Trains the population for the given length, resuming from the checkpoint store's newest checkpoint if it
   * has one (a run that was killed continues where its last checkpoint left it, and ends exactly as an
   * uninterrupted run with the same seed would).
   *
   * @param length - `{ generations }` (intervals per member) or `{ totalSteps }` (train steps per member).
   * @returns the final members, the best member and the lineage.
   * @throws ConfigError on a bad length or a checkpoint written by a run with other settings; StateError on an
   *   invalid checkpoint; whatever the executor or the callbacks throw (the last checkpoint stays on disk).
   */
  async run(length: RunLength): Promise<PbtRunResult> {
    const interval = this.options.perturbationInterval;
    const totalSteps = 'generations' in length ? length.generations * interval : length.totalSteps;
    if (!Number.isInteger(totalSteps) || totalSteps <= 0) {
      throw new ConfigError({ parameter: 'generations' in length ? 'generations' : 'totalSteps', value: 'generations' in length ? length.generations : totalSteps, expected: 'a positive integer' });
    }
    await this.start();
    if (this.options.mode === 'synchronous') await this.runSynchronous(totalSteps);
    else await this.runAsynchronous(totalSteps);
    const members = this.population;
    return { members, best: this.best(members), lineage: [...this.lineage], resumedFrom: this.resumedFrom };
  }

  /** The whole run state as a checkpoint (plain JSON; states are shared with the scheduler, read only). */
  checkpoint(): PopulationCheckpoint {
    const o = this.options;
    const rng = this.rng.snapshot();
    return {
      format: 'trading-ml/pbt-checkpoint',
      version: 1,
      mode: o.mode,
      seed: o.seed,
      perturbationInterval: o.perturbationInterval,
      generation: this.generation,
      completedIntervals: this.completedIntervals,
      rng: { ...rng, generator: [...rng.generator] },
      members: this.members.map(view) as PopulationCheckpoint['members'],
      lineage: [...this.lineage],
    };
  }

  /** Fresh population, or the store's newest checkpoint. */
  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const saved = this.options.checkpointStore ? await this.options.checkpointStore.loadLatest() : null;
    if (saved !== null) {
      this.restore(saved);
      await this.options.lineageLog?.reset(this.lineage);
      return;
    }
    const { population, hyperparameterSpace, seed } = this.options;
    const root = Rng.fromSeed(seed);
    const sampler = root.derive('pbt/initial-hyperparameters');
    const initial = typeof population === 'number' ? Array.from({ length: population }, () => sampleHyperparameters(hyperparameterSpace, sampler)) : population.map((h) => ({ ...h }));
    this.members = initial.map((hyperparameters, memberId) => ({
      memberId,
      hyperparameters,
      state: null,
      step: 0,
      generation: 0,
      seed: root.derive(`pbt/member/${memberId}`).int(0, 2 ** 31 - 1),
      lastScore: null,
      lastMetrics: {},
      scores: [],
    }));
    await this.record(this.members.map((m, i) => ({ kind: 'init', sequence: i, memberId: m.memberId, generation: 0, step: 0, hyperparameters: m.hyperparameters, seed: m.seed })));
  }

  private restore(saved: PopulationCheckpoint): void {
    const o = this.options;
    const size = typeof o.population === 'number' ? o.population : o.population.length;
    const mismatch = (
      [
        ['mode', saved.mode, o.mode],
        ['seed', saved.seed, o.seed],
        ['perturbationInterval', saved.perturbationInterval, o.perturbationInterval],
        ['population', saved.members.length, size],
      ] as const
    ).find(([, was, now]) => was !== now);
    if (mismatch) {
      throw new ConfigError({ parameter: mismatch[0], value: mismatch[2], expected: `${String(mismatch[1])}, the value of the run that wrote the checkpoint being resumed` });
    }
    // Members come back with the hyperparameters they had at the checkpoint, perturbed ones included (Ray #62173).
    this.members = saved.members.map((m) => ({ ...m, state: m.state, scores: [...m.scores] }));
    this.lineage = [...saved.lineage];
    this.rng = Rng.restore(saved.rng);
    this.generation = saved.generation;
    this.completedIntervals = saved.completedIntervals;
    this.reported = this.lineage.length;
    this.resumedFrom = saved.generation;
  }

  private async runSynchronous(totalSteps: number): Promise<void> {
    const interval = this.options.perturbationInterval;
    // Extending a finished run: its last boundary got final records instead of a decision; decide now, so the
    // extended run makes the same decisions as a run that was this long from the start.
    if (this.lineage.at(-1)?.kind === 'final' && this.members.some((m) => m.step < totalSteps)) {
      const q = this.quantiles(this.members);
      const records: LineageRecord[] = [];
      for (const member of this.members) records.push(this.decideFor(member, q, records.length));
      await this.record(records);
    }
    while (this.members.some((m) => m.step < totalSteps)) {
      const jobs = this.members.map((m) => this.job(m, Math.min(interval, totalSteps - m.step)));
      const results = await this.options.executor.train(jobs);
      for (const result of results) await this.apply(result);
      this.completedIntervals += jobs.length;
      this.generation += 1;
      const finished = this.members.every((m) => m.step >= totalSteps);
      if (finished) await this.record(this.members.map((m) => this.finalRecord(m)));
      else {
        const q = this.quantiles(this.members);
        const records: LineageRecord[] = [];
        for (const member of this.members) records.push(this.decideFor(member, q, records.length));
        await this.record(records);
      }
      if (finished || this.generation % this.options.checkpointEvery === 0) await this.options.checkpointStore?.save(this.checkpoint());
      await this.report();
    }
  }

  private async runAsynchronous(totalSteps: number): Promise<void> {
    const interval = this.options.perturbationInterval;
    const size = this.members.length;
    const inFlight = new Map<number, Promise<{ memberId: number; result?: TrainResult; error?: unknown }>>();
    let failure: { error: unknown } | undefined;
    for (;;) {
      if (failure === undefined) {
        for (const m of this.members) {
          if (inFlight.has(m.memberId) || m.step >= totalSteps) continue;
          const job = this.job(m, Math.min(interval, totalSteps - m.step));
          inFlight.set(
            m.memberId,
            this.options.executor.train([job]).then(
              ([result]) => ({ memberId: job.memberId, result: result! }),
              (error: unknown) => ({ memberId: job.memberId, error }),
            ),
          );
        }
      }
      if (inFlight.size === 0) break;
      const settled = await Promise.race(inFlight.values());
      inFlight.delete(settled.memberId);
      if (settled.result === undefined) {
        failure ??= { error: settled.error };
        continue; // let the other jobs settle before failing, so no job outlives the run
      }
      if (failure !== undefined) continue;
      try {
        const member = this.members[settled.memberId]!;
        await this.apply(settled.result);
        this.completedIntervals += 1;
        // Finished members leave the ranking, as in Ray Tune.
        const active = this.members.filter((m) => m.step < totalSteps);
        const record = member.step >= totalSteps ? this.finalRecord(member) : this.decideFor(member, this.quantiles(active), 0);
        await this.record([record]);
        const generation = Math.floor(this.completedIntervals / size);
        const done = this.members.every((m) => m.step >= totalSteps) && inFlight.size === 0;
        if (generation > this.generation || done) {
          this.generation = Math.max(generation, this.generation);
          if (done || this.generation % this.options.checkpointEvery === 0) await this.options.checkpointStore?.save(this.checkpoint());
          await this.report();
        }
      } catch (error) {
        failure = { error }; // a score function, store or callback failed: drain the jobs in flight, then throw
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  private job(member: Member, steps: number): TrainJob {
    return { memberId: member.memberId, hyperparameters: member.hyperparameters, state: member.state, steps, step: member.step, seed: member.seed, generation: member.generation };
  }

  private async apply(result: TrainResult): Promise<void> {
    const member = this.members[result.memberId]!;
    member.state = result.state;
    member.step = result.step;
    member.generation += 1;
    const score = this.options.score
      ? await this.options.score({ memberId: member.memberId, hyperparameters: member.hyperparameters, state: result.state, step: member.step, generation: member.generation, result })
      : result.score;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new ConfigError({ parameter: 'score', value: score, expected: `a finite number from the score function for member ${member.memberId}` });
    }
    member.lastScore = score;
    member.lastMetrics = { ...result.metrics };
    member.scores.push({ step: member.step, generation: member.generation, score });
  }

  private quantiles(candidates: readonly Member[]) {
    const scored = candidates.filter((m) => m.lastScore !== null).map((m) => ({ memberId: m.memberId, score: m.lastScore! }));
    return quantiles(scored, this.options.quantileFraction, this.options.goal);
  }

  private decideFor(member: Member, q: ReturnType<typeof quantiles>, offset: number): LineageRecord {
    const o = this.options;
    return decide(member, {
      members: this.members,
      quantiles: q,
      space: o.hyperparameterSpace,
      rng: this.rng,
      explore: o,
      sequence: this.lineage.length + offset,
      burnIn: member.step < o.burnIn,
    });
  }

  private finalRecord(m: Member): LineageRecord {
    return { kind: 'final', sequence: this.lineage.length, memberId: m.memberId, generation: m.generation, step: m.step, score: m.lastScore, hyperparameters: m.hyperparameters };
  }

  private async record(records: LineageRecord[]): Promise<void> {
    const numbered = records.map((r, i) => ({ ...r, sequence: this.lineage.length + i }));
    this.lineage.push(...numbered);
    await this.options.lineageLog?.append(numbered);
  }

  private async report(): Promise<void> {
    const records = this.lineage.slice(this.reported);
    this.reported = this.lineage.length;
    if (this.options.onGeneration === undefined) return;
    const members = this.population;
    const event: GenerationEvent = { generation: this.generation, members, best: this.best(members), records };
    await this.options.onGeneration(event);
  }

  private best(members: readonly MemberView[]): MemberView {
    const sign = this.options.goal === 'maximize' ? 1 : -1;
    return members.reduce((best, m) => (m.lastScore !== null && (best.lastScore === null || sign * (m.lastScore - best.lastScore) > 0) ? m : best));
  }
}

/**
 * A member's copy for callers. States are shared, not cloned: they are immutable values (typed read-only, replaced
 * after each job), and cloning every state at every report would cost as much as the decisions themselves.
 */
function view(m: Member): MemberView {
  return { ...m, hyperparameters: { ...m.hyperparameters }, lastMetrics: { ...m.lastMetrics }, scores: m.scores.map((s) => ({ ...s })) };
}
