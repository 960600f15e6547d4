/**
 * Training curves: CSV files in the output folder (always) and TensorBoard event files (only on the tfjs-node
 * backend, whose `tf.node.summaryFileWriter` writes them).
 */
import { join } from 'node:path';
import type { CnnEpochMetrics } from '@trading-ml/cnn-rl';
import { writeFileAtomic } from './atomic-write.js';
import type { RunContext } from './run-context.js';
import type { DqnEpisodeRow } from './train.js';

/** The subset of tfjs-node's SummaryFileWriter used here. */
interface SummaryWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}

/** DQN train steps averaged into one point of the loss curve. */
export const LOSS_CHUNK = 50;

/** [start index, mean] of consecutive chunks of `size` values (a shorter last chunk included). */
export function chunkMeans(values: readonly number[], size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < values.length; start += size) {
    const chunk = values.slice(start, start + size);
    out.push([start, chunk.reduce((a, b) => a + b, 0) / chunk.length]);
  }
  return out;
}

/** Collects the curves of one train run and writes them. */
export class TrainingLog {
  private readonly cnnRows: string[];
  private readonly dqnRows: string[] = ['symbol,episode,decisions,train_steps,mean_loss,reward_sum,buy,hold,sell,equity'];
  private readonly lossRows: string[] = ['symbol,step,mean_loss'];
  private readonly stepsSoFar = new Map<string, number>();
  private writer: SummaryWriter | null | undefined;

  constructor(private readonly ctx: RunContext) {
    this.cnnRows = [['epoch', 'loss', 'val_loss', ...ctx.config.timeframes.map((tf) => `accuracy_${tf}`)].join(',')];
    if (ctx.backend.name !== 'tensorflow') this.writer = null;
  }

  /** tfjs-node's summary writer, loaded on first use when the backend is 'tensorflow'. */
  private async summaryWriter(): Promise<SummaryWriter | null> {
    if (this.writer !== undefined) return this.writer;
    try {
      const moduleName = '@tensorflow/tfjs-node'; // optional dependency: not resolvable on every machine
      const tfn = (await import(moduleName)) as { node: { summaryFileWriter(dir: string): SummaryWriter } };
      this.writer = tfn.node.summaryFileWriter(join(this.ctx.options.outDir, 'tensorboard'));
    } catch {
      this.writer = null;
    }
    return this.writer;
  }

  /** Records one CNN epoch. */
  cnnEpoch(epoch: number, metrics: CnnEpochMetrics): void {
    this.cnnRows.push([epoch + 1, metrics.loss, metrics.valLoss, ...metrics.accuracy].map((v) => (Number.isNaN(v) ? '' : String(v))).join(','));
    void this.summaryWriter().then((w) => {
      w?.scalar('cnn/loss', metrics.loss, epoch + 1);
      if (!Number.isNaN(metrics.valLoss)) w?.scalar('cnn/val_loss', metrics.valLoss, epoch + 1);
    });
    this.flushCsv();
  }

  /** Records one DQN episode. */
  dqnEpisode(row: DqnEpisodeRow): void {
    this.dqnRows.push([row.symbol, row.episode, row.decisions, row.trainSteps, Number.isNaN(row.meanLoss) ? '' : row.meanLoss, row.rewardSum, row.buy, row.hold, row.sell, row.equity].join(','));
    const offset = this.stepsSoFar.get(row.symbol) ?? 0;
    for (const [start, mean] of chunkMeans(row.losses, LOSS_CHUNK)) this.lossRows.push(`${row.symbol},${offset + start + LOSS_CHUNK},${mean}`);
    this.stepsSoFar.set(row.symbol, offset + row.losses.length);
    void this.summaryWriter().then((w) => {
      const tag = row.symbol.replace('/', '-');
      if (!Number.isNaN(row.meanLoss)) w?.scalar(`dqn/${tag}/loss`, row.meanLoss, row.episode);
      w?.scalar(`dqn/${tag}/reward`, row.rewardSum, row.episode);
    });
    this.flushCsv();
  }

  /** Writes both CSV files (atomically; called after every row so an interrupted run keeps its curves). */
  private flushCsv(): void {
    writeFileAtomic(join(this.ctx.options.outDir, 'cnn-training.csv'), `${this.cnnRows.join('\n')}\n`);
    writeFileAtomic(join(this.ctx.options.outDir, 'dqn-training.csv'), `${this.dqnRows.join('\n')}\n`);
    writeFileAtomic(join(this.ctx.options.outDir, 'dqn-loss.csv'), `${this.lossRows.join('\n')}\n`);
  }

  /** Flushes the TensorBoard writer, if any. */
  close(): void {
    this.writer?.flush();
  }
}
