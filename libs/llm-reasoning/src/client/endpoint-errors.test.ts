import { describe, expect, it } from 'vitest';
import { redactSecret, redactingLogger } from './endpoint-errors.js';
import { captureLogger } from '../testing/fixtures.js';

describe('redactSecret', () => {
  it('replaces every occurrence of a key of 8+ characters with the variable name', () => {
    expect(redactSecret('a sk-12345678 b sk-12345678', 'sk-12345678', 'K')).toBe('a [redacted $K] b [redacted $K]');
    expect(redactSecret('abc', 'abc', 'K')).toBe('abc'); // too short to redact safely
    expect(redactSecret('text', undefined, 'K')).toBe('text');
  });

  it('redacts messages, strings, errors and objects passed to a logger', () => {
    const target = captureLogger();
    const logger = redactingLogger(target, 'sk-secret-000111', 'K');
    logger.debug('header Bearer sk-secret-000111', { headers: { authorization: 'Bearer sk-secret-000111' } }, new Error('bad key sk-secret-000111'), 'sk-secret-000111', 3);
    logger.error('x');
    expect(target.lines).toHaveLength(2);
    expect(target.lines.join('\n')).not.toContain('sk-secret-000111');
    expect(target.lines[0]).toContain('[redacted $K]');
  });
});
