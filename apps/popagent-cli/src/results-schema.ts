/**
 * The zod schema of `results.json`. Every field is documented in the app README ("results.json" table).
 * Ratios that are undefined for a run (e.g. a profit factor with no losing trade, a Sharpe ratio of a flat
 * curve) are written as null, because JSON has no NaN or Infinity. Run objects are checked loosely (unknown
 * keys are dropped) so a library that adds a field does not break the app; the document itself is strict.
 */
import { z } from 'zod';

/** A metric value: a finite number, or null when the metric is undefined for this curve. */
const metric = z.number().nullable();

/** Schema of PerformanceSummary after JSON serialisation (non-finite numbers → null). */
export const performanceSummarySchema = z.object({
  totalReturn: metric,
  cagr: metric,
  annualizedVolatility: metric,
  sharpeRatio: metric,
  sharpeInterval: z.tuple([metric, metric]),
  sortinoRatio: metric,
  maxDrawdown: metric,
  calmarRatio: metric,
  profitFactor: metric,
  winRate: metric,
  turnover: metric,
  trades: z.number().int().nonnegative(),
  fills: z.number().int().nonnegative(),
});

const conditionSchema = z.enum(['A', 'B', 'C', 'D']);
const timeframeSchema = z.enum(['1m', '5m', '15m', '1h', '4h', '1d']);
const utcMs = z.number().int();

/** Schema of PopAgentConfig (every key present in a run's resolved config). */
export const popAgentConfigSchema = z.object({
  population: z.number().int().positive(),
  methodsPerDecision: z.number().int().positive(),
  discount: z.number(),
  transferEvery: z.number().int().positive(),
  transferRate: z.number(),
  rankingWindow: z.number().int().positive(),
  sgdLearningRate: z.number(),
  rlsForgettingFactor: z.number(),
  volatilityTarget: z.number(),
  allowShort: z.boolean(),
  feeRate: z.number().nonnegative(),
  slippageRate: z.number().nonnegative(),
  rebalanceThreshold: z.number().min(0).max(1),
});

/** Schema of one LLM consultation of a B/D run. */
export const llmViewSchema = z.object({
  time: utcMs,
  action: z.enum(['BUY', 'SELL', 'HOLD']),
  confidence: z.number().min(0).max(1),
  source: z.enum(['llm', 'cache', 'fallback']),
  cited: z.array(z.string()),
});

const count = z.number().int().nonnegative();

/** Schema of the LLM part of a B/D run (LlmRunSummary). */
export const llmRunSummarySchema = z.object({
  model: z.string().min(1),
  every: z.number().int().positive(),
  consultations: count,
  actions: z.object({ BUY: count, SELL: count, HOLD: count }),
  calls: count,
  cacheHits: count,
  fallbacks: count,
  promptTokens: count,
  completionTokens: count,
  costUsd: z.number().nonnegative(),
  populationExposure: z.array(z.number()),
  views: z.array(llmViewSchema),
});

/** Schema of one PopAgentRunResult, with cross-field checks (array lengths, method count). */
export const runResultSchema = z
  .object({
    condition: conditionSchema,
    symbol: z.string().min(1),
    timeframe: timeframeSchema,
    start: utcMs,
    end: utcMs,
    seed: z.number().int().nonnegative(),
    config: popAgentConfigSchema,
    methods: z.array(z.string().min(1)).min(1),
    metrics: performanceSummarySchema,
    buyAndHold: performanceSummarySchema,
    equity: z.object({
      time: z.array(utcMs),
      strategy: z.array(z.number()),
      buyAndHold: z.array(z.number()),
    }),
    exposure: z.array(z.number()),
    selections: z.array(
      z.object({
        time: utcMs,
        regime: z.enum(['bear', 'neutral', 'bull']),
        counts: z.array(z.number().int().nonnegative()),
      }),
    ),
    agentSteps: z.number().int().nonnegative(),
    /** Conditions B and D only. */
    llm: llmRunSummarySchema.optional(),
  })
  .superRefine((run, context) => {
    const n = run.equity.time.length;
    if (run.equity.strategy.length !== n || run.equity.buyAndHold.length !== n) {
      context.addIssue({ code: 'custom', path: ['equity'], message: `equity arrays must have equal lengths (time has ${n})` });
    }
    if (run.exposure.length !== n) {
      context.addIssue({ code: 'custom', path: ['exposure'], message: `exposure must have ${n} entries (one per equity.time)` });
    }
    for (let i = 1; i < n; i++) {
      if (run.equity.time[i]! <= run.equity.time[i - 1]!) {
        context.addIssue({ code: 'custom', path: ['equity', 'time', i], message: 'equity.time must be strictly increasing' });
        break;
      }
    }
    run.selections.forEach((sample, i) => {
      if (sample.counts.length !== run.methods.length) {
        context.addIssue({ code: 'custom', path: ['selections', i, 'counts'], message: `counts must have one entry per method (${run.methods.length})` });
      }
    });
    if (run.end < run.start) context.addIssue({ code: 'custom', path: ['end'], message: 'end must not be before start' });
    const isLlm = run.condition === 'B' || run.condition === 'D';
    if (isLlm !== (run.llm !== undefined)) {
      context.addIssue({ code: 'custom', path: ['llm'], message: `llm must be present exactly for conditions B and D (condition ${run.condition})` });
    }
    if (run.llm !== undefined) {
      if (run.llm.populationExposure.length !== n) {
        context.addIssue({ code: 'custom', path: ['llm', 'populationExposure'], message: `populationExposure must have ${n} entries (one per equity.time)` });
      }
      if (run.llm.views.length !== run.llm.consultations) {
        context.addIssue({ code: 'custom', path: ['llm', 'views'], message: `views must have one entry per consultation (${run.llm.consultations})` });
      }
    }
  });

/** Schema of one symbol's data summary (bars loaded, gaps in the hourly file). */
export const dataSummarySchema = z.strictObject({
  symbol: z.string().min(1),
  source: z.string(),
  bars: z.number().int().nonnegative(),
  warmUpBars: z.number().int().nonnegative(),
  gaps: z.number().int().nonnegative(),
  missingBars: z.number().int().nonnegative(),
});

/** Schema of the options block (validated flags plus ISO renderings of start/end). */
export const resultsOptionsSchema = z.strictObject({
  condition: z.enum(['A', 'B', 'C', 'D', 'all']),
  conditions: z.array(conditionSchema).min(1),
  skippedConditions: z.array(conditionSchema),
  symbols: z.array(z.string().min(1)).min(1),
  start: utcMs,
  startIso: z.iso.datetime(),
  end: utcMs,
  endIso: z.iso.datetime(),
  timeframe: timeframeSchema,
  periodsPerYear: z.number().positive(),
  population: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
  dataDir: z.string(),
  configFile: z.string().nullable(),
  config: popAgentConfigSchema.partial(),
});

/** Schema of the ablation's LLM block: the client settings, the ledger totals and a budget stop. */
export const resultsLlmSchema = z.strictObject({
  model: z.string().min(1),
  /** null: offline replay from the cache. */
  baseURL: z.string().nullable(),
  cache: z.string(),
  apiKeyEnv: z.string().nullable(),
  budgetUsd: z.number().positive().nullable(),
  maxTokens: z.number().int().positive().nullable(),
  every: z.number().int().positive(),
  ledger: z.strictObject({
    calls: count,
    cacheHits: count,
    fallbacks: count,
    promptTokens: count,
    completionTokens: count,
    costUsd: z.number().nonnegative(),
  }),
  /** Set when a spending limit stopped the ablation: the runs not finished are missing from `runs`. */
  stopped: z
    .strictObject({
      message: z.string(),
      spent: z.number(),
      limit: z.number(),
      unit: z.string(),
      unfinished: z.array(z.string()),
    })
    .nullable(),
});

/** Schema of the whole `results.json` document. */
export const resultsDocumentSchema = z.strictObject({
  schemaVersion: z.literal(1),
  generatedBy: z.string().min(1),
  command: z.string().min(1),
  options: resultsOptionsSchema,
  data: z.array(dataSummarySchema),
  runs: z.array(runResultSchema),
  /** Present when B or D ran (absent in documents without them). */
  llm: resultsLlmSchema.optional(),
});

/** The validated `results.json` document. */
export type ResultsDocument = z.infer<typeof resultsDocumentSchema>;
/** One run as stored in `results.json` (metrics may be null). */
export type StoredRunResult = z.infer<typeof runResultSchema>;
/** The LLM block of `results.json`. */
export type ResultsLlm = z.infer<typeof resultsLlmSchema>;
/** A PerformanceSummary as stored in `results.json`. */
export type StoredPerformanceSummary = z.infer<typeof performanceSummarySchema>;
