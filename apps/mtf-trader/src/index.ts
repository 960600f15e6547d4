// The app's in-process entry (tests, scripts): the command line and its configuration.
export { runCli, DEFAULT_DATA_DIR, EXIT_USAGE, EXIT_FAILURE } from './cli.js';
export type { CliOutcome } from './cli.js';
export { configSchema, validateConfig, loadConfigFile, parseInstant } from './config.js';
export type { MtfConfig } from './config.js';
export { parseRunOptions } from './options.js';
export type { RunOptions, RawFlags } from './options.js';
