/**
 * Public API of the popagent app, for scripts and tests that drive the ablation in-process.
 */
export { runCli, DEFAULT_DATA_DIR, EXIT_USAGE, EXIT_FAILURE } from './command.js';
export { runAblation } from './ablation.js';
export type { AblationOutcome } from './ablation.js';
export { parseAblationOptions, SUPPORTED_TIMEFRAMES, LLM_SETUP_HINT } from './options.js';
export type { AblationOptions, AblationLlmSettings, RawAblationFlags } from './options.js';
export { readConfigFile } from './config-file.js';
export { loadAblationData, WARM_UP_BARS, REFERENCE_SYMBOL } from './data.js';
export type { AblationData, SymbolData, DataRequest } from './data.js';
export { buildResultsDocument, serializeResults, writeResults, RESULTS_FILE, GENERATED_BY } from './results.js';
export { resultsDocumentSchema, runResultSchema, performanceSummarySchema, llmRunSummarySchema, resultsLlmSchema } from './results-schema.js';
export type { ResultsDocument, ResultsLlm, StoredRunResult, StoredPerformanceSummary } from './results-schema.js';
export { formatLedgerTable, ledgerRows, LEDGER_HEADERS, LEDGER_NOTE } from './llm-ledger.js';
export { renderReport, writeReport, REPORT_FILE } from './report.js';
export type { Report } from './report.js';
export { renderCharts, BUY_AND_HOLD_LABEL } from './charts.js';
export type { Chart } from './charts.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export { runPbt, PBT_FILES } from './pbt/run-pbt.js';
export type { PbtOutcome } from './pbt/run-pbt.js';
export { parsePbtOptions } from './pbt/options.js';
export type { PbtOptions, RawPbtFlags } from './pbt/options.js';
export { pbtResultsSchema } from './pbt/results-schema.js';
export type { PbtResultsDocument } from './pbt/results-schema.js';
export { runLive } from './live/run-live.js';
export type { LiveRunOutcome } from './live/run-live.js';
export { parseLiveOptions } from './live/live-options.js';
export type { LiveOptions, RawLiveFlags } from './live/live-options.js';
export { PopAgentLiveStrategy } from './live/popagent-strategy.js';
