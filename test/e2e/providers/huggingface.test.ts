/**
 * Hugging Face through the official `openai` SDK: Switchyard → fake Hugging Face
 * (test/support/fake-huggingface). Chat goes to the OpenAI-compatible router unchanged (the
 * `:provider` suffix kept, unknown fields passed through both ways); embeddings go to the
 * `hf-inference` feature-extraction task and come back as OpenAI embeddings (token-level output
 * pooled); a model that is still loading is retried after its `estimated_time`.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHuggingFaceAdapter } from '../../../src/providers/huggingface.js';
import { startFakeHuggingFace, type FakeHuggingFace, type HFRecordedRequest } from '../../support/fake-huggingface/server.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';

const TOKEN = 'hf_e2eToken0123456789abcdefghij';
const CHAT_MODEL = 'meta-llama/Llama-3.1-8B-Instruct:novita';

let fake: FakeHuggingFace;
let gw: RunningGateway;
let client: OpenAI;
const sleeps: number[] = [];

beforeAll(async () => {
  fake = await startFakeHuggingFace({ token: TOKEN });
  gw = await startGateway(
    {
      providers: {
        hf: { type: 'huggingface', base_url: fake.routerUrl, api_key: TOKEN, headers: { 'X-HF-Bill-To': 'my-org' } },
        // Router unreachable on purpose: only the configured task base may be used for embeddings.
        tasks: { type: 'huggingface', base_url: 'http://127.0.0.1:9/v1', task_base_url: `${fake.origin}/hf-inference`, api_key: TOKEN },
      },
      models: {
        chat: { targets: [{ provider: 'hf', model: CHAT_MODEL }] },
        minilm: { targets: [{ provider: 'hf', model: 'sentence-transformers/all-MiniLM-L6-v2' }] },
        bert: { targets: [{ provider: 'hf', model: 'google-bert/bert-base-uncased:hf-inference' }] },
        'task-only': { targets: [{ provider: 'tasks', model: 'BAAI/bge-small-en-v1.5' }] },
      },
      routing: { retries: 1 },
    },
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    },
  );
  client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  sleeps.length = 0;
});

function lastRequest(): HFRecordedRequest & { body: Record<string, unknown> } {
  const last = fake.requests.at(-1);
  if (!last) throw new Error('Hugging Face received no request');
  return last as HFRecordedRequest & { body: Record<string, unknown> };
}

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('huggingface chat through the router', () => {
  it('sends the OpenAI body to /v1/chat/completions with the provider suffix, the token and the bill-to header', async () => {
    fake.reply({ kind: 'chat', reply: { text: 'Salut — ça va? 👋', usage: { promptTokens: 12, completionTokens: 6, cachedTokens: 4 } } });
    const completion = await client.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 30, top_p: 0.9,
      // A field Switchyard does not model passes through to an OpenAI-dialect upstream.
      top_k: 40,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const sent = lastRequest();
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['x-hf-bill-to']).toBe('my-org');
    expect(sent.body).toMatchObject({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 30, top_p: 0.9, top_k: 40 });
    expect(completion).toMatchObject({
      object: 'chat.completion', model: CHAT_MODEL,
      choices: [{ finish_reason: 'stop', message: { content: 'Salut — ça va? 👋' } }],
      usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18, prompt_tokens_details: { cached_tokens: 4 } },
    });
    expect(completion.system_fingerprint).toEqual(expect.any(String));
  });

  it('streams tool calls the SDK reassembles', async () => {
    fake.reply({ kind: 'chat', reply: { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Zürich"}' }] } });
    const runner = client.chat.completions.stream({
      model: 'chat', messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({ city: 'Zürich' });
    expect(lastRequest().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('answers legacy completions through the router chat endpoint', async () => {
    fake.reply({ kind: 'chat', reply: { text: 'A poem.' } });
    const completion = await client.completions.create({ model: 'chat', prompt: 'Write a poem', max_tokens: 16 });
    expect(lastRequest().url).toBe('/v1/chat/completions');
    expect(lastRequest().body).toMatchObject({ messages: [{ role: 'user', content: 'Write a poem' }] });
    expect(completion.choices[0]).toMatchObject({ text: 'A poem.', finish_reason: 'stop' });
  });

  it('turns a stream cut mid-way into an in-band error', async () => {
    fake.reply({ kind: 'chat', reply: { text: 'one two three four' }, stream: { cutAfter: 3 } });
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: ChatCompletionChunk[] = [];
    await rejection((async () => {
      for await (const chunk of stream) seen.push(chunk);
    })());
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it.each<[string, number, unknown, number, string]>([
    ['a bad token (hub string error)', 401, { error: `Invalid credentials in Authorization header ${TOKEN}` }, 502, 'upstream_auth_failed'],
    ['a provider error (OpenAI object)', 400, { error: { message: 'max_tokens too large', type: 'invalid_request_error', param: 'max_tokens', code: null } }, 400, 'invalid_request'],
    ['exhausted credits', 402, { error: 'You have exceeded your monthly included credits for Inference Providers.' }, 429, 'insufficient_quota'],
    ['an unknown model', 404, { error: 'Model not/found does not exist' }, 404, 'model_not_found'],
  ])('maps %s (HTTP %i) to %i %s', async (_name, status, body, expected, code) => {
    fake.reply({ kind: 'error', status, body });
    const error = await rejection(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(error.status).toBe(expected);
    expect(error.code).toBe(code);
    expect(JSON.stringify(error.error)).not.toContain(TOKEN);
  });
});

describe('huggingface embeddings through the feature-extraction task', () => {
  it('posts the inputs to the pipeline route and returns OpenAI embeddings, float and base64', async () => {
    fake.reply({ kind: 'features', output: [[0.5, -0.25, 0.125], [1, 0, -1]] });
    const floats = await client.embeddings.create({ model: 'minilm', input: ['alpha', 'beta'], encoding_format: 'float' });
    const sent = lastRequest();
    expect(sent.url).toBe('/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction');
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['x-hf-bill-to']).toBe('my-org');
    expect(sent.body).toEqual({ inputs: ['alpha', 'beta'] });
    expect(floats).toMatchObject({ object: 'list', model: 'sentence-transformers/all-MiniLM-L6-v2' });
    expect(floats.data.map((d) => d.embedding)).toEqual([[0.5, -0.25, 0.125], [1, 0, -1]]);

    fake.reply({ kind: 'features', output: [[0.5, -0.25, 0.125]] });
    const base64 = await client.embeddings.create({ model: 'minilm', input: 'alpha' });
    expect(base64.data[0]?.embedding).toEqual([0.5, -0.25, 0.125]);
  });

  it('mean-pools token-level output and strips the :hf-inference suffix from the route', async () => {
    const response = await client.embeddings.create({ model: 'bert', input: ['two words'], encoding_format: 'float' });
    expect(lastRequest().url).toBe('/hf-inference/models/google-bert/bert-base-uncased/pipeline/feature-extraction');
    // The fake's token vectors are [0.5625, 0.5, -0.25, 0.125] and [0.5625, 0.375, -0.25, 0.125].
    expect(response.data[0]?.embedding).toEqual([0.5625, 0.4375, -0.25, 0.125]);
  });

  it('passes task parameters, and reports `dimensions` as dropped', async () => {
    const { response } = await client.embeddings.create({
      model: 'minilm', input: ['x'], dimensions: 64, normalize: true,
    } as OpenAI.EmbeddingCreateParams).withResponse();
    expect(lastRequest().body).toEqual({ inputs: ['x'], normalize: true });
    expect(response.headers.get('x-switchyard-warnings')).toMatch(/^dimensions dropped for hf: /);
  });

  it('waits out a loading model for its estimated_time, then retries', async () => {
    fake.reply({ kind: 'loading', estimatedTime: 2.5 });
    const response = await client.embeddings.create({ model: 'minilm', input: ['x'], encoding_format: 'float' });
    expect(response.data).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([2500]);
  });

  it('answers 503 with Retry-After when the model keeps loading', async () => {
    fake.reply({ kind: 'loading', estimatedTime: 4 });
    fake.reply({ kind: 'loading', estimatedTime: 4 });
    const error = await rejection(client.embeddings.create({ model: 'minilm', input: ['x'] }));
    expect(error.status).toBe(503);
    expect(error.headers?.get('retry-after')).toBe('4');
    expect(error.message).toContain('is currently loading');
  });

  it('uses task_base_url when it is configured', async () => {
    const response = await client.embeddings.create({ model: 'task-only', input: ['hello'], encoding_format: 'float' });
    expect(lastRequest().url).toBe('/hf-inference/models/BAAI/bge-small-en-v1.5/pipeline/feature-extraction');
    expect(response.data).toHaveLength(1);
  });
});

describe('huggingface models', () => {
  it('lists the router models with the adapter call `switchyard check` uses', async () => {
    const adapter = createHuggingFaceAdapter({ baseUrl: fake.routerUrl, apiKey: TOKEN, options: {} });
    const list = adapter.buildListModelsRequest();
    const response = await request(`${list.origin}${list.path}`, { method: list.method, headers: list.headers });
    expect(lastRequest().url).toBe('/v1/models');
    expect(adapter.decodeModelList(await response.body.json())).toEqual(['meta-llama/Llama-3.1-8B-Instruct']);
  });
});
