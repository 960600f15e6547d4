/**
 * Small helpers shared by this package's tests (not exported from the package index).
 */
import type { LlmLogger } from '../client/options.js';

/** A fake-looking but long API key, so redaction applies (keys of 8+ characters are redacted). */
export const TEST_API_KEY = 'sk-test-9f8e7d6c5b4a39281706abcdef';

/** Environment handed to the reasoner in tests instead of process.env. */
export const TEST_ENV: Readonly<Record<string, string>> = { TEST_LLM_API_KEY: TEST_API_KEY };

/** A logger that keeps every line (message and extra arguments serialised) for inspection. */
export function captureLogger(): LlmLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string, ...rest: unknown[]): void => {
      lines.push(`${level} ${message} ${rest.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' ')}`);
    };
  return { lines, error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') };
}

/** A valid decision body as a model would write it. */
export function decisionJson(action: string, confidence: number, cited: readonly string[] = [], rationale = 'test rationale'): Record<string, unknown> {
  return { action, confidence, rationale, citedMemoryIds: [...cited] };
}
