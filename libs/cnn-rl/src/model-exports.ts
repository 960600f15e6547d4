// The TensorFlow.js half of @trading-ml/cnn-rl: backend selection (with the wasm training kernels), the
// multi-timeframe CNN, the dueling double DQN, prioritized replay and model files.

// backend
export { initBackend } from './backend/init-backend.js';
export type { BackendInfo, BackendName } from './backend/init-backend.js';
export { registerWasmTrainingKernels } from './backend/wasm-training-kernels.js';
export { HostAdam } from './backend/host-adam.js';
export type { HostAdamOptions } from './backend/host-adam.js';
export { seedFor } from './backend/seeds.js';

// multi-timeframe CNN
export { MultiTimeframeCnn, PAPER_CNN_SIZES } from './cnn/multi-timeframe-cnn.js';
export type { MultiTimeframeCnnOptions, CnnFitOptions, CnnEpochMetrics, CnnTrainingHistory, CnnPrediction } from './cnn/multi-timeframe-cnn.js';
export type { CnnDataset } from './cnn/cnn-dataset.js';
export { chronologicalSplit } from './cnn/cnn-dataset.js';
export { multiHeadLoss } from './cnn/cnn-loss.js';
export { FastBatchNormalization } from './cnn/fast-batch-norm.js';
export type { FastBatchNormalizationArgs } from './cnn/fast-batch-norm.js';
export { SeededDropout } from './cnn/seeded-dropout.js';
export type { SeededDropoutArgs } from './cnn/seeded-dropout.js';

// dueling double DQN
export { DuelingDoubleDqn } from './dqn/dueling-double-dqn.js';
export type { DuelingDoubleDqnOptions, DqnTrainResult } from './dqn/dueling-double-dqn.js';
export { DuelingAggregation, duelingQ } from './dqn/dueling-aggregation.js';
export { doubleDqnTargets, doubleDqnTargetValues, huber, huberWithSlope, epsilonForStability } from './dqn/dqn-math.js';

// prioritized replay
export { SumTree } from './replay/sum-tree.js';
export { PrioritizedReplayBuffer } from './replay/prioritized-replay-buffer.js';
export type { Transition, ReplayBatch, PrioritizedReplayOptions, PrioritizedReplayState } from './replay/prioritized-replay-buffer.js';

// model files
export { saveLayersModel, loadLayersModel } from './io/model-files.js';
