/**
 * What a state folder was created for (mode, source, exchange, timeframe, symbols, condition, seed, config,
 * cash), kept beside the SQLite state as `live-run.json`. A restart with other settings would resume engines and
 * books that do not fit them, so it is refused with the flag that differs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, StateError, describeValue, parseState } from '@trading-ml/core';
import { validatePopAgentConfig } from '@trading-ml/popagent';
import { writeFileAtomic } from '../atomic-write.js';
import type { LiveOptions } from './live-options.js';

/** File name of the run identity inside the state folder. */
export const RUN_IDENTITY_FILE = 'live-run.json';

const identitySchema = z.object({
  version: z.literal(1, '1'),
  mode: z.string(),
  source: z.string(),
  exchange: z.string(),
  timeframe: z.string(),
  symbols: z.array(z.string()),
  condition: z.string(),
  seed: z.number(),
  initialCash: z.number(),
  warmupBars: z.number(),
  config: z.record(z.string(), z.unknown()),
});

/** The settings a state folder belongs to. */
export type RunIdentity = z.infer<typeof identitySchema>;

/**
 * The settings a run's state depends on.
 * @param options - the validated flags.
 * @returns the identity (symbols sorted, config with every default filled in).
 * @example
 * runIdentity(options).config.population; // 10 unless --config set it
 */
export function runIdentity(options: LiveOptions): RunIdentity {
  return {
    version: 1,
    mode: options.mode,
    source: options.source,
    exchange: options.source === 'bundled' ? 'bundled' : options.exchange,
    timeframe: options.timeframe,
    symbols: [...options.symbols].sort(),
    condition: options.condition,
    seed: options.seed,
    initialCash: options.initialCash,
    warmupBars: options.warmupBars,
    config: { ...validatePopAgentConfig(options.config) },
  };
}

/** The flag that sets each identity field, for the error message. */
const FLAGS: Record<Exclude<keyof RunIdentity, 'version'>, string> = {
  mode: '--testnet/--live-real',
  source: '--source',
  exchange: '--exchange',
  timeframe: '--timeframe',
  symbols: '--symbols',
  condition: '--use-news/--use-llm',
  seed: '--seed',
  initialCash: '--initial-cash',
  warmupBars: '--warmup-bars',
  config: '--config',
};

/**
 * Writes the identity of a run into its state folder (atomically). The app does so right after the first committed
 * step, so a typo that fails earlier (a symbol the exchange does not list) never ties a folder to wrong settings.
 * @param stateDir - the state folder.
 * @param options - the validated flags.
 * @example
 * writeRunIdentity('out/live/paper', options);
 */
export function writeRunIdentity(stateDir: string, options: LiveOptions): void {
  writeFileAtomic(join(stateDir, RUN_IDENTITY_FILE), `${JSON.stringify(runIdentity(options), null, 2)}\n`);
}

/**
 * Checks the options against the state folder's identity.
 *
 * @param stateDir - the state folder.
 * @param options - the validated flags.
 * @returns 'new' for a folder without state identity, 'resume' when it matches.
 * @throws ConfigError naming the first flag whose value differs from the one the state was created with;
 *   StateError when live-run.json is malformed.
 * @example
 * checkRunIdentity('out/live/paper', options); // 'new' before the first iteration, 'resume' afterwards
 */
export function checkRunIdentity(stateDir: string, options: LiveOptions): 'new' | 'resume' {
  const path = join(stateDir, RUN_IDENTITY_FILE);
  const wanted = runIdentity(options);
  if (!existsSync(path)) return 'new';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new StateError({ what: path, problem: `not JSON (${error instanceof Error ? error.message : String(error)})`, cause: error });
  }
  const saved = parseState(path, identitySchema, parsed);
  for (const key of Object.keys(FLAGS) as (keyof typeof FLAGS)[]) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(wanted[key])) {
      throw new ConfigError({
        parameter: FLAGS[key],
        value: wanted[key],
        expected: `${describeValue(saved[key])} (${key}) as when the state in ${stateDir} was created; give another --state-dir for other settings`,
      });
    }
  }
  return 'resume';
}
