import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { readConfigFile } from './config-file.js';

const folder = mkdtempSync(join(tmpdir(), 'popagent-config-'));

/** Writes `text` to a fresh file and returns its path. */
function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError `readConfigFile(path)` throws. */
function errorOf(path: string): ConfigError {
  try {
    readConfigFile(path);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${path}`);
}

describe('readConfigFile', () => {
  it('returns exactly the keys the file sets', () => {
    expect(readConfigFile(file('ok.json', '{ "transferRate": 0.3, "allowShort": true }'))).toEqual({ transferRate: 0.3, allowShort: true });
  });

  it('names the file and the key of an unknown key', () => {
    const path = file('unknown.json', '{ "populaton": 3 }');
    const error = errorOf(path);
    expect(error.parameter).toBe('populaton');
    expect(error.message).toContain(path);
    expect(error.message).toContain('populaton');
  });

  it('names the file and the key of a wrongly typed value', () => {
    const path = file('type.json', '{ "allowShort": "yes" }');
    const error = errorOf(path);
    expect(error.message).toBe(`Invalid allowShort in ${path}: got "yes", expected a boolean`);
  });

  it('names the file and the key of an out-of-range value (library ranges)', () => {
    const path = file('range.json', '{ "transferRate": 2 }');
    const error = errorOf(path);
    expect(error.parameter).toBe('transferRate');
    expect(error.value).toBe(2);
    expect(error.message).toContain(`in ${path}`);
  });

  it('rejects a missing file, invalid JSON and a non-object as --config', () => {
    expect(errorOf(join(folder, 'missing.json')).parameter).toBe('--config');
    expect(errorOf(file('broken.json', '{ "discount": ')).expected).toMatch(/^valid JSON/);
    expect(errorOf(file('array.json', '[1, 2]')).parameter).toBe('--config');
  });
});
