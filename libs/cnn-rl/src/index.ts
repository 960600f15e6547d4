// The public API of @trading-ml/cnn-rl: the TensorFlow.js parts (backend, CNN, DQN, replay) and the data parts
// (multi-timeframe features, perfect-move labels, rewards, timeframe combination, coordination).
export * from './model-exports.js';
export * from './data-exports.js';
