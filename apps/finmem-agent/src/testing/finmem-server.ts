/**
 * Test support: the llm-reasoning test server answering like a model would — a decision JSON for decision
 * requests (citing the first offered memory id, action from a hash of the prompt) and a short text for reflections.
 */
import { jsonReply, startOpenAiProtocolServer, textReply } from '../../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';
import type { OpenAiProtocolServer, RecordedRequest } from '../../../../libs/llm-reasoning/src/testing/openai-protocol-server.js';

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function messagesOf(request: RecordedRequest): { role: string; content: string }[] {
  const body = request.body as { messages?: { role: string; content: string }[] } | undefined;
  return body?.messages ?? [];
}

/**
 * Starts the server; see the module comment for how it answers.
 * @param delayMs - wait this long before each chat answer (to catch a run mid-way).
 */
export function startFinMemServer(delayMs = 0): Promise<OpenAiProtocolServer> {
  return startOpenAiProtocolServer({
    respond: (request) => {
      if (request.path === '/v1/embeddings') return { kind: 'embedding' };
      const messages = messagesOf(request);
      const system = messages[0]?.content ?? '';
      const user = messages.filter((message) => message.role === 'user').map((message) => message.content).join('\n');
      if (!system.includes('Answer with one JSON object')) return textReply(`Lesson ${hash(user).toString(16)}: weigh news against the trend.`, { delayMs });
      const ids = [...user.matchAll(/\{"id":"([^"]+)"/g)].map((match) => match[1] as string);
      const h = hash(user);
      return jsonReply({ action: (['BUY', 'SELL', 'HOLD'] as const)[h % 3], confidence: (h % 100) / 100, rationale: `scripted ${h.toString(16)}`, citedMemoryIds: ids.slice(0, 1) }, { delayMs });
    },
  });
}
