/**
 * The native Anthropic adapter end to end: the official `openai` SDK → Switchyard → a fake
 * Messages API (test/support/fake-anthropic) that validates requests like the real one. Each
 * test checks both sides: the native request that reached the fake (URL, headers, body — the
 * mapping) and what the SDK got back (text, streams, tools, usage, finish reasons, errors).
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic, type RecordedAnthropicRequest } from '../../support/fake-anthropic/server.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';

const KEY = 'sk-ant-api03-e2e-upstream-key-0123456789';
const MODEL = 'claude/claude-sonnet-4-5-20250929';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
const REFRESH: ChatCompletionTool = { type: 'function', function: { name: 'refresh_list' } };

let fake: FakeAnthropic;
let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  gw = await startGateway({
    providers: {
      claude: { type: 'anthropic', base_url: fake.url, api_key: KEY },
      // The other auth style, a newer version header, a default limit and a base URL with /v1.
      'claude-oauth': { type: 'anthropic', base_url: `${fake.url}/v1`, api_key: KEY, auth: 'bearer', anthropic_version: '2026-01-01', default_max_tokens: 777 },
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

function last(): RecordedAnthropicRequest {
  const request = fake.requests.at(-1);
  if (!request) throw new Error('the fake received no request');
  return request;
}

function lastBody(): Record<string, unknown> {
  return last().body as Record<string, unknown>;
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** A non-OpenAI field (`reasoning_content`, `thinking_blocks`) of a message or delta. */
function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected an API error');
}

describe('anthropic: request mapping and plain text', () => {
  it('sends POST /v1/messages with x-api-key and anthropic-version, system hoisted, max_tokens defaulted', async () => {
    fake.script({ reply: { kind: 'text', text: 'Bonjour ! Ça va ? 🚀', usage: { input: 20, output: 9, cacheRead: 1000, cacheWrite: 50 } } });
    const { data: completion, response } = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Say hi' },
      ],
      temperature: 1.5,
      top_p: 0.8,
      stop: ['STOP'],
      user: 'user-42',
    }).withResponse();

    const request = last();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(KEY);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Answer in French.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hi' }] }],
      temperature: 1,
      top_p: 0.8,
      stop_sequences: ['STOP'],
      metadata: { user_id: 'user-42' },
    });

    expect(response.status).toBe(200);
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^msg_fake/);
    expect(completion.model).toBe('claude-sonnet-4-5-20250929');
    expect(completion.choices).toEqual([
      { index: 0, logprobs: null, finish_reason: 'stop', message: { role: 'assistant', content: 'Bonjour ! Ça va ? 🚀', refusal: null } },
    ]);
    // Anthropic's input_tokens exclude the cache: OpenAI's prompt_tokens include it.
    expect(completion.usage).toEqual({
      prompt_tokens: 1070, completion_tokens: 9, total_tokens: 1079,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 50 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('uses the provider options: Bearer auth, anthropic_version, default_max_tokens, a base URL ending in /v1', async () => {
    await client.chat.completions.create({ model: 'claude-oauth/claude-haiku-4-5-20251001', messages: [{ role: 'user', content: 'Hi' }] });
    const request = last();
    expect(request.url).toBe('/v1/messages');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.headers['x-api-key']).toBeUndefined();
    expect(request.headers['anthropic-version']).toBe('2026-01-01');
    expect(lastBody().max_tokens).toBe(777);
    await client.chat.completions.create({ model: 'claude-oauth/claude-haiku-4-5-20251001', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 12 });
    expect(lastBody().max_tokens).toBe(12);
  });

  it('reports dropped fields in x-switchyard-warnings, and refuses them with x-switchyard-strict', async () => {
    const { response } = await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'Hi' }], seed: 7, frequency_penalty: 0.5,
    }).withResponse();
    expect(response.headers.get('x-switchyard-warnings')).toMatch(/seed dropped for claude: Anthropic has no sampling seed.*frequency_penalty/);
    expect(lastBody()).not.toHaveProperty('seed');
    const before = fake.requests.length;
    const strict = await apiError(client.chat.completions.create(
      { model: MODEL, messages: [{ role: 'user', content: 'Hi' }], seed: 7 },
      { headers: { 'x-switchyard-strict': 'true' } },
    ));
    expect(strict.status).toBe(400);
    expect(strict.message).toMatch(/'seed' cannot be sent to provider 'claude'/);
    expect(fake.requests.length).toBe(before);
  });

  it('refuses n > 1 and audio with a 400 before calling Anthropic', async () => {
    const n = await apiError(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], n: 2 }));
    expect(n.status).toBe(400);
    expect(n.param).toBe('n');
    const audio = await apiError(client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }],
    }));
    expect(audio.status).toBe(400);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends images as base64 and url sources', async () => {
    await client.chat.completions.create({
      model: MODEL,
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: 'image_url', image_url: { url: 'https://images.example/cat.jpg' } },
        ],
      }],
    });
    expect((lastBody().messages as Array<{ content: unknown[] }>)[0]?.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://images.example/cat.jpg' } },
    ]);
  });

  it('maps finish reasons: max_tokens → length, refusal → content_filter', async () => {
    fake.script({ reply: { kind: 'text', text: 'Once upon', stopReason: 'max_tokens' } });
    const cut = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Story' }], max_tokens: 3 });
    expect(cut.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Once upon' } });
    expect(lastBody().max_tokens).toBe(3);
    fake.script({ reply: { kind: 'text', text: '', stopReason: 'refusal' } });
    const refused = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Bad' }] });
    expect(refused.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: null } });
  });

  it('serves legacy completions through chat, and refuses embeddings (Anthropic has none)', async () => {
    fake.script({ reply: { kind: 'text', text: 'completed text' } });
    const completion = await client.completions.create({ model: MODEL, prompt: 'Complete me' });
    expect(completion.choices[0]?.text).toBe('completed text');
    expect((lastBody().messages as Array<{ content: unknown[] }>)[0]?.content).toEqual([{ type: 'text', text: 'Complete me' }]);
    const embeddings = await apiError(client.embeddings.create({ model: MODEL, input: 'x' }));
    expect(embeddings.status).toBe(400);
    expect(embeddings.code).toBe('unsupported');
  });
});

describe('anthropic: streaming', () => {
  it('reassembles a streamed answer with multi-byte text; usage chunk only when asked', async () => {
    const text = 'Grüße aus Köln — 東京 and 🚀 rockets.';
    fake.script({ reply: { kind: 'text', text, usage: { input: 11, output: 12, cacheRead: 4 } } });
    const chunks = await collect(await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'Stream' }], stream: true, stream_options: { include_usage: true },
    }));
    expect(lastBody().stream).toBe(true);
    expect(lastBody()).not.toHaveProperty('stream_options');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(text);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set([chunks[0]?.id]));
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual(['stop']);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 15, completion_tokens: 12, total_tokens: 27, prompt_tokens_details: { cached_tokens: 4 } });

    fake.script({ reply: { kind: 'text', text } });
    const plain = await collect(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Stream' }], stream: true }));
    expect(plain.filter((c) => c.choices.length === 0)).toEqual([]);
    for (const chunk of plain) expect(chunk.usage ?? null).toBeNull();
  });

  it('streams tool calls after text: index = tool ordinal, id/name once, a no-argument tool gets "{}"', async () => {
    fake.script({ reply: { kind: 'tools', text: 'Checking.', calls: [{ name: 'get_weather', input: { city: 'Zürich' } }, { name: 'refresh_list', input: {} }] } });
    const runner = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'Go' }], tools: [WEATHER, REFRESH] });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.filter((d) => d.id !== undefined).map((d) => [d.index, d.function?.name])).toEqual([[0, 'get_weather'], [1, 'refresh_list']]);
    for (const d of deltas.filter((x) => x.id === undefined)) expect(d.function?.name).toBeUndefined();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe('Checking.');
    const calls = (message?.tool_calls ?? []).map((c) => (c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments) as unknown] : []));
    expect(calls).toEqual([
      [expect.stringMatching(/^toolu_/), 'get_weather', { city: 'Zürich' }],
      [expect.stringMatching(/^toolu_/), 'refresh_list', {}],
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('closes the upstream socket when the client aborts mid-stream', async () => {
    fake.script({ reply: { kind: 'text', text: 'a long, long answer that never ends' }, stream: { hangAfter: 5 } });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: [{ role: 'user', content: 'Go' }], stream: true }, { signal: controller.signal },
    );
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 1) controller.abort();
    }
    await fake.waitForClose();
    expect(fake.closedRequests).toBe(1);
  });

  it('a stream cut before message_stop errors in the SDK instead of ending quietly', async () => {
    fake.script({ reply: { kind: 'text', text: 'Half of an answer that is cut' }, stream: { cutAfter: 5 } });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Go' }], stream: true });
    const received: ChatCompletionChunk[] = [];
    const error = await apiError((async () => {
      for await (const chunk of stream) received.push(chunk);
    })());
    expect(received.map((c) => c.choices[0]?.delta.content ?? '').join('')).not.toBe('');
    expect(received.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    expect(error.message).toMatch(/Upstream/);
  });

  it('a body that ends cleanly without message_stop is an error too', async () => {
    const events = [
      { type: 'message_start', message: { id: 'msg_x', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'All but' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } },
    ];
    fake.script({ stream: { events } });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Go' }], stream: true });
    const error = await apiError((async () => {
      for await (const chunk of stream) void chunk;
    })());
    expect(error.message).toMatch(/ended before the response was complete/);
  });

  it('an in-band overloaded_error after HTTP 200 reaches the SDK as an error with its message', async () => {
    fake.script({ reply: { kind: 'text', text: 'Partial answer here' }, stream: { inBandError: { after: 4, type: 'overloaded_error', message: 'Overloaded (mid-stream test)' } } });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Go' }], stream: true });
    const error = await apiError((async () => {
      for await (const chunk of stream) void chunk;
    })());
    expect(error.message).toMatch(/Overloaded \(mid-stream test\)/);
  });
});

describe('anthropic: tools and results', () => {
  it('maps tools and tool_choice; returns tool calls with valid JSON arguments ("{}" for none)', async () => {
    fake.script({ reply: { kind: 'tools', calls: [{ name: 'get_weather', input: { city: 'Paris' } }, { name: 'refresh_list', input: {} }] } });
    const completion = await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'Weather?' }], tools: [WEATHER, REFRESH], tool_choice: 'required', parallel_tool_calls: false,
    });
    expect(lastBody().tools).toEqual([
      { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      { name: 'refresh_list', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(lastBody().tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : []))).toEqual([
      ['get_weather', '{"city":"Paris"}'], ['refresh_list', '{}'],
    ]);
  });

  it('sends parallel tool results back as ONE user message, in call order, accepted by the API', async () => {
    fake.script({ reply: { kind: 'tools', calls: [{ name: 'get_weather', input: { city: 'Paris' } }, { name: 'get_weather', input: { city: 'Rome' } }] } });
    const first = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Two cities' }], tools: [WEATHER] });
    const assistant = first.choices[0]?.message;
    const [paris, rome] = assistant?.tool_calls ?? [];
    if (!assistant || !paris || !rome) throw new Error('expected two tool calls');
    fake.script({ reply: { kind: 'text', text: 'Paris 18°C, Rome 24°C.' } });
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Two cities' },
      { ...assistant, content: '' },
      // Answered out of order, with a user remark in between.
      { role: 'tool', tool_call_id: rome.id, content: '24C' },
      { role: 'user', content: 'Celsius please.' },
      { role: 'tool', tool_call_id: paris.id, content: [{ type: 'text', text: '18C' }] },
    ];
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER] });
    expect(second.choices[0]?.message.content).toBe('Paris 18°C, Rome 24°C.');
    expect(lastBody().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Two cities' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: paris.id, name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: rome.id, name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: paris.id, content: [{ type: 'text', text: '18C' }] },
          { type: 'tool_result', tool_use_id: rome.id, content: '24C' },
          { type: 'text', text: 'Celsius please.' },
        ],
      },
    ]);
  });

  it('response_format json_schema: a forced tool upstream, JSON text with finish stop for the SDK (also streamed)', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } }, required: ['city', 'population'] };
    const format = { type: 'json_schema' as const, json_schema: { name: 'city', schema, strict: true } };
    fake.script({ reply: { kind: 'text', text: '{"city":"Köln","population":1084831}' } });
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Facts' }], response_format: format });
    expect(lastBody().tool_choice).toEqual({ type: 'tool', name: 'switchyard_json_response' });
    expect(lastBody().tools).toEqual([expect.objectContaining({ name: 'switchyard_json_response', input_schema: schema })]);
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '{"city":"Köln","population":1084831}' } });
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();

    fake.script({ reply: { kind: 'text', text: '{"city":"東京","population":13960000}' } });
    const chunks = await collect(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Facts' }], response_format: format, stream: true }));
    expect(JSON.parse(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''))).toEqual({ city: '東京', population: 13960000 });
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual(['stop']);
  });
});

describe('anthropic: thinking', () => {
  const ask: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

  it('reasoning_effort → thinking; the signed thinking round-trips so the next tool turn is accepted', async () => {
    fake.script({ reply: { kind: 'tools', thinking: 'I should call get_weather.', calls: [{ name: 'get_weather', input: { city: 'Paris' } }], usage: { input: 30, output: 80, thinking: 50 } } });
    const first = await client.chat.completions.create({ model: MODEL, messages: ask, tools: [WEATHER], reasoning_effort: 'low', max_completion_tokens: 2000 });
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(lastBody().max_tokens).toBe(3024);
    const message = first.choices[0]?.message;
    expect(field(message, 'reasoning_content')).toBe('I should call get_weather.');
    expect(field(message, 'thinking_blocks')).toEqual([{ type: 'thinking', thinking: 'I should call get_weather.', signature: expect.any(String) }]);
    expect(first.usage?.completion_tokens_details?.reasoning_tokens).toBe(50);
    const call = message?.tool_calls?.[0];
    if (!message || !call) throw new Error('expected a tool call');

    // The SDK user sends the assistant message back as received (the usual agent loop).
    fake.script({ reply: { kind: 'text', text: 'It is 18°C.' } });
    const second = await client.chat.completions.create({
      model: MODEL, tools: [WEATHER], reasoning_effort: 'low',
      messages: [...ask, message, { role: 'tool', tool_call_id: call.id, content: '18C' }],
    });
    expect(second.choices[0]?.message.content).toBe('It is 18°C.');
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    const sentAssistant = (lastBody().messages as Array<{ content: Array<{ type: string }> }>)[1];
    expect(sentAssistant?.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
  });

  it('a streamed thinking reply round-trips too: the stream helper\'s final message is sent back as is', async () => {
    const thought = 'Streamed thought — ünïcödé, in several pieces.';
    fake.script({ reply: { kind: 'tools', thinking: thought, calls: [{ name: 'get_weather', input: { city: 'Paris' } }] } });
    const runner = client.chat.completions.stream({ model: MODEL, messages: ask, tools: [WEATHER], reasoning_effort: 'low' });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    expect(chunks.map((c) => String(field(c.choices[0]?.delta, 'reasoning_content') ?? '')).join('')).toBe(thought);
    // The signature goes out once, with the whole block (the helper keeps only the last value).
    const blocks = chunks.flatMap((c) => (field(c.choices[0]?.delta, 'thinking_blocks') as unknown[] | undefined) ?? []);
    expect(blocks).toEqual([{ type: 'thinking', thinking: thought, signature: expect.any(String) }]);
    const message = final.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    if (!message || !call) throw new Error('expected a tool call');
    expect(field(message, 'thinking_blocks')).toEqual(blocks);

    fake.script({ reply: { kind: 'text', text: 'Done.' } });
    const second = await client.chat.completions.create({
      model: MODEL, tools: [WEATHER], reasoning_effort: 'low',
      messages: [...ask, message, { role: 'tool', tool_call_id: call.id, content: '18C' }],
    });
    expect(second.choices[0]?.message.content).toBe('Done.');
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect((lastBody().messages as Array<{ content: unknown[] }>)[1]?.content[0]).toEqual({ type: 'thinking', thinking: thought, signature: expect.any(String) });
  });

  it('a tool turn sent back without its thinking: thinking is left off (with a warning) instead of a 400', async () => {
    fake.script({ reply: { kind: 'text', text: 'Fine.' } });
    const { data, response } = await client.chat.completions.create({
      model: MODEL, tools: [WEATHER], reasoning_effort: 'medium',
      messages: [
        ...ask,
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_x', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_x', content: '18C' },
      ],
    }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Fine.');
    expect(lastBody()).not.toHaveProperty('thinking');
    expect(response.headers.get('x-switchyard-warnings')).toMatch(/reasoning_effort dropped for claude: the tool turn being continued came back without its thinking_blocks/);
  });
});

describe('anthropic: upstream errors', () => {
  it.each([
    [{ status: 529, type: 'overloaded_error', message: 'Overloaded' }, 503, 'upstream_unavailable'],
    [{ status: 500, type: 'api_error', message: 'Internal server error' }, 502, 'upstream_error'],
    [{ status: 400, type: 'invalid_request_error', message: 'messages.0: bad thing (marker-3)' }, 400, 'invalid_request'],
    [{ status: 400, type: 'invalid_request_error', message: 'prompt is too long: 208310 tokens > 200000 maximum' }, 400, 'context_length_exceeded'],
    [{ status: 404, type: 'not_found_error', message: 'model: claude-nope' }, 404, 'model_not_found'],
  ])('%j → HTTP %d %s', async (error, status, code) => {
    fake.script({ reply: { kind: 'error', ...error } });
    const failure = await apiError(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(failure.status).toBe(status);
    expect(failure.code).toBe(code);
    expect(failure.message).toContain(error.message);
    expect(fake.requests).toHaveLength(1);
  });

  it('429 keeps Retry-After for the SDK', async () => {
    fake.script({ reply: { kind: 'error', status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit', retryAfterSeconds: 12 } });
    const failure = await apiError(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failure.headers?.get('retry-after')).toBe('12');
  });

  it('a bad provider key is a 502 (not the caller’s 401) and the key never reaches the client', async () => {
    fake.script({ reply: { kind: 'error', status: 401, type: 'authentication_error', message: `invalid x-api-key ${KEY}` } });
    const failure = await apiError(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(failure.status).toBe(502);
    expect(JSON.stringify(failure.error)).not.toContain(KEY);
    expect(gw.logText()).not.toContain(KEY);
  });

  it('lists models with GET /v1/models (for discovery and `switchyard check`)', async () => {
    const provider = gw.gateway.providers.get('claude');
    expect(await provider?.listModels(AbortSignal.timeout(5000))).toEqual(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805']);
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/models?limit=1000' });
    expect(last().headers['x-api-key']).toBe(KEY);
    expect(last().headers['anthropic-version']).toBe('2023-06-01');
  });
});
