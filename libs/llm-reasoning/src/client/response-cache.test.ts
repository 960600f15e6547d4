import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@trading-ml/core';
import { ResponseCache } from './response-cache.js';
import { chatCacheKey, embeddingCacheKey } from './cache-key.js';
import type { ChatKeyParts } from './cache-key.js';

const directory = mkdtempSync(join(tmpdir(), 'llm-response-cache-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const record = { text: '{"action":"HOLD"}', promptTokens: 12, completionTokens: 3, model: 'm', asOf: 7, purpose: 'p', request: '{}' };

describe('chatCacheKey', () => {
  const parts: ChatKeyParts = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0, seed: undefined, responseFormat: { type: 'json_object' }, maxCompletionTokens: undefined, asOf: 0 };
  it('changes with every part that can change the answer, and only then', () => {
    const key = chatCacheKey(parts);
    expect(chatCacheKey({ ...parts, messages: [{ role: 'user', content: 'hi' }] })).toBe(key);
    const variants: ChatKeyParts[] = [
      { ...parts, model: 'n' },
      { ...parts, messages: [{ role: 'system', content: 'hi' }] },
      { ...parts, messages: [{ role: 'user', content: 'hi ' }] },
      { ...parts, temperature: 0.1 },
      { ...parts, seed: 1 },
      { ...parts, responseFormat: undefined },
      { ...parts, maxCompletionTokens: 10 },
      { ...parts, asOf: 1 },
    ];
    const keys = new Set([key, ...variants.map(chatCacheKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('keys embeddings on model and text only', () => {
    expect(embeddingCacheKey('e', 'text')).toBe(embeddingCacheKey('e', 'text'));
    expect(embeddingCacheKey('e', 'text')).not.toBe(embeddingCacheKey('f', 'text'));
  });
});

describe('ResponseCache', () => {
  it('stores and returns chat answers and exact float64 vectors, first writer wins', () => {
    const path = join(directory, 'roundtrip.sqlite');
    const cache = ResponseCache.open(path, 'read-write');
    cache.putChat('k', record);
    cache.putChat('k', { ...record, text: 'second' });
    expect(cache.getChat('k')).toEqual({ text: record.text, promptTokens: 12, completionTokens: 3 });
    expect(cache.getChat('missing')).toBeUndefined();
    const vector = [0.1, -1 / 3, 1e-300, Math.PI];
    cache.putEmbedding('e', 'model', 'text', vector);
    expect(cache.getEmbedding('e')).toEqual(vector);
    expect(cache.size()).toEqual({ chat: 1, embeddings: 1 });
    cache.close();
    const reopened = ResponseCache.open(path, 'read-only');
    expect(reopened.getChat('k')?.text).toBe(record.text);
    reopened.putChat('k2', record); // no-op
    expect(reopened.getChat('k2')).toBeUndefined();
    reopened.close();
  });

  it("treats ':memory:' read-only as an empty cache that never stores", () => {
    const cache = ResponseCache.open(':memory:', 'read-only');
    cache.putChat('k', record);
    expect(cache.getChat('k')).toBeUndefined();
    cache.close();
  });

  it('refuses files that are not a response cache', () => {
    const text = join(directory, 'not-sqlite.sqlite');
    writeFileSync(text, 'this is not a database, just some text long enough to be checked by sqlite as a header.');
    expect(() => ResponseCache.open(text, 'read-write')).toThrow(ConfigError);
    const other = join(directory, 'other.sqlite');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => ResponseCache.open(other, 'read-only')).toThrow(/expected a response cache written by @trading-ml\/llm-reasoning/);
  });

  it('throws DataError naming the file on a corrupt row', () => {
    const path = join(directory, 'corrupt.sqlite');
    ResponseCache.open(path, 'read-write').close();
    const db = new Database(path);
    db.prepare("INSERT INTO llm_chat_cache VALUES ('bad', 'm', 0, 'p', '{}', 'x', -1, 0)").run();
    db.prepare("INSERT INTO llm_embedding_cache VALUES ('bad', 'm', 't', x'0102')").run();
    db.close();
    const cache = ResponseCache.open(path, 'read-write');
    expect(() => cache.getChat('bad')).toThrow(DataError);
    expect(() => cache.getChat('bad')).toThrow(path);
    expect(() => cache.getEmbedding('bad')).toThrow(/expected a blob of float64 values/);
    cache.close();
  });
});
