/**
 * Reads `--config FILE`: a JSON object holding some of PopAgentConfig's keys. Unknown keys, wrong types and
 * out-of-range values are errors that name the file and the key.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@trading-ml/core';
import type { PopAgentConfig } from '@trading-ml/popagent';
import { validatePopAgentConfig } from '@trading-ml/popagent';

/** Types of every PopAgentConfig key; ranges are checked by the library's `validatePopAgentConfig`. */
/**
 * Loads and validates a partial PopAgentConfig from a JSON file.
 *
 * @param path - path of the JSON file (relative to the working directory or absolute).
 * @returns the keys the file sets, type- and range-checked.
 * @throws ConfigError with `parameter` '--config' when the file cannot be read or is not a JSON object, or
 *   with `parameter` = the key and `source` = the file when a key is unknown or its value is invalid.
 * @see libs/popagent/src/types.ts (PopAgentConfig: meaning and units of every key)
 * @example
 * // config.json: { "transferRate": 0.3, "allowShort": true }
 * const partial = readConfigFile('config.json'); // { transferRate: 0.3, allowShort: true }
 */
export function readConfigFile(path: string): Partial<PopAgentConfig> {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError({ parameter: '--config', value: path, expected: 'a readable JSON file', cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError({ parameter: '--config', value: path, expected: `valid JSON (${reason})`, cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError({ parameter: '--config', value: path, expected: 'a JSON object of PopAgentConfig keys' });
  }
  // The library's validator knows every key, its type and its range; this adds which file it came from.
  const partial = json as Partial<PopAgentConfig>;
  try {
    validatePopAgentConfig(partial);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError({ parameter: error.parameter, source: file, value: error.value, expected: error.expected, cause: error });
    }
    throw error;
  }
  return partial;
}
