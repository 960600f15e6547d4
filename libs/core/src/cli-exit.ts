/**
 * How a command-line app built on this toolkit turns a thrown error into an exit code and one line on stderr.
 * Shared by every app so that a bad flag means the same exit code everywhere.
 *
 * The convention follows BSD sysexits in spirit and commander's own behaviour: 2 for a usage error (a bad flag,
 * a bad config file: the user must change the command), 1 for any other failure, 0 for success and for help or
 * version output that was asked for.
 */
import { ConfigError, TradingMlError } from './errors.js';

/** Exit code of a bad flag or config file. */
export const EXIT_USAGE = 2;
/** Exit code of any other failure. */
export const EXIT_FAILURE = 1;

/** A commander error, recognised by its `commander.*` code so this library does not depend on commander. */
function commanderCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('commander.') ? code : undefined;
}

/**
 * Maps an error thrown by a CLI run to its exit code, writing what the user needs to stderr.
 *
 * - commander errors: commander has already printed its one-line message or the help text; `--help` and
 *   `--version` are a success (0), anything else (unknown option, missing argument, help shown because no
 *   command was given) a usage error (2).
 * - ConfigError: `error: <message>` (the message names the flag or file, the bad value and what was expected), 2.
 * - any other TradingMlError (data, state, exchange, LLM, budget): `error: <message>`, 1.
 * - anything else is a bug: its stack, 1.
 *
 * @param error - what the run threw.
 * @param writeError - writes text to stderr (the app's io, so tests can capture it).
 * @returns the process exit code: 0, 1 or 2.
 */
export function cliExitCode(error: unknown, writeError: (text: string) => void): number {
  const commander = commanderCode(error);
  if (commander !== undefined) return commander === 'commander.helpDisplayed' || commander === 'commander.version' ? 0 : EXIT_USAGE;
  if (error instanceof ConfigError) {
    writeError(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof TradingMlError) {
    writeError(`error: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  writeError(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}

/**
 * Re-issues a library's ConfigError under the name the user typed: a client option `baseURL` becomes the flag
 * `--llm-base-url`, so the one-line error names the flag to change. Anything else is returned unchanged.
 *
 * @param error - what the library threw.
 * @param flags - option name → CLI flag (e.g. `LLM_CLIENT_FLAGS` of `@trading-ml/llm-reasoning`).
 * @returns a ConfigError naming the flag (the original as its `cause`), or `error` itself.
 * @example
 * try { createLlmReasoner(options); } catch (error) { throw renameConfigParameter(error, LLM_CLIENT_FLAGS); }
 */
export function renameConfigParameter(error: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof ConfigError) || !Object.hasOwn(flags, error.parameter)) return error;
  return new ConfigError({ parameter: flags[error.parameter] as string, value: error.value, expected: error.expected, cause: error });
}
