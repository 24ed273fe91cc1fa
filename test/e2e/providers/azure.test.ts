/**
 * Azure OpenAI end to end: the official `openai` SDK → Switchyard (native `azure` adapter) →
 * the fake Azure resource. Both URL shapes (dated deployment API with `api-version`, and the v1
 * API), both auth headers (`api-key`, Entra Bearer), and what the SDK gets back: OpenAI's
 * answers without Azure's content-filter annotations or annotation-only stream chunks.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load.js';
import { renderAzureError, startFakeAzure, type FakeAzure } from '../../support/fake-azure/server.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';

const KEY = 'azure-e2e-key-0123456789abcdef0123';
const ENTRA = 'eyJ0eXAiOiJKV1Qi.entra-e2e-token.0123456789';

let fake: FakeAzure;
let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeAzure({ apiKey: KEY, entraToken: ENTRA, deployments: { 'gpt4o-prod': 'gpt-4o-2024-08-06', 'embed-small': 'text-embedding-3-small' } });
  gw = await startGateway({
    providers: {
      dated: { type: 'azure', base_url: fake.endpoint, api_key: KEY, api_version: '2024-10-21' },
      v1: { type: 'azure', base_url: `${fake.endpoint}/openai/v1`, api_key: ENTRA, auth: 'bearer' },
    },
    routing: { retries: 0 },
  });
  client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const ASK = [{ role: 'user' as const, content: 'Say hi' }];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('Azure: URL shapes and auth', () => {
  it('dated API: deployment in the path, api-version in the query, key in api-key; the body is OpenAI\'s', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'dated/gpt4o-prod', messages: ASK, store: false, metadata: { team: 'blue' }, max_completion_tokens: 20 })
      .withResponse();
    const request = fake.requests[0];
    expect(request?.url).toBe('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    expect(request?.headers['api-key']).toBe(KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      store: false, metadata: { team: 'blue' }, model: 'gpt4o-prod', messages: ASK, max_completion_tokens: 20,
    });
    expect(response.headers.get('x-switchyard-warnings')).toBeNull();
    expect(data.choices[0]?.message.content).toBe('Hello from fake Azure: Say hi');
    expect(data.model).toBe('gpt-4o-2024-08-06');
    expect(data.system_fingerprint).toBe('fp_04751d0b65');
  });

  it('the response reaches the SDK without prompt_filter_results or content_filter_results', async () => {
    const raw = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'dated/gpt4o-prod', messages: ASK }),
    });
    const text = await raw.text();
    expect(raw.status).toBe(200);
    expect(text).not.toMatch(/filter_results|prompt_index/);
    expect(JSON.parse(text)).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello from fake Azure: Say hi' } }] });
  });

  it('v1 API: /openai/v1, the deployment as model, an Entra token as Bearer', async () => {
    const completion = await client.chat.completions.create({ model: 'v1/gpt4o-prod', messages: ASK });
    const request = fake.requests[0];
    expect(request?.url).toBe('/openai/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${ENTRA}`);
    expect(request?.headers['api-key']).toBeUndefined();
    expect((request?.body as Record<string, unknown>).model).toBe('gpt4o-prod');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('an unknown deployment is a 404 for the caller', async () => {
    const error = await client.chat.completions.create({ model: 'dated/no-such-deployment', messages: ASK }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as Error).message).toContain('deployment');
  });

  it('a config without base_url is refused at validation (no default host for Azure)', () => {
    expect(() => validateConfig({ providers: { az: { type: 'azure', api_key: 'k' } } }, 'test', {})).toThrow(/providers\.az\.base_url/);
  });
});

describe('Azure: streams', () => {
  it('the prompt-filter chunk and asynchronous-filter chunks never reach the SDK', async () => {
    fake.reply({ kind: 'text', text: 'Grüße aus Köln — 東京 🚀 and more words here.', asyncFilter: true });
    const chunks = await collect(await client.chat.completions.create({ model: 'dated/gpt4o-prod', messages: ASK, stream: true }));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Grüße aus Köln — 東京 🚀 and more words here.');
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set([chunks[0]?.id]));
    expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
    expect(JSON.stringify(chunks)).not.toMatch(/filter_results|filter_offsets/);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    // Usage was asked of Azure for metering, and not shown to a caller who did not ask.
    expect((fake.requests[0]?.body as Record<string, unknown>).stream_options).toEqual({ include_usage: true });
    expect(chunks.every((c) => c.usage == null)).toBe(true);
  });

  it('include_usage: one usage chunk with the cached and reasoning subsets; content_filter finish kept', async () => {
    fake.reply({ kind: 'text', text: 'The battle', finish: 'content_filter', usage: { prompt: 1200, completion: 300, cached: 1024, reasoning: 256 } });
    const chunks = await collect(await client.chat.completions.create({
      model: 'dated/gpt4o-prod', messages: ASK, stream: true, stream_options: { include_usage: true },
    }));
    expect(chunks.filter((c) => c.choices.length === 0)).toHaveLength(1);
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 256 },
    });
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter((r) => r !== null)).toEqual(['content_filter']);
  });

  it('streamed tool calls keep OpenAI\'s pattern', async () => {
    fake.reply({ kind: 'tools', calls: [{ name: 'get_weather', arguments: '{"city":"Zürich"}' }] });
    const runner = client.chat.completions.stream({
      model: 'dated/gpt4o-prod', messages: ASK,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    await collect(runner);
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({ city: 'Zürich' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('a stream Azure cuts mid-way ends in an error for the SDK', async () => {
    fake.reply({ kind: 'text', text: 'one two three four', stream: { cutAfter: 4 } });
    const stream = await client.chat.completions.create({ model: 'dated/gpt4o-prod', messages: ASK, stream: true });
    let error: unknown;
    const seen: string[] = [];
    try {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(seen.join('')).toBe('one two ');
  });
});

describe('Azure: embeddings and errors', () => {
  it('embeddings go to the deployment; the SDK\'s base64 comes back decodable', async () => {
    fake.reply({ kind: 'embeddings', vectors: [[0.125, -0.5, 0.25]], promptTokens: 3 });
    const result = await client.embeddings.create({ model: 'dated/embed-small', input: 'alpha' });
    expect(fake.requests[0]?.url).toBe('/openai/deployments/embed-small/embeddings?api-version=2024-10-21');
    expect(fake.requests[0]?.body).toEqual({ model: 'embed-small', input: 'alpha', encoding_format: 'base64' });
    expect(result.data[0]?.embedding).toEqual([0.125, -0.5, 0.25]);
    expect(result.model).toBe('text-embedding-3-small');
  });

  it('a filtered prompt is a 400 the SDK must not retry, with Azure\'s message', async () => {
    const { status, body } = renderAzureError('content_filter', "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.");
    fake.reply({ kind: 'error', status, body });
    const error = await client.chat.completions.create({ model: 'dated/gpt4o-prod', messages: ASK }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.message).toContain('content management policy');
    expect(apiError.param).toBe('prompt');
    expect(apiError.headers?.get('x-should-retry')).toBe('false');
  });

  it('429 with retry-after-ms becomes a 429 with Retry-After for the SDK', async () => {
    const { status, body } = renderAzureError('rate_limit', 'Requests to the ChatCompletions_Create Operation have exceeded token rate limit.');
    fake.reply({ kind: 'error', status, body, headers: { 'retry-after': '6', 'retry-after-ms': '5200' } });
    const error = await client.chat.completions.create({ model: 'dated/gpt4o-prod', messages: ASK }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('6');
  });

  it('a wrong key is the gateway\'s problem (502), and the key never reaches the caller', async () => {
    const bad = await startGateway({ providers: { az: { type: 'azure', base_url: fake.endpoint, api_key: 'wrong-azure-key-0123456789' } }, routing: { retries: 0 } });
    try {
      const badClient = new OpenAI({ baseURL: bad.baseURL, apiKey: bad.masterKey, maxRetries: 0 });
      const error = await badClient.chat.completions.create({ model: 'az/gpt4o-prod', messages: ASK }).catch((e: unknown) => e);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect(JSON.stringify((error as InstanceType<typeof OpenAI.APIError>).error)).not.toContain('wrong-azure-key');
    } finally {
      await bad.close();
    }
  });
});
