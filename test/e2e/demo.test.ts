/**
 * The built-in demo provider (`type: mock`, what `serve --demo` adds), with no upstream at all:
 * a first request works offline, answers are deterministic and labelled as demo output, and
 * every OpenAI surface (chat, stream, tools, completions, embeddings, models) works through
 * the official SDK.
 */
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { requestLogs } from '../support/e2e-stack.js';

const NOTICE = 'This reply comes from the Switchyard demo provider, not a real model.';
const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } } },
  },
};

let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  gw = await startGateway({ providers: { demo: { type: 'mock' } } }, { sleep: () => Promise.resolve() });
  client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
});

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('demo provider', () => {
  it('answers a first chat request offline, deterministically, labelled as demo output', async () => {
    const request = { model: 'demo/chat', messages: [{ role: 'user' as const, content: 'Hello gateway' }] };
    const { data: first, response } = await client.chat.completions.create(request).withResponse();
    const second = await client.chat.completions.create(request);
    expect(response.headers.get('x-switchyard-demo')).toBe('true');
    expect(first).toMatchObject({
      object: 'chat.completion',
      model: 'chat',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `You said: "Hello gateway". ${NOTICE}` } }],
    });
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(first.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(first.usage?.completion_tokens).toBeGreaterThan(0);
    expect(first.usage?.total_tokens).toBe((first.usage?.prompt_tokens ?? 0) + (first.usage?.completion_tokens ?? 0));
    const line = requestLogs(gw).find((l) => l.req_id === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ provider: 'demo', model: 'demo/chat', status: 200 });
  });

  it('streams the same text, with usage only when asked', async () => {
    const messages = [{ role: 'user' as const, content: 'Stream please' }];
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'demo/chat', messages, stream: true })
      .withResponse();
    expect(response.headers.get('x-switchyard-demo')).toBe('true');
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(`You said: "Stream please". ${NOTICE}`);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    const final = await client.chat.completions
      .stream({ model: 'demo/chat', messages, stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(`You said: "Stream please". ${NOTICE}`);
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('honours max_tokens with finish_reason "length"', async () => {
    const completion = await client.chat.completions.create({
      model: 'demo/chat',
      messages: [{ role: 'user', content: 'one two three four five' }],
      max_tokens: 3,
    });
    expect(completion.choices[0]?.message.content).toBe('You said: "one');
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('calls tools with schema-shaped arguments, streamed and not', async () => {
    const request = { model: 'demo/chat', messages: [{ role: 'user' as const, content: 'Weather?' }], tools: [WEATHER_TOOL] };
    const completion = await client.chat.completions.create(request);
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'demo', unit: 'celsius' });

    const final = await client.chat.completions.stream(request).finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed).toMatchObject({ id: call.id, function: { name: 'get_weather', arguments: call.function.arguments } });

    const answered = await client.chat.completions.create({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '21°C' },
      ],
    });
    expect(answered.choices[0]?.message.content).toBe(`The tool returned: 21°C. ${NOTICE}`);
  });

  it('answers legacy completions through the chat bridge, stream and not', async () => {
    const completion = await client.completions.create({ model: 'demo/chat', prompt: 'legacy' });
    expect(completion.choices[0]?.text).toBe(`You said: "legacy". ${NOTICE}`);
    let text = '';
    for await (const chunk of await client.completions.create({ model: 'demo/chat', prompt: 'legacy', stream: true })) {
      text += chunk.choices[0]?.text ?? '';
    }
    expect(text).toBe(`You said: "legacy". ${NOTICE}`);
  });

  it('returns deterministic unit embeddings, with dimensions', async () => {
    const first = await client.embeddings.create({ model: 'demo/embed', input: 'same', encoding_format: 'float' });
    const again = await client.embeddings.create({ model: 'demo/embed', input: 'same', encoding_format: 'float' });
    const vector = first.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(16);
    expect(again.data[0]?.embedding).toEqual(vector);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    const sized = await client.embeddings.create({ model: 'demo/embed', input: ['a', 'b', 'c'], dimensions: 8 });
    expect(sized.data.map((d) => d.embedding.length)).toEqual([8, 8, 8]);
  });

  it('lists and retrieves the demo models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['demo/chat', 'demo/embed']);
    const model = await client.models.retrieve('demo/chat');
    expect(model).toMatchObject({ id: 'demo/chat', object: 'model', owned_by: 'switchyard-demo' });
    // The SDK escapes the slash; a raw, unescaped slash works too.
    const raw = await fetch(`${gw.baseURL}/models/demo/embed`, { headers: { authorization: `Bearer ${gw.masterKey}` } });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toMatchObject({ id: 'demo/embed' });
  });
});
