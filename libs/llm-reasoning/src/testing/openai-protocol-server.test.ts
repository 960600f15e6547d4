// The test server itself, over plain fetch: response shapes, the script rules, recording, errors.
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenAiProtocolServer, OpenAiProtocolServerOptions } from './openai-protocol-server.js';
import { errorReply, hashedEmbedding, jsonReply, startOpenAiProtocolServer, textReply } from './openai-protocol-server.js';

let server: OpenAiProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: OpenAiProtocolServerOptions): Promise<OpenAiProtocolServer> {
  server = await startOpenAiProtocolServer(options);
  return server;
}

const post = async (base: string, path: string, body: unknown) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
};

describe('startOpenAiProtocolServer', () => {
  it('answers chat completions in the OpenAI shape with usage, and records the request', async () => {
    const { baseURL, requests } = await start({ replies: [jsonReply({ a: 1 })] });
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const body = { model: 'x', messages: [{ role: 'user', content: '12345678' }] };
    const { status, json } = await post(baseURL, '/chat/completions', body);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      object: 'chat.completion',
      model: 'x',
      choices: [{ index: 0, message: { role: 'assistant', content: '{"a":1}' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 }, // ⌈8/4⌉ and ⌈7/4⌉
    });
    expect(requests).toEqual([{ method: 'POST', path: '/v1/chat/completions', headers: expect.objectContaining({ authorization: 'Bearer k' }), body, index: 0 }]);
  });

  it('answers embeddings as floats, or base64 float32 when asked, without consuming chat replies', async () => {
    const { baseURL, remainingReplies } = await start({ replies: [textReply('keep me')] });
    const floats = await post(baseURL, '/embeddings', { model: 'e', input: ['a b'], encoding_format: 'float' });
    expect((floats.json['data'] as Array<{ embedding: number[] }>)[0]?.embedding).toEqual(hashedEmbedding('a b'));
    const base64 = await post(baseURL, '/embeddings', { model: 'e', input: 'a b', encoding_format: 'base64' });
    const encoded = (base64.json['data'] as Array<{ embedding: string }>)[0]?.embedding ?? '';
    const decoded = Array.from(new Float32Array(new Uint8Array(Buffer.from(encoded, 'base64')).buffer));
    expect(decoded).toEqual(Array.from(Float32Array.from(hashedEmbedding('a b'))));
    expect(remainingReplies()).toBe(1);
  });

  it('sends scripted errors with retry headers, 400 when the script ran out, 404 for unknown routes', async () => {
    const { baseURL } = await start({ replies: [errorReply(429, { retryAfterSeconds: 2, retryAfterMs: 5 })] });
    const limited = await post(baseURL, '/chat/completions', {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('5');
    expect(limited.json).toMatchObject({ error: { type: 'rate_limit_exceeded' } });
    const empty = await post(baseURL, '/chat/completions', {});
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.json)).toContain('no scripted reply left for request #1');
    expect((await post(baseURL, '/completions', {})).status).toBe(404);
  });

  it('lets a respond function answer each request', async () => {
    const { baseURL } = await start({ respond: (request) => textReply(`#${request.index}`) });
    expect((await post(baseURL, '/chat/completions', {})).json).toMatchObject({ choices: [{ message: { content: '#0' } }] });
    expect((await post(baseURL, '/chat/completions', {})).json).toMatchObject({ choices: [{ message: { content: '#1' } }] });
  });

  it('hashes words into a unit vector, so texts sharing words are similar', () => {
    const a = hashedEmbedding('bitcoin etf approved');
    const b = hashedEmbedding('Bitcoin ETF rejected');
    expect(Math.hypot(...a)).toBeCloseTo(1, 12);
    expect(a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0)).toBeGreaterThan(0.3);
    expect(hashedEmbedding('!!!')).toEqual(new Array(16).fill(0));
  });
});
