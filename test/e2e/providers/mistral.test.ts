/**
 * Mistral end to end: the official `openai` SDK → Switchyard (native `mistral` adapter) → the
 * fake Mistral API, which validates like the real one. Asserts what reached Mistral (URL, Bearer
 * key, the renamed and removed fields, 9-character tool ids, role-order repairs) and what the
 * SDK got back (text, streams, tools with valid JSON, reasoning, usage, finish reasons, errors).
 */
import OpenAI from 'openai';
import type {
  ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageFunctionToolCall, ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mapMistralToolCallId } from '../../../src/formats/mistral/tool-ids.js';
import { startFakeMistral, type FakeMistral } from '../../support/fake-mistral/server.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';
import { within } from '../../support/e2e-stack.js';

const KEY = 'mistral-e2e-key-0123456789abcdef';
const MODEL = 'mis/mistral-small-latest';
const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

let fake: FakeMistral;
let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
  gw = await startGateway({ providers: { mis: { type: 'mistral', base_url: fake.url, api_key: KEY } }, routing: { retries: 0 } });
  client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function lastBody(): Record<string, unknown> {
  const body = fake.requests.at(-1)?.body;
  if (typeof body !== 'object' || body === null) throw new Error('the fake received no JSON body');
  return body as Record<string, unknown>;
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('Mistral: requests as Mistral wants them', () => {
  it('renames and drops fields, sends the key as Bearer, and passes safe_prompt through', async () => {
    const params: ChatCompletionCreateParamsNonStreaming & { safe_prompt: boolean } = {
      model: MODEL,
      messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Say hi' }],
      seed: 7, max_completion_tokens: 50, temperature: 0.2, store: true, safe_prompt: true,
    };
    const { data, response } = await client.chat.completions.create(params).withResponse();
    const request = fake.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(lastBody()).toEqual({
      model: 'mistral-small-latest',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hi' }],
      random_seed: 7, max_tokens: 50, temperature: 0.2, safe_prompt: true,
    });
    // `store` has no Mistral equivalent: left out, and the caller is told.
    expect(response.headers.get('x-switchyard-warnings')).toContain('store');
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('mistral-small-latest');
    expect(data.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello from fake Mistral: Say hi' } });
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
  });

  it('in strict mode a field Mistral cannot take is a 400, and nothing is sent', async () => {
    const error = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], logprobs: true }, { headers: { 'x-switchyard-strict': 'true' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('logprobs');
    expect(fake.requests).toHaveLength(0);
  });

  it('streams without stream_options, and re-emits Mistral\'s usage as OpenAI\'s usage chunk', async () => {
    fake.reply({ kind: 'text', text: 'Grüße aus Köln — 東京 🚀 done.', usage: { prompt: 1200, completion: 30, cached: 1024 } });
    const chunks = await collect(await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'Greet' }], stream: true, stream_options: { include_usage: true },
    }));
    expect(lastBody().stream).toBe(true);
    expect(lastBody()).not.toHaveProperty('stream_options');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Grüße aus Köln — 東京 🚀 done.');
    expect(chunks.filter((c) => c.choices.length === 0)).toHaveLength(1);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230, prompt_tokens_details: { cached_tokens: 1024 } });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });
});

describe('Mistral: tools', () => {
  it('a full tool loop: Mistral\'s id comes back unchanged, a foreign id is hashed alike in call and result', async () => {
    fake.reply({ kind: 'tools', calls: [{ id: 'gSIMJiOkT', name: 'get_weather', arguments: '{"city": "Paris"}' }] });
    const first = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER], tool_choice: 'required' });
    expect(lastBody().tool_choice).toBe('any');
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]?.message.tool_calls?.[0] as ChatCompletionMessageFunctionToolCall;
    expect(call).toMatchObject({ id: 'gSIMJiOkT', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

    fake.reply({ kind: 'text', text: 'Sunny in Paris, cloudy in Lyon.' });
    const second = await client.chat.completions.create({
      model: MODEL, tools: [WEATHER],
      messages: [
        { role: 'user', content: 'Weather in Paris and Lyon?' },
        { role: 'assistant', content: null, tool_calls: [call, { id: 'call_lyon_from_openai', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] },
        { role: 'tool', tool_call_id: 'gSIMJiOkT', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_lyon_from_openai', content: 'cloudy' },
        { role: 'user', content: 'Summarise.' },
      ],
    });
    // The fake refuses ids that are not 9 alphanumerics and a user turn right after a tool turn.
    expect(second.choices[0]?.message.content).toBe('Sunny in Paris, cloudy in Lyon.');
    const messages = lastBody().messages as Array<Record<string, unknown>>;
    const lyon = mapMistralToolCallId('call_lyon_from_openai');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant', 'user']);
    expect((messages[1]?.tool_calls as Array<{ id: string }>).map((c) => c.id)).toEqual(['gSIMJiOkT', lyon]);
    expect(messages.slice(2, 4).map((m) => [m.tool_call_id, m.name])).toEqual([['gSIMJiOkT', 'get_weather'], [lyon, 'get_weather']]);
  });

  it('parallel calls streamed whole by Mistral reach the SDK with OpenAI indexes and valid JSON', async () => {
    fake.reply({ kind: 'tools', calls: [{ name: 'get_weather', arguments: '{"city": "Zürich"}' }, { name: 'get_weather', arguments: '{"city": "東京"}' }] });
    const runner = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'Two cities' }], tools: [WEATHER] });
    const chunks = await collect(runner);
    const final = await runner.finalChatCompletion();
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.map((d) => d.index)).toEqual([0, 1]);
    const calls = final.choices[0]?.message.tool_calls as ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => JSON.parse(c.function.arguments) as unknown)).toEqual([{ city: 'Zürich' }, { city: '東京' }]);
    expect(calls.every((c) => /^[A-Za-z0-9]{9}$/.test(c.id))).toBe(true);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('Mistral: content', () => {
  it('thinking chunks arrive as reasoning_content, streamed and not', async () => {
    fake.reply({ kind: 'text', text: '42.', reasoning: 'Six times seven.' });
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: '6×7?' }], reasoning_effort: 'high' });
    expect(lastBody().reasoning_effort).toBe('high');
    expect(completion.choices[0]?.message.content).toBe('42.');
    expect((completion.choices[0]?.message as unknown as Record<string, unknown>).reasoning_content).toBe('Six times seven.');

    fake.reply({ kind: 'text', text: '42.', reasoning: 'Six times seven.' });
    const chunks = await collect(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: '6×7?' }], stream: true }));
    const reasoning = chunks.map((c) => (c.choices[0]?.delta as unknown as Record<string, unknown> | undefined)?.reasoning_content ?? '').join('');
    expect(reasoning).toBe('Six times seven.');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('42.');
  });

  it('json_schema and images reach Mistral in its format', async () => {
    fake.reply({ kind: 'text', text: '{"colour":"red"}' });
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Colour?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { colour: { type: 'string' } } }, strict: true } },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ colour: 'red' });
    expect(lastBody()).toMatchObject({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Colour?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { colour: { type: 'string' } } }, strict: true } },
    });
  });

  it('model_length is reported as length', async () => {
    fake.reply({ kind: 'text', text: 'Once upon', finish: 'model_length' });
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'story' }] });
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('embeddings: floats asked of Mistral, the SDK\'s default base64 decoded to the same vectors', async () => {
    fake.reply({ kind: 'embeddings', vectors: [[0.125, -0.5, 0.25], [1, 0, -0.0625]], promptTokens: 6 });
    const result = await client.embeddings.create({ model: 'mis/mistral-embed', input: ['alpha', 'beta'], dimensions: 3 });
    expect(fake.requests[0]?.url).toBe('/v1/embeddings');
    expect(lastBody()).toEqual({ model: 'mistral-embed', input: ['alpha', 'beta'], encoding_format: 'float', output_dimension: 3 });
    expect(result.data.map((d) => d.embedding)).toEqual([[0.125, -0.5, 0.25], [1, 0, -0.0625]]);
    expect(result.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });
});

describe('Mistral: failures', () => {
  const ask = { model: MODEL, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('429 keeps its Retry-After; a bad key is the gateway\'s problem (502), never the caller\'s 401', async () => {
    fake.reply({ kind: 'error', status: 429, body: { message: 'Requests rate limit exceeded', request_id: 'abc' }, headers: { 'retry-after': '4' } });
    const limited = await client.chat.completions.create(ask).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('4');

    fake.reply({ kind: 'error', status: 401, body: { message: 'Unauthorized', request_id: 'abc' } });
    const auth = await client.chat.completions.create(ask).catch((e: unknown) => e);
    expect((auth as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('context overflow becomes context_length_exceeded; a 422 schema error names the field', async () => {
    fake.reply({ kind: 'error', status: 400, body: { object: 'error', message: 'Prompt contains 40012 tokens and 0 draft tokens, too large for model with 32768 maximum context length', type: 'invalid_request_error', param: null, code: null } });
    const overflow = await client.chat.completions.create(ask).catch((e: unknown) => e);
    expect(overflow).toBeInstanceOf(OpenAI.BadRequestError);
    expect((overflow as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded');

    fake.reply({ kind: 'error', status: 422, body: { detail: [{ type: 'extra_forbidden', loc: ['body', 'foo'], msg: 'Extra inputs are not permitted' }] } });
    const schema = await client.chat.completions.create(ask).catch((e: unknown) => e);
    expect((schema as InstanceType<typeof OpenAI.APIError>).status).toBe(422);
    expect((schema as InstanceType<typeof OpenAI.APIError>).message).toContain('foo: Extra inputs are not permitted');
  });

  it('a stream Mistral cuts mid-way ends in an error for the SDK, not a quiet finish', async () => {
    fake.reply({ kind: 'text', text: 'one two three four five', stream: { cutAfter: 3 } });
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const seen: string[] = [];
    const error = await within((async () => {
      try {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      } catch (e) {
        return e;
      }
      return undefined;
    })(), 5000, 'the stream to fail');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(seen.join('')).toBe('one two ');
  });

  it('a client that hangs up mid-stream closes the upstream request to Mistral', async () => {
    fake.reply({ kind: 'text', text: 'never ending story', stream: { hangAfter: 2 } });
    const aborted = fake.waitForClientAbort();
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ ...ask, stream: true }, { signal: controller.signal });
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '') !== '') controller.abort();
    }
    await within(aborted, 5000, 'the gateway to close the upstream socket');
  });

  it('an in-band Mistral error mid-stream reaches the SDK as an error', async () => {
    fake.reply({ kind: 'text', text: 'alpha beta gamma', stream: { errorAfter: { after: 2, message: 'generation failed' } } });
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    let error: unknown;
    try {
      for await (const chunk of stream) void chunk;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('generation failed');
  });
});
