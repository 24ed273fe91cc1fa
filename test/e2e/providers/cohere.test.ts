/**
 * Cohere through the official `openai` SDK: Switchyard → fake Cohere v2 (test/support/fake-cohere).
 * Checks what reached Cohere (URL, Bearer key, the native body: messages, tools, renamed
 * parameters) and what the SDK got back (text, reassembled streams, tool calls, usage with
 * cached tokens, finish reasons, errors with OpenAI statuses, embeddings in both encodings).
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCohereAdapter } from '../../../src/providers/cohere.js';
import { startFakeCohere } from '../../support/fake-cohere/server.js';
import type { CohereRecordedRequest, FakeCohere } from '../../support/fake-cohere/types.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';

const KEY = 'co-e2e-upstream-key-0123456789';
const CHAT_MODEL = 'command-a-03-2025';

let fake: FakeCohere;
let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeCohere({ apiKey: KEY });
  gw = await startGateway(
    {
      providers: { co: { type: 'cohere', base_url: fake.url, api_key: KEY } },
      models: {
        chat: { targets: [{ provider: 'co', model: CHAT_MODEL }] },
        embed: { targets: [{ provider: 'co', model: 'embed-v4.0' }] },
      },
      routing: { retries: 0 },
    },
    { sleep: () => Promise.resolve(), random: () => 0.5 },
  );
  client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

function lastRequest(): CohereRecordedRequest & { body: Record<string, unknown> } {
  const last = fake.requests.at(-1);
  if (!last) throw new Error('Cohere received no request');
  return last as CohereRecordedRequest & { body: Record<string, unknown> };
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

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('cohere chat', () => {
  it('maps the request to /v2/chat and the reply to a chat.completion', async () => {
    fake.reply({ kind: 'chat', text: 'Bonjour — ça va? 👋', usage: { input: 120, output: 9, cached: 64 } });
    const { data: completion, response } = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Say hi in French' }],
      max_completion_tokens: 50, top_p: 0.8, temperature: 0.3, stop: ['\n\n'], seed: 11,
    }).withResponse();

    const sent = lastRequest();
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v2/chat');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body).toEqual({
      model: CHAT_MODEL,
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hi in French' }],
      max_tokens: 50, temperature: 0.3, p: 0.8, seed: 11, stop_sequences: ['\n\n'],
    });
    expect(response.headers.get('x-switchyard-warnings')).toBeNull();

    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: CHAT_MODEL,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Bonjour — ça va? 👋', refusal: null } }],
      usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129, prompt_tokens_details: { cached_tokens: 64 } },
    });
    expect(completion.id).toMatch(/^3f2e1d0c-/);
    expect(JSON.stringify(completion)).not.toMatch(/billed_units|COMPLETE/);
  });

  it('streams text that the SDK reassembles, with the usage chunk only when asked', async () => {
    fake.reply({ kind: 'chat', text: 'Grüße aus Köln — 東京 🚀 done.', usage: { input: 30, output: 8 } });
    const chunks = await collect(await client.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true },
    }));
    expect(lastRequest().body).toMatchObject({ stream: true });
    expect(lastRequest().body).not.toHaveProperty('stream_options');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Grüße aus Köln — 東京 🚀 done.');
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(['stop']);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 } });
    expect(new Set(chunks.map((c) => c.model))).toEqual(new Set([CHAT_MODEL]));

    fake.reply({ kind: 'chat', text: 'No usage here.' });
    const plain = await collect(await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(plain.every((c) => c.choices.length === 1 && (c.usage ?? null) === null)).toBe(true);
  });

  it('maps MAX_TOKENS to length and thinking to reasoning_content', async () => {
    fake.reply({ kind: 'chat', text: 'Once upon', thinking: 'A short tale.', finishReason: 'MAX_TOKENS' });
    const completion = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Story' }], max_tokens: 2, reasoning_effort: 'low' });
    expect(lastRequest().body).toMatchObject({ max_tokens: 2, thinking: { type: 'enabled' } });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect((completion.choices[0]?.message as unknown as Record<string, unknown>).reasoning_content).toBe('A short tale.');
  });

  it('sends json_schema as json_object with the schema', async () => {
    fake.reply({ kind: 'chat', text: '{"city":"Paris"}' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const completion = await client.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: 'JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
    });
    expect(lastRequest().body.response_format).toEqual({ type: 'json_object', json_schema: schema });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris' });
  });

  it('reports dropped OpenAI-only fields in x-switchyard-warnings, and refuses them in strict mode', async () => {
    fake.reply({ kind: 'chat', text: 'ok' });
    const { response } = await client.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: 'x' }], n: 2, user: 'end-user-1', logit_bias: { 50256: -100 },
    }).withResponse();
    expect(response.headers.get('x-switchyard-warnings')).toMatch(/^n dropped for co: .*; user dropped .*; logit_bias dropped/);
    expect(lastRequest().body).not.toHaveProperty('logit_bias');

    const before = fake.requests.length;
    const error = await rejection(client.chat.completions.create(
      { model: 'chat', messages: [{ role: 'user', content: 'x' }], user: 'end-user-1' },
      { headers: { 'x-switchyard-strict': 'true' } },
    ));
    expect(error.status).toBe(400);
    expect(error.param).toBe('user');
    expect(fake.requests.length).toBe(before);
  });
});

describe('cohere tools', () => {
  it('returns tool calls with valid JSON arguments; named tool_choice becomes REQUIRED with one tool', async () => {
    fake.reply({ kind: 'chat', toolPlan: 'I will look it up.', toolCalls: [{ id: 'get_weather_x1y2z3', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const completion = await client.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER, { type: 'function', function: { name: 'other', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const sent = lastRequest().body;
    expect(sent.tool_choice).toBe('REQUIRED');
    expect(sent.tools).toEqual([WEATHER]);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: 'get_weather_x1y2z3', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  it('streams two tool calls the SDK reassembles, then sends the results back in Cohere shape', async () => {
    fake.reply({
      kind: 'chat',
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Zürich — 東京"}' }, { name: 'get_time', arguments: 'null' }],
    });
    const runner = client.chat.completions.stream({ model: 'chat', messages: [{ role: 'user', content: 'Weather and time?' }], tools: [WEATHER] });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    const fns = calls.map((c) => (c.type === 'function' ? c.function : undefined));
    expect(fns.map((f) => f?.name)).toEqual(['get_weather', 'get_time']);
    expect(fns.map((f) => JSON.parse(f?.arguments ?? '') as unknown)).toEqual([{ city: 'Zürich — 東京' }, {}]);

    fake.reply({ kind: 'chat', text: 'Sunny, 14:05.' });
    const answer = await client.chat.completions.create({
      model: 'chat',
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'Weather and time?' },
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: calls[0]?.id ?? '', content: '{"sky":"sunny"}' },
        { role: 'tool', tool_call_id: calls[1]?.id ?? '', content: '14:05' },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe('Sunny, 14:05.');
    const messages = lastRequest().body.messages as Array<Record<string, unknown>>;
    expect(messages[1]).toEqual({
      role: 'assistant',
      tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: c.type === 'function' ? c.function : {} })),
    });
    expect(messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: calls[0]?.id, content: '{"sky":"sunny"}' },
      { role: 'tool', tool_call_id: calls[1]?.id, content: '14:05' },
    ]);
  });
});

describe('cohere errors and stream failures', () => {
  it.each<[number, string, number, string]>([
    [401, 'invalid api token', 502, 'upstream_auth_failed'],
    [400, 'too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4958.', 400, 'context_length_exceeded'],
    [400, 'invalid request: p must be between 0.01 and 0.99', 400, 'invalid_request'],
    [503, 'service unavailable', 503, 'upstream_unavailable'],
    [500, 'internal server error', 502, 'upstream_error'],
  ])('HTTP %i "%s" from Cohere → %i %s for the SDK', async (status, message, expected, code) => {
    fake.reply({ kind: 'error', status, message });
    const error = await rejection(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(error.status).toBe(expected);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message.slice(0, 20));
  });

  it('passes a 429 with its Retry-After', async () => {
    fake.reply({ kind: 'error', status: 429, message: 'trial key limit', headers: { 'retry-after': '4' } });
    const error = await rejection(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('4');
  });

  it('never shows the provider key an error echoes', async () => {
    fake.reply({ kind: 'error', status: 401, message: `invalid api token ${KEY}` });
    const error = await rejection(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }));
    expect(JSON.stringify(error.error)).not.toContain(KEY);
  });

  it('turns a stream cut before message-end into an in-band error, never a clean finish', async () => {
    fake.reply({ kind: 'chat', text: 'one two three four five', cutAfter: 5 });
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    const error = await rejection((async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })());
    expect(seen.join('')).toBe('one two three');
    // The socket is destroyed mid-body: the transport reports it (a clean EOF would be 'ended before …').
    expect(error.message).toMatch(/connection failed|ended before the response was complete/);
  });

  it('turns a stream that ends cleanly without message-end into an in-band error', async () => {
    fake.reply({ kind: 'chat', text: 'one two three', endAfter: 4 });
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true });
    const error = await rejection((async () => {
      for await (const _chunk of stream) void _chunk;
    })());
    expect(error.message).toBe('Upstream stream ended before the response was complete.');
  });

  it('turns an error reported in message-end into an in-band error', async () => {
    fake.reply({ kind: 'chat', text: 'partial', endError: 'model overloaded during generation' });
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true });
    const error = await rejection((async () => {
      for await (const _chunk of stream) void _chunk;
    })());
    expect(error.message).toBe('model overloaded during generation');
  });

  it('closes the upstream socket when the SDK aborts a stream', async () => {
    fake.reply({ kind: 'chat', text: 'a b c d e f g', hangAfter: 4 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true },
      { signal: controller.signal },
    );
    const aborted = fake.waitForClientAbort();
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '') !== '') break;
    }
    controller.abort();
    await aborted;
  });
});

describe('cohere embeddings, completions and models', () => {
  it('embeds as search_document by default, input_type from the body otherwise; base64 for the SDK default', async () => {
    fake.reply({ kind: 'embeddings', vectors: [[0.5, -0.25], [1, 0.125]], billedInputTokens: 4 });
    const floats = await client.embeddings.create({ model: 'embed', input: ['alpha', 'beta'], encoding_format: 'float' });
    expect(lastRequest().url).toBe('/v2/embed');
    expect(lastRequest().body).toEqual({ model: 'embed-v4.0', texts: ['alpha', 'beta'], input_type: 'search_document', embedding_types: ['float'] });
    expect(floats.data.map((d) => d.embedding)).toEqual([[0.5, -0.25], [1, 0.125]]);
    expect(floats.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(floats.model).toBe('embed-v4.0');

    fake.reply({ kind: 'embeddings', vectors: [[0.5, -0.25]] });
    const query = await client.embeddings.create({ model: 'embed', input: 'where is Paris?', input_type: 'search_query' } as OpenAI.EmbeddingCreateParams);
    expect(lastRequest().body).toMatchObject({ texts: ['where is Paris?'], input_type: 'search_query' });
    expect(query.data[0]?.embedding).toEqual([0.5, -0.25]);
  });

  it('answers legacy completions through chat', async () => {
    fake.reply({ kind: 'chat', text: 'A poem.' });
    const completion = await client.completions.create({ model: 'chat', prompt: 'Write a poem', max_tokens: 20 });
    expect(lastRequest().url).toBe('/v2/chat');
    expect(lastRequest().body).toMatchObject({ messages: [{ role: 'user', content: 'Write a poem' }], max_tokens: 20 });
    expect(completion.choices[0]).toMatchObject({ text: 'A poem.', finish_reason: 'stop' });
  });

  it('lists models with the adapter call `switchyard check` uses', async () => {
    const adapter = createCohereAdapter({ baseUrl: fake.url, apiKey: KEY });
    const list = adapter.buildListModelsRequest();
    const response = await request(`${list.origin}${list.path}`, { method: list.method, headers: list.headers });
    expect(lastRequest().url).toBe('/v1/models?page_size=1000');
    expect(adapter.decodeModelList(await response.body.json())).toContain(CHAT_MODEL);
  });
});
