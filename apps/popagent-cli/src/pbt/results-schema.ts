/**
 * The zod schema of the `popagent pbt` results.json. Every field is described in the app README
 * ("popagent pbt" → results.json). Undefined ratios (a profit factor without a losing trade, …) are null, as in
 * the ablation's results.json, whose performance-summary schema this reuses.
 */
import { z } from 'zod';
import { performanceSummarySchema } from '../results-schema.js';
import { FITNESS_KINDS } from './fitness.js';
import { EXECUTORS } from './options.js';

const utcMs = z.number().int();
const iso = z.iso.datetime();
const hyperparameters = z.record(z.string(), z.number());

/** A walk-forward window: the closes it holds, [from, to), and the first and last close actually traded. */
export const windowSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  from: utcMs,
  to: utcMs,
  firstClose: utcMs,
  lastClose: utcMs,
  /** Bars of the first symbol in the window. */
  bars: z.number().int().positive(),
});

/** One generation of the progress table. */
export const generationSchema = z.strictObject({
  generation: z.number().int().positive(),
  window: z.number().int().nonnegative(),
  bestMemberId: z.number().int().nonnegative(),
  bestFitness: z.number(),
  medianFitness: z.number(),
  defaultFitness: z.number(),
  exploits: z.number().int().nonnegative(),
  bestHyperparameters: hyperparameters,
});

/** One symbol on the final window. */
export const finalSymbolSchema = z.strictObject({
  symbol: z.string().min(1),
  best: performanceSummarySchema,
  default: performanceSummarySchema,
  buyAndHold: performanceSummarySchema,
  equity: z.strictObject({ time: z.array(utcMs), best: z.array(z.number()), default: z.array(z.number()), buyAndHold: z.array(z.number()) }),
});

/** Schema of the whole document. */
export const pbtResultsSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    kind: z.literal('popagent-pbt'),
    generatedBy: z.string().min(1),
    command: z.string().min(1),
    options: z.strictObject({
      symbols: z.array(z.string().min(1)).min(1),
      timeframe: z.enum(['1h', '4h', '1d']),
      periodsPerYear: z.number().positive(),
      start: utcMs,
      startIso: iso,
      end: utcMs,
      endIso: iso,
      finalEnd: utcMs,
      finalEndIso: iso,
      population: z.number().int().min(2),
      generations: z.number().int().positive(),
      agents: z.number().int().positive(),
      seed: z.number().int().nonnegative(),
      fitness: z.enum(FITNESS_KINDS),
      drawdownCap: z.number(),
      executor: z.enum(EXECUTORS),
      dataDir: z.string(),
    }),
    /** The PBT windows, each scored for every member. */
    windows: z.array(windowSchema).min(2),
    generations: z.array(generationSchema),
    best: z.strictObject({
      memberId: z.number().int().nonnegative(),
      /** Fitness on the last PBT window. */
      fitness: z.number(),
      hyperparameters,
      /** The contents of best-config.json (a partial PopAgentConfig). */
      config: hyperparameters,
      /** Last bar close any of its engines had seen before the final window. */
      lastSeenClose: utcMs,
    }),
    untuned: z.strictObject({ fitness: z.array(z.number()), lastSeenClose: utcMs }),
    finalWindow: z.strictObject({
      from: utcMs,
      to: utcMs,
      firstClose: utcMs,
      lastClose: utcMs,
      bars: z.number().int().positive(),
      fitness: z.strictObject({ best: z.number(), default: z.number(), buyAndHold: z.number() }),
      symbols: z.array(finalSymbolSchema).min(1),
    }),
  })
  .superRefine((doc, context) => {
    // The held-out window must begin after every scored window and after every bar the engines had seen.
    const lastScored = Math.max(...doc.windows.map((w) => w.lastClose));
    if (doc.finalWindow.firstClose <= lastScored) {
      context.addIssue({ code: 'custom', path: ['finalWindow', 'firstClose'], message: `the final window starts at or before the last scored close ${lastScored}` });
    }
    if (doc.best.lastSeenClose >= doc.finalWindow.firstClose || doc.untuned.lastSeenClose >= doc.finalWindow.firstClose) {
      context.addIssue({ code: 'custom', path: ['best', 'lastSeenClose'], message: 'an engine had seen a bar of the final window before trading it' });
    }
  });

/** The validated `results.json` of `popagent pbt`. */
export type PbtResultsDocument = z.infer<typeof pbtResultsSchema>;
