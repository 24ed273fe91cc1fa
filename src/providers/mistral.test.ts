import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../core/types.js';
import type { BuildContext } from './adapter.js';
import { createMistralAdapter, MISTRAL_DEFAULT_BASE_URL } from './mistral.js';
import { NATIVE_ADAPTERS } from './native-adapters.js';
import { isPresetName } from './presets.js';

const noDrops: BuildContext = { drop: (field) => { throw new Error(`unexpected drop of ${field}`); } };
const chat = (stream: boolean): ChatRequest => ({ model: 'p', messages: [{ role: 'user', content: 'hi' }], stream, includeUsage: stream, dialect: 'openai' });

describe('createMistralAdapter', () => {
  it('is the native adapter for type mistral (no longer an OpenAI-compatible preset), on api.mistral.ai/v1 by default', () => {
    expect(NATIVE_ADAPTERS.mistral?.defaultBaseUrl).toBe('https://api.mistral.ai/v1');
    expect(isPresetName('mistral')).toBe(false);
  });

  it('posts chat to {base}/chat/completions with the key as Bearer; streams ask for event-stream', () => {
    const adapter = createMistralAdapter({ baseUrl: MISTRAL_DEFAULT_BASE_URL, apiKey: 'mk-123456789', headers: { 'x-team': 'blue' } });
    expect(adapter.dialect).toBe('mistral');
    const plain = adapter.buildChatRequest(chat(false), 'mistral-small-latest', noDrops);
    expect(plain).toMatchObject({ method: 'POST', origin: 'https://api.mistral.ai', path: '/v1/chat/completions' });
    expect(plain.headers).toMatchObject({ authorization: 'Bearer mk-123456789', 'content-type': 'application/json', accept: 'application/json', 'x-team': 'blue' });
    const streamed = adapter.buildChatRequest(chat(true), 'mistral-small-latest', noDrops);
    expect(streamed.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(String(streamed.body))).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
  });

  it('keeps a custom base path and query; lists models with GET and no body', () => {
    const adapter = createMistralAdapter({ baseUrl: 'https://eu.example.com/mistral/v1/?tenant=7' });
    expect(adapter.buildChatRequest(chat(false), 'm', noDrops).path).toBe('/mistral/v1/chat/completions?tenant=7');
    const list = adapter.buildListModelsRequest();
    expect(list).toMatchObject({ method: 'GET', path: '/mistral/v1/models?tenant=7' });
    expect(list.body).toBeUndefined();
    expect(list.headers.authorization).toBeUndefined();
    expect(adapter.decodeModelList({ object: 'list', data: [{ id: 'mistral-small-latest' }, { nope: 1 }] })).toEqual(['mistral-small-latest']);
  });

  it('has no legacy completions (bridged through chat) and posts embeddings to {base}/embeddings', () => {
    const adapter = createMistralAdapter({ baseUrl: MISTRAL_DEFAULT_BASE_URL });
    expect(adapter.buildCompletionRequest).toBeUndefined();
    const request = adapter.buildEmbeddingRequest?.({ model: 'e', input: ['a'], single: false, encodingFormat: 'float', dialect: 'openai' }, 'mistral-embed', noDrops);
    expect(request?.path).toBe('/v1/embeddings');
  });
});
