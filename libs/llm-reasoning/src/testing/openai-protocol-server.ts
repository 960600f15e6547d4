/**
 * A small OpenAI-protocol server for tests: POST /v1/chat/completions and /v1/embeddings on 127.0.0.1 (a free
 * port), answering from a script (JSON answers, malformed text, HTTP errors with retry-after, delays longer than
 * the client's timeout) and recording every request, so tests drive the real `openai` client over real HTTP and
 * check what was sent. Test support only: not exported from the package index.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions answer. `content: null` imitates a refusal. */
export interface ChatReply {
  readonly kind: 'chat';
  readonly content: string | null;
  /** Default: ⌈characters / 4⌉ per message (prompt) and of the content (completion). */
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
  /** Omit the usage object, as some local servers do. */
  readonly omitUsage?: boolean;
  readonly finishReason?: 'stop' | 'length' | 'content_filter';
  /** Wait this long before answering (ms). */
  readonly delayMs?: number;
}

/** An embeddings answer; without `vectors`, {@link hashedEmbedding} of each input. */
export interface EmbeddingReply {
  readonly kind: 'embedding';
  readonly vectors?: readonly (readonly number[])[];
  /** Length of the hashed vectors (default 16). */
  readonly dimensions?: number;
  /** Default ⌈characters / 4⌉ summed over the inputs. */
  readonly promptTokens?: number;
  readonly delayMs?: number;
}

/** An HTTP error in the OpenAI error format. */
export interface ErrorReply {
  readonly kind: 'error';
  readonly status: number;
  readonly message?: string;
  /** Sent as the `retry-after` header (seconds). */
  readonly retryAfterSeconds?: number;
  /** Sent as the `retry-after-ms` header (the openai SDK honours it). */
  readonly retryAfterMs?: number;
  /** Which endpoint consumes it from the script (default 'chat'). */
  readonly endpoint?: 'chat' | 'embeddings';
  readonly delayMs?: number;
}

export type ScriptedReply = ChatReply | EmbeddingReply | ErrorReply;

/** A request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** e.g. '/v1/chat/completions'. */
  readonly path: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body (undefined when it was not JSON). */
  readonly body: unknown;
  /** 0-based arrival order. */
  readonly index: number;
}

/** Either a script consumed in order, or a function answering each request (it wins when both are given). */
export interface OpenAiProtocolServerOptions {
  /**
   * Consumed in order. A chat request takes the next reply whatever its kind (an embedding reply there is a test
   * bug, answered 400). An embeddings request takes the next reply only if it is an embedding reply or an error
   * reply with `endpoint: 'embeddings'`; otherwise it gets hashed vectors and the script is left as it is. A chat
   * request after the script ran out gets HTTP 400 'no scripted reply left' (not retried by the SDK).
   */
  readonly replies?: readonly ScriptedReply[];
  /** Answers each request; returning undefined gives the default (hashed vectors for embeddings, 400 for chat). */
  readonly respond?: (request: RecordedRequest) => ScriptedReply | undefined | Promise<ScriptedReply | undefined>;
}

export interface OpenAiProtocolServer {
  /** e.g. 'http://127.0.0.1:54321/v1'. */
  readonly baseURL: string;
  /** Every request so far, in arrival order (also those the client gave up on). */
  readonly requests: readonly RecordedRequest[];
  /** Replies of the script not consumed yet. */
  remainingReplies(): number;
  close(): Promise<void>;
}

/** Shorthand: a chat reply whose content is the JSON of `value`. */
export function jsonReply(value: unknown, extra: Omit<ChatReply, 'kind' | 'content'> = {}): ChatReply {
  return { kind: 'chat', content: JSON.stringify(value), ...extra };
}

/** Shorthand: a chat reply with this exact text. */
export function textReply(content: string | null, extra: Omit<ChatReply, 'kind' | 'content'> = {}): ChatReply {
  return { kind: 'chat', content, ...extra };
}

/** Shorthand: an HTTP error reply. */
export function errorReply(status: number, extra: Omit<ErrorReply, 'kind' | 'status'> = {}): ErrorReply {
  return { kind: 'error', status, ...extra };
}

/**
 * A deterministic bag-of-words embedding: each lower-cased word adds 1 to bucket FNV-1a(word) mod `dimensions`;
 * the vector is L2-normalised. Texts sharing words get a positive cosine similarity, which makes retrieval tests
 * meaningful without a model.
 *
 * @param text - the text.
 * @param dimensions - vector length.
 * @returns a unit vector (all zeros for a text without words).
 */
export function hashedEmbedding(text: string, dimensions = 16): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193) >>> 0;
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/**
 * Starts the server on 127.0.0.1 with a free port.
 *
 * @param options - a script of replies, or a respond function.
 * @returns the running server; `await server.close()` in afterAll/afterEach.
 * @example
 * const server = await startOpenAiProtocolServer({ replies: [jsonReply({ action: 'HOLD', confidence: 0.5, rationale: 'flat', citedMemoryIds: [] })] });
 * // createLlmReasoner({ baseURL: server.baseURL, model: 'test-model' }) …
 * await server.close();
 */
export async function startOpenAiProtocolServer(options: OpenAiProtocolServerOptions = {}): Promise<OpenAiProtocolServer> {
  const script = [...(options.replies ?? [])];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const nextReply = async (request: RecordedRequest): Promise<ScriptedReply> => {
    if (options.respond) {
      const answer = await options.respond(request);
      if (answer !== undefined) return answer;
      if (request.path === '/v1/embeddings') return { kind: 'embedding' };
      return { kind: 'error', status: 400, message: `openai-protocol-server: respond() gave no reply for request #${request.index}` };
    }
    const head = script[0];
    if (request.path === '/v1/embeddings') {
      if (head && (head.kind === 'embedding' || (head.kind === 'error' && head.endpoint === 'embeddings'))) return script.shift() as ScriptedReply;
      return { kind: 'embedding' };
    }
    if (head === undefined) return { kind: 'error', status: 400, message: `openai-protocol-server: no scripted reply left for request #${request.index}` };
    return script.shift() as ScriptedReply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const request: RecordedRequest = { method: req.method ?? 'GET', path, headers, body, index: requests.length };
    requests.push(request);
    if (request.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/embeddings')) {
      send(res, 404, errorBody(`openai-protocol-server: no route ${request.method} ${path}`, 'not_found'));
      return;
    }
    const reply = await nextReply(request);
    const answer = (): void => {
      if (res.destroyed || res.writableEnded) return;
      if (reply.kind === 'error') {
        const extra: Record<string, string> = {};
        if (reply.retryAfterSeconds !== undefined) extra['retry-after'] = String(reply.retryAfterSeconds);
        if (reply.retryAfterMs !== undefined) extra['retry-after-ms'] = String(reply.retryAfterMs);
        if (reply.status === 400) extra['x-should-retry'] = 'false';
        send(res, reply.status, errorBody(reply.message ?? `scripted HTTP ${reply.status}`, reply.status === 429 ? 'rate_limit_exceeded' : 'server_error'), extra);
      } else if (path === '/v1/chat/completions') {
        if (reply.kind !== 'chat') send(res, 400, errorBody(`openai-protocol-server: scripted reply of kind ${reply.kind} for a chat request`, 'test_script'), { 'x-should-retry': 'false' });
        else send(res, 200, chatBody(reply, body, request.index));
      } else if (reply.kind !== 'embedding') {
        send(res, 400, errorBody(`openai-protocol-server: scripted reply of kind ${reply.kind} for an embeddings request`, 'test_script'), { 'x-should-retry': 'false' });
      } else {
        send(res, 200, embeddingBody(reply, body));
      }
    };
    if (reply.delayMs !== undefined && reply.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, reply.delayMs);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    } else {
      answer();
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(`openai-protocol-server: ${error instanceof Error ? error.message : String(error)}`, 'server_error'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    remainingReplies: () => script.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, type: string): unknown {
  return { error: { message, type, param: null, code: type } };
}

function quarterLength(text: string): number {
  return Math.ceil(text.length / 4);
}

function chatBody(reply: ChatReply, body: unknown, index: number): unknown {
  const request = (body ?? {}) as { model?: unknown; messages?: Array<{ content?: unknown }> };
  const promptTokens = reply.usage?.promptTokens ?? (request.messages ?? []).reduce((sum, message) => sum + quarterLength(String(message.content ?? '')), 0);
  const completionTokens = reply.usage?.completionTokens ?? quarterLength(reply.content ?? '');
  return {
    id: `chatcmpl-test-${index}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: typeof request.model === 'string' ? request.model : 'unknown',
    choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: reply.content === null ? 'refused by script' : null }, logprobs: null, finish_reason: reply.finishReason ?? 'stop' }],
    ...(reply.omitUsage ? {} : { usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }),
  };
}

function embeddingBody(reply: EmbeddingReply, body: unknown): unknown {
  const request = (body ?? {}) as { model?: unknown; input?: unknown; encoding_format?: unknown };
  const inputs = Array.isArray(request.input) ? request.input.map(String) : [String(request.input ?? '')];
  const vectors = reply.vectors ?? inputs.map((text) => hashedEmbedding(text, reply.dimensions ?? 16));
  const promptTokens = reply.promptTokens ?? inputs.reduce((sum, text) => sum + quarterLength(text), 0);
  // Like OpenAI: base64 (little-endian float32) when asked for it, which the openai SDK does unless told 'float'.
  const encode = (vector: readonly number[]): number[] | string =>
    request.encoding_format === 'base64' ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : [...vector];
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encode(vector) })),
    model: typeof request.model === 'string' ? request.model : 'unknown',
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
