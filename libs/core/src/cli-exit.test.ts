import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_USAGE, cliExitCode, renameConfigParameter } from './cli-exit.js';
import { ConfigError, DataError, LlmUnavailableError } from './errors.js';

function run(error: unknown): { code: number; stderr: string } {
  let stderr = '';
  const code = cliExitCode(error, (text) => (stderr += text));
  return { code, stderr };
}

describe('cliExitCode', () => {
  it('help and version asked for are a success; every other commander error is a usage error, printed by commander', () => {
    expect(run(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: 0, stderr: '' });
    expect(run(new CommanderError(0, 'commander.version', '1.0.0'))).toEqual({ code: 0, stderr: '' });
    expect(run(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({ code: EXIT_USAGE, stderr: '' });
    expect(run(new CommanderError(1, 'commander.help', '(outputHelp)'))).toEqual({ code: EXIT_USAGE, stderr: '' });
  });

  it('a ConfigError is a usage error on one line naming the flag, the value and what was expected', () => {
    const { code, stderr } = run(new ConfigError({ parameter: '--population', value: 0, expected: 'an integer ≥ 2' }));
    expect(code).toBe(2);
    expect(stderr).toBe('error: Invalid --population: got 0, expected an integer ≥ 2\n');
  });

  it('other typed errors exit 1 with their message; an untyped error is a bug and shows its stack', () => {
    expect(run(new LlmUnavailableError({ message: 'no endpoint: set --llm-base-url' }))).toEqual({ code: EXIT_FAILURE, stderr: 'error: no endpoint: set --llm-base-url\n' });
    const data = new DataError({ location: { file: 'data/x.csv', line: 3, column: 'close' }, value: 'abc', expected: 'a finite number' });
    expect(run(data)).toEqual({ code: 1, stderr: `error: ${data.message}\n` });
    const bug = new TypeError('x is undefined');
    expect(run(bug)).toEqual({ code: 1, stderr: `${bug.stack}\n` });
    expect(run('thrown string')).toEqual({ code: 1, stderr: 'thrown string\n' });
    // A plain error whose code merely looks similar is not mistaken for commander's.
    expect(run(Object.assign(new Error('boom'), { code: 'ENOENT' })).code).toBe(1);
  });
});

describe('renameConfigParameter', () => {
  it('re-issues a mapped ConfigError under the flag name and leaves everything else alone', () => {
    const original = new ConfigError({ parameter: 'baseURL', value: 'ftp://x', expected: 'an http(s) URL' });
    const renamed = renameConfigParameter(original, { baseURL: '--llm-base-url' });
    expect(renamed).toBeInstanceOf(ConfigError);
    expect((renamed as ConfigError).message).toBe('Invalid --llm-base-url: got "ftp://x", expected an http(s) URL');
    expect((renamed as ConfigError).cause).toBe(original);
    const unmapped = new ConfigError({ parameter: 'temperature', value: 3, expected: 'a number from 0 to 2' });
    expect(renameConfigParameter(unmapped, { baseURL: '--llm-base-url' })).toBe(unmapped);
    const inherited = new ConfigError({ parameter: 'toString', value: 1, expected: 'x' });
    expect(renameConfigParameter(inherited, {})).toBe(inherited); // own keys only, not Object.prototype's
    const other = new TypeError('x');
    expect(renameConfigParameter(other, { baseURL: '--llm-base-url' })).toBe(other);
  });
});
