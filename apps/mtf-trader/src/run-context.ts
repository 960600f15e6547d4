import type { Rng } from '@trading-ml/core';
import type { BackendInfo } from '@trading-ml/cnn-rl';
import type { MtfConfig } from './config.js';
import type { RunOptions } from './options.js';

/** Where the app writes: standard output and error (injected so tests run the real command in-process). */
export interface RunIo {
  write(text: string): void;
  writeError(text: string): void;
}

/** Everything a mode needs: configuration, flags, output, the run's root random stream and the active backend. */
export interface RunContext {
  readonly config: MtfConfig;
  readonly options: RunOptions;
  readonly io: RunIo;
  /** Root stream of the run (seed --seed); each consumer derives its own. */
  readonly rng: Rng;
  readonly backend: BackendInfo;
  /** Folder holding crypto/. */
  readonly dataDir: string;
}
