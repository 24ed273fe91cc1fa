import { describe, expect, it } from 'vitest';
import type { ChatRequest, EmbeddingRequest } from '../core/types.js';
import type { AdapterSettings, BuildContext } from './adapter.js';
import { createAzureAdapter, resolveAzureRoutes } from './azure.js';

const noDrops: BuildContext = { drop: (field) => { throw new Error(`unexpected drop of ${field}`); } };

function settings(overrides: Partial<AdapterSettings> & { options?: Record<string, unknown> } = {}): AdapterSettings {
  return { id: 'az', type: 'azure', baseUrl: 'https://contoso.openai.azure.com', apiKey: 'azure-key-123456', options: {}, ...overrides };
}

const chat: ChatRequest = {
  model: 'public', messages: [{ role: 'user', content: 'hi' }], stream: true, includeUsage: false, dialect: 'openai',
  maxTokens: 5, maxTokensField: 'max_completion_tokens', extra: { store: false, metadata: { team: 'blue' } },
};

describe('resolveAzureRoutes: URL shapes', () => {
  it.each([
    ['resource + api_version → deployment URL', 'https://contoso.openai.azure.com', '2024-10-21',
      '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21', '/openai/models?api-version=2024-10-21'],
    ['resource ending in /openai (the AzureOpenAI baseURL) → the same', 'https://contoso.openai.azure.com/openai/', '2025-04-01-preview',
      '/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-04-01-preview', '/openai/models?api-version=2025-04-01-preview'],
    ['resource without api_version → v1 API', 'https://contoso.openai.azure.com', undefined,
      '/openai/v1/chat/completions', '/openai/v1/models'],
    ['/openai/v1 base → v1 API', 'https://contoso.openai.azure.com/openai/v1', undefined,
      '/openai/v1/chat/completions', '/openai/v1/models'],
    ['/openai/v1 base with api_version → v1 API with that version', 'https://contoso.services.ai.azure.com/openai/v1/', 'preview',
      '/openai/v1/chat/completions?api-version=preview', '/openai/v1/models?api-version=preview'],
  ])('%s', (_name, base, version, chatPath, modelsPath) => {
    const routes = resolveAzureRoutes(base, version);
    expect(routes.origin).toBe(new URL(base).origin);
    expect(routes.operation('/chat/completions', 'gpt4o-prod')).toBe(chatPath);
    expect(routes.models).toBe(modelsPath);
  });

  it('a deployment name is URL-encoded into the path', () => {
    expect(resolveAzureRoutes('https://x.openai.azure.com', '2024-10-21').operation('/embeddings', 'my dep/1'))
      .toBe('/openai/deployments/my%20dep%2F1/embeddings?api-version=2024-10-21');
  });
});

describe('createAzureAdapter', () => {
  it('sends the key as api-key, the body as OpenAI would get it (unknown fields pass, usage asked)', () => {
    const adapter = createAzureAdapter(settings({ options: { api_version: '2024-10-21' } }));
    const request = adapter.buildChatRequest(chat, 'gpt4o-prod', noDrops);
    expect(request.origin).toBe('https://contoso.openai.azure.com');
    expect(request.path).toBe('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    expect(request.headers['api-key']).toBe('azure-key-123456');
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.parse(String(request.body))).toEqual({
      store: false, metadata: { team: 'blue' }, model: 'gpt4o-prod', messages: [{ role: 'user', content: 'hi' }],
      stream: true, stream_options: { include_usage: true }, max_completion_tokens: 5,
    });
  });

  it.each([
    ['2024-06-01', false], ['2024-08-01-preview', false], ['2024-09-01-preview', true], ['2024-10-21', true], ['preview', true], [undefined, true],
  ])('api_version %s: stream_options sent = %s', (version, sent) => {
    const adapter = createAzureAdapter(settings({ options: version === undefined ? {} : { api_version: version } }));
    const body = JSON.parse(String(adapter.buildChatRequest(chat, 'gpt4o-prod', noDrops).body)) as Record<string, unknown>;
    expect('stream_options' in body).toBe(sent);
    expect(body.stream).toBe(true);
  });

  it('auth: bearer sends an Entra token as Authorization', () => {
    const adapter = createAzureAdapter(settings({ options: { auth: 'bearer' } }));
    const request = adapter.buildChatRequest({ ...chat, stream: false }, 'gpt-4o', noDrops);
    expect(request.headers.authorization).toBe('Bearer azure-key-123456');
    expect(request.headers['api-key']).toBeUndefined();
    expect(request.path).toBe('/openai/v1/chat/completions');
  });

  it('refuses an auth mode Azure does not have, naming the provider', () => {
    expect(() => createAzureAdapter(settings({ options: { auth: 'x-api-key' } }))).toThrow(/providers\.az\.auth/);
  });

  it('embeddings go to the deployment URL; legacy completions are bridged through chat', () => {
    const adapter = createAzureAdapter(settings({ options: { api_version: '2024-10-21' } }));
    const embedding: EmbeddingRequest = { model: 'e', input: ['a'], single: true, encodingFormat: 'base64', dialect: 'openai' };
    const request = adapter.buildEmbeddingRequest?.(embedding, 'embed-small', noDrops);
    expect(request?.path).toBe('/openai/deployments/embed-small/embeddings?api-version=2024-10-21');
    expect(JSON.parse(String(request?.body))).toEqual({ model: 'embed-small', input: 'a', encoding_format: 'base64' });
    expect(adapter.buildCompletionRequest).toBeUndefined();
  });

  it('lists models with the key, without a body', () => {
    const adapter = createAzureAdapter(settings());
    const request = adapter.buildListModelsRequest();
    expect(request).toMatchObject({ method: 'GET', path: '/openai/v1/models' });
    expect(request.headers['api-key']).toBe('azure-key-123456');
    expect(request.headers['content-type']).toBeUndefined();
    expect(adapter.decodeModelList({ object: 'list', data: [{ id: 'gpt-4o' }, { id: 'text-embedding-3-small' }] })).toEqual(['gpt-4o', 'text-embedding-3-small']);
  });
});
