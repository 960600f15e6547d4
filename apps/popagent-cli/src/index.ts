/**
 * Public API of the popagent app, for scripts and tests that drive the ablation in-process.
 */
export { runCli, DEFAULT_DATA_DIR, EXIT_USAGE, EXIT_FAILURE } from './command.js';
export { runAblation } from './ablation.js';
export type { AblationOutcome } from './ablation.js';
export { parseAblationOptions, SUPPORTED_TIMEFRAMES } from './options.js';
export type { AblationOptions, RawAblationFlags } from './options.js';
export { readConfigFile } from './config-file.js';
export { loadAblationData, WARM_UP_BARS, REFERENCE_SYMBOL } from './data.js';
export type { AblationData, SymbolData, DataRequest } from './data.js';
export { buildResultsDocument, serializeResults, writeResults, RESULTS_FILE, GENERATED_BY } from './results.js';
export { resultsDocumentSchema, runResultSchema, performanceSummarySchema } from './results-schema.js';
export type { ResultsDocument, StoredRunResult, StoredPerformanceSummary } from './results-schema.js';
export { renderReport, writeReport, REPORT_FILE } from './report.js';
export type { Report } from './report.js';
export { renderCharts, BUY_AND_HOLD_LABEL } from './charts.js';
export type { Chart } from './charts.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
