// Transport failures through the real openai client: 429 and 5xx retries (bounded), timeouts, unreachable
// servers, and the API key: sent as a Bearer header, never in a log line or an error.
import { afterEach, describe, expect, it } from 'vitest';
import { LlmUnavailableError } from '@trading-ml/core';
import { createLlmReasoner } from './openai-reasoner.js';
import type { LlmReasonerOptions } from './options.js';
import type { OpenAiProtocolServer, ScriptedReply } from '../testing/openai-protocol-server.js';
import { errorReply, jsonReply, startOpenAiProtocolServer } from '../testing/openai-protocol-server.js';
import { TEST_API_KEY, TEST_ENV, captureLogger, decisionJson } from '../testing/fixtures.js';

let server: OpenAiProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(replies: ScriptedReply[], options: Partial<LlmReasonerOptions> = {}) {
  server = await startOpenAiProtocolServer({ replies });
  const logger = captureLogger();
  const reasoner = createLlmReasoner({ baseURL: server.baseURL, model: 'test-model', apiKeyEnv: 'TEST_LLM_API_KEY', env: TEST_ENV, logger, ...options });
  return { server, reasoner, logger };
}

const request = { messages: [{ role: 'user' as const, content: 'Decide.' }], asOf: 0, purpose: 'test/transport', allowedCitationIds: [] };
const hold = jsonReply(decisionJson('HOLD', 0.5));

describe('retries', () => {
  it('retries a 429 with retry-after and then answers', async () => {
    const { reasoner, server } = await setup([errorReply(429, { retryAfterSeconds: 0, message: 'Rate limit reached' }), hold], { maxRetries: 2 });
    const outcome = await reasoner.decide(request);
    expect(outcome.decision.action).toBe('HOLD');
    expect(server.requests).toHaveLength(2);
    expect(reasoner.ledger().calls).toBe(1); // the 429 produced no usage
    reasoner.close();
  });

  it('gives up after maxRetries + 1 attempts of 429 with an LlmUnavailableError naming the status', async () => {
    const { reasoner, server } = await setup(Array.from({ length: 5 }, () => errorReply(429, { retryAfterMs: 0 })), { maxRetries: 2 });
    const error = await reasoner.decide(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toContain('HTTP 429 on 3 attempts (maxRetries=2)');
    expect(server.requests).toHaveLength(3);
    expect(server.remainingReplies()).toBe(2);
    reasoner.close();
  });

  it('retries a 500 and a 503, bounded by maxRetries', async () => {
    const { reasoner, server } = await setup([errorReply(500, { retryAfterMs: 0 }), errorReply(503, { retryAfterMs: 0 }), hold], { maxRetries: 2 });
    expect((await reasoner.decide(request)).decision.action).toBe('HOLD');
    expect(server.requests).toHaveLength(3);
    reasoner.close();
  });

  it('stops after maxRetries + 1 attempts of 500', async () => {
    const { reasoner, server } = await setup(Array.from({ length: 4 }, () => errorReply(500, { retryAfterMs: 0 })), { maxRetries: 1 });
    await expect(reasoner.decide(request)).rejects.toThrow(/HTTP 500 on 2 attempts \(maxRetries=1\)/);
    expect(server.requests).toHaveLength(2);
    reasoner.close();
  });

  it('does not retry a 400 and says what to change', async () => {
    const { reasoner, server } = await setup([errorReply(400, { message: "response_format 'json_object' is not supported" })], { maxRetries: 3 });
    await expect(reasoner.decide(request)).rejects.toThrow(/HTTP 400 .*set responseFormat 'json_object' or 'none'/);
    expect(server.requests).toHaveLength(1);
    reasoner.close();
  });
});

// Generous against a loaded CI machine: a prompt answer must never look like a timeout.
const TIMEOUT_MS = 1_000;
const LATE_MS = 4 * TIMEOUT_MS;

describe('timeouts', () => {
  it('retries a request that outlives timeoutMs and answers from the retry', async () => {
    const { reasoner, server } = await setup([{ ...hold, delayMs: LATE_MS }, hold], { timeoutMs: TIMEOUT_MS, maxRetries: 1 });
    expect((await reasoner.decide(request)).decision.action).toBe('HOLD');
    expect(server.requests).toHaveLength(2);
    reasoner.close();
  });

  it('throws LlmUnavailableError naming timeoutMs when every attempt times out', async () => {
    const { reasoner, server } = await setup([{ ...hold, delayMs: LATE_MS }], { timeoutMs: TIMEOUT_MS, maxRetries: 0 });
    await expect(reasoner.decide(request)).rejects.toThrow(new RegExp(`did not answer within timeoutMs=${TIMEOUT_MS} on 1 attempt \\(maxRetries=0\\)`));
    expect(server.requests).toHaveLength(1);
    reasoner.close();
  });
});

describe('connection', () => {
  it('says the server cannot be reached when nothing listens', async () => {
    const closed = await startOpenAiProtocolServer();
    const baseURL = closed.baseURL;
    await closed.close();
    const reasoner = createLlmReasoner({ baseURL, model: 'test-model', env: {}, maxRetries: 0, logger: captureLogger() });
    const error = await reasoner.decide(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toContain(`cannot connect to ${baseURL}`);
    expect((error as Error).message).toContain('--llm-base-url');
    reasoner.close();
  });
});

describe('API key', () => {
  it('is sent as a Bearer header and appears in no log line and no error', async () => {
    // The server echoes the key in its 401 message, as some servers do; the client must redact it.
    const { reasoner, server, logger } = await setup([errorReply(401, { message: `Incorrect API key provided: ${TEST_API_KEY}` })], { sdkLogLevel: 'debug', maxRetries: 0 });
    const error = await reasoner.decide(request).catch((caught: unknown) => caught);
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${TEST_API_KEY}`);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('rejected the API key read from $TEST_LLM_API_KEY');
    expect(message).toContain('[redacted $TEST_LLM_API_KEY]');
    expect(message).not.toContain(TEST_API_KEY);
    expect(String((error as Error).cause)).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
    expect(logger.lines.length).toBeGreaterThan(0); // the SDK did log the request at debug level
    expect(logger.lines.join('\n')).not.toContain(TEST_API_KEY);
    reasoner.close();
  });

  it('is read from process.env by default, under the name apiKeyEnv gives', async () => {
    const name = 'LLM_REASONING_TEST_KEY_FROM_PROCESS_ENV';
    process.env[name] = `${TEST_API_KEY}-env`;
    try {
      server = await startOpenAiProtocolServer({ replies: [hold] });
      const reasoner = createLlmReasoner({ baseURL: server.baseURL, model: 'test-model', apiKeyEnv: name, logger: captureLogger() });
      await reasoner.decide(request);
      expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${TEST_API_KEY}-env`);
      reasoner.close();
    } finally {
      delete process.env[name];
    }
  });

  it('when the variable is unset, sends a placeholder (local servers need none) and a 401 names the variable to set', async () => {
    const { reasoner, server } = await setup([hold, errorReply(401, { message: 'Missing bearer authentication' })], { env: {}, maxRetries: 0 });
    expect((await reasoner.decide(request)).decision.action).toBe('HOLD');
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer no-key-configured');
    await expect(reasoner.decide({ ...request, asOf: 1 })).rejects.toThrow('set the environment variable TEST_LLM_API_KEY');
    reasoner.close();
  });
});
