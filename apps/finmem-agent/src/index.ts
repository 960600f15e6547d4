export { runCli, EXIT_USAGE, EXIT_FAILURE, DEFAULT_DATA_DIR } from './command.js';
export { parseOptions, DEFAULT_WINDOWS } from './options.js';
export type { FinMemOptions, RawFlags, LlmSettings } from './options.js';
export { resultsDocumentSchema } from './results-schema.js';
export type { ResultsDocument, Metrics } from './results-schema.js';
