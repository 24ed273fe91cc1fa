/**
 * Proves the fake is faithful: the official `openai` SDK, pointed straight at it, accepts every
 * response shape, reassembles its streams, decodes its base64 embeddings and maps its errors.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeErrors, FAKE_CREATED, startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';

const API_KEY = 'sk-fake-test-key';
const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

let fake: FakeOpenAI;
let client: OpenAI;

beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
  client = new OpenAI({ baseURL: fake.url, apiKey: API_KEY, maxRetries: 0 });
});

afterEach(async () => {
  await fake.close();
});

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('chat completions', () => {
  it('answers a non-stream request with a full chat.completion and records the request', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hi' },
      ],
    });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      created: FAKE_CREATED,
      model: 'gpt-4o-mini',
      service_tier: 'default',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          logprobs: null,
          message: { role: 'assistant', content: 'Hello from fake OpenAI: Say hi', refusal: null, annotations: [] },
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 6,
        total_tokens: 16,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, accepted_prediction_tokens: 0 },
      },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.system_fingerprint).toMatch(/^fp_/);

    expect(fake.requests).toHaveLength(1);
    const recorded = fake.requests[0];
    expect(recorded?.method).toBe('POST');
    expect(recorded?.path).toBe('/v1/chat/completions');
    expect(recorded?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(recorded?.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system' }, { role: 'user' }] });
  });

  it('reads the last user message from content parts and honours max_tokens with finish_reason length', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      max_completion_tokens: 3,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'one two three' }] }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('streams chunks the SDK accumulates, with the usage chunk last when include_usage is set', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'café 中文 🚀' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const first = chunks[0];
    const usageChunk = chunks.at(-1);
    const finish = chunks.at(-2);
    expect(first?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 7, total_tokens: 13 });
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.usage).toBeNull();
      expect(chunk).toHaveProperty('obfuscation');
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', id: first?.id, created: FAKE_CREATED });
    }
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello from fake OpenAI: café 中文 🚀');
    expect(chunks.length).toBeGreaterThan(5);
  });

  it('omits usage from chunks without include_usage, and obfuscation when include_obfuscation is false', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_obfuscation: false },
    });
    const chunks = await collect(stream);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    for (const chunk of chunks) {
      expect(chunk).not.toHaveProperty('usage');
      expect(chunk).not.toHaveProperty('obfuscation');
    }
  });

  it('works with the SDK stream helper and finalChatCompletion()', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Tell me something' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Hello from fake OpenAI: Tell me something');
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.usage?.total_tokens).toBe(final.usage ? final.usage.prompt_tokens + final.usage.completion_tokens : -1);
  });
});

describe('tool calls', () => {
  it('calls the first tool in a non-stream response', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  it('answers with text when tool_choice is "none"', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'No tools please' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
    });
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: No tools please');
  });

  it('streams a tool call in the §1.7 pattern, with arguments split across chunks the SDK reassembles', async () => {
    const raw = await collect(
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [WEATHER_TOOL],
        stream: true,
      }),
    );
    const toolDeltas = raw.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(toolDeltas[0]?.id).toMatch(/^call_/);
    const continuations = toolDeltas.slice(1);
    expect(continuations.length).toBeGreaterThan(1);
    for (const delta of continuations) expect(Object.keys(delta).sort()).toEqual(['function', 'index']);
    expect(raw.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');

    const final = await client.chat.completions
      .stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather?' }], tools: [WEATHER_TOOL] })
      .finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function : undefined).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
  });

  it('streams scripted parallel tool calls that reassemble by index', async () => {
    fake.script({
      reply: {
        toolCalls: [
          { id: 'call_a1', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
          { id: 'call_b2', name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
        ],
      },
    });
    const final = await client.chat.completions
      .stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Both' }], tools: [WEATHER_TOOL] })
      .finalChatCompletion();
    const calls = (final.choices[0]?.message.tool_calls ?? []).map((c) => (c.type === 'function' ? [c.id, c.function] : []));
    expect(calls).toEqual([
      ['call_a1', { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
      ['call_b2', { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' }],
    ]);
  });
});

describe('legacy completions', () => {
  it('answers non-stream and stream requests with text_completion objects', async () => {
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Once upon' });
    expect(completion).toMatchObject({
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ text: 'Hello from fake OpenAI: Once upon', index: 0, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 },
    });
    expect(completion.id).toMatch(/^cmpl-/);

    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once upon',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishReasons: Array<string | null> = [];
    let usageTotal = 0;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion');
      for (const choice of chunk.choices) {
        text += choice.text;
        finishReasons.push(choice.finish_reason);
      }
      usageTotal += chunk.usage?.total_tokens ?? 0;
    }
    expect(text).toBe('Hello from fake OpenAI: Once upon');
    expect(finishReasons.at(-1)).toBe('stop');
    expect(usageTotal).toBe(8);
  });

  it('stops at the legacy default of 16 tokens', async () => {
    const prompt = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(16);
  });
});

describe('embeddings', () => {
  it('returns base64 by default through the SDK, decoding to the same vectors as encoding_format float', async () => {
    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world' });
    expect(fake.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world', encoding_format: 'float' });

    const vector = decoded.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(1536);
    expect(floats.data[0]?.embedding).toEqual(vector);
    const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(decoded).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } });
  });

  it('sends a base64 string when asked explicitly, and honours dimensions and array input', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      dimensions: 8,
      encoding_format: 'base64',
    });
    expect(result.data.map((d) => d.index)).toEqual([0, 1]);
    const encoded = result.data[0]?.embedding as unknown;
    expect(typeof encoded).toBe('string');
    expect(Buffer.from(String(encoded), 'base64')).toHaveLength(8 * 4);

    const again = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['beta', 'alpha'], dimensions: 8 });
    expect(again.data[1]?.embedding).toHaveLength(8);
    expect(again.data[0]?.embedding).not.toEqual(again.data[1]?.embedding);
  });

  it('rejects dimensions for text-embedding-ada-002 like OpenAI', async () => {
    await expect(
      client.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('models', () => {
  it('lists and retrieves models, 404 for unknown ids', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('gpt-4o-mini');
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'system', created: FAKE_CREATED });
    const model = await client.models.retrieve('text-embedding-3-small');
    expect(model.id).toBe('text-embedding-3-small');
    const error: unknown = await client.models.retrieve('no-such-model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ code: 'model_not_found' });
  });
});

describe('auth and scripted errors', () => {
  it('rejects a wrong key with OpenAI\'s 401 body', async () => {
    const wrong = new OpenAI({ baseURL: fake.url, apiKey: 'sk-wrong', maxRetries: 0 });
    const error: unknown = await wrong.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    expect(fake.requests).toHaveLength(1);
  });

  it('serves scripted 400 and 429 errors once, then returns to default behaviour', async () => {
    fake.script({ path: '/v1/chat/completions', ...fakeErrors.contextLengthExceeded() });
    fake.script({ path: '/v1/chat/completions', ...fakeErrors.rateLimited(7) });
    const ask = (): Promise<unknown> =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);

    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0); // path-restricted scripts are not used up here
    const bad = await ask();
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad).toMatchObject({ code: 'context_length_exceeded', param: 'messages' });
    const limited = await ask();
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited instanceof OpenAI.APIError ? limited.headers?.get('retry-after') : undefined).toBe('7');
    const ok = await ask();
    expect(ok).toMatchObject({ object: 'chat.completion' });
  });

  it('a 500 is retried by the SDK and the retry is recorded', async () => {
    fake.script({ ...fakeErrors.serverError(), headers: { 'retry-after-ms': '1' } });
    const retrying = new OpenAI({ baseURL: fake.url, apiKey: API_KEY, maxRetries: 1 });
    const completion = await retrying.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: x');
    expect(fake.requests).toHaveLength(2);
  });

  it('a function script can choose per request and persist', async () => {
    fake.script((req) => (req.path === '/v1/embeddings' ? { status: 503 } : undefined), { times: Infinity });
    for (let i = 0; i < 2; i++) {
      await expect(client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).rejects.toBeInstanceOf(
        OpenAI.InternalServerError,
      );
    }
    await expect(client.models.list()).resolves.toBeDefined();
  });

  it('delays headers by delayMs', async () => {
    fake.script({ delayMs: 150 });
    const started = Date.now();
    await client.models.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('stream failure modes', () => {
  const streamRequest = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user' as const, content: 'a b c d e f' }],
    stream: true as const,
  };

  it('delivers an in-band error that the SDK throws as APIError', async () => {
    fake.script({ stream: { inBandError: { after: 2, error: { message: 'upstream exploded', type: 'server_error' } } } });
    const seen: ChatCompletionChunk[] = [];
    const error: unknown = await (async () => {
      for await (const chunk of await client.chat.completions.create(streamRequest)) seen.push(chunk);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ message: 'upstream exploded' });
  });

  it('cuts the socket mid-stream after N events', async () => {
    fake.script({ stream: { cutAfter: 3 } });
    const seen: ChatCompletionChunk[] = [];
    const error: unknown = await (async () => {
      for await (const chunk of await client.chat.completions.create(streamRequest)) seen.push(chunk);
    })().catch((e: unknown) => e);
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(error).toBeInstanceOf(Error);
    expect(fake.closedRequests).toBe(0); // the fake's own cut is not a client abort
  });

  it('hangs after N events and observes the client abort', async () => {
    fake.script({ stream: { hangAfter: 2 } });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(streamRequest, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(fake.closedRequests).toBe(0);
    controller.abort();
    await fake.waitForClose();
    expect(fake.closedRequests).toBe(1);
  });

  it('counts an abort during the header delay', async () => {
    fake.script({ delayMs: 5_000 });
    const controller = new AbortController();
    const pending = client.models.list({ signal: controller.signal }).catch((e: unknown) => e);
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    await fake.waitForClose();
    expect(fake.closedRequests).toBe(1);
  });

  it('survives one-byte writes with CRLF framing, splitting multi-byte characters', async () => {
    fake.script({ stream: { lineEnding: '\r\n', writeSizes: [1, 2, 3] } });
    const chunks = await collect(
      await client.chat.completions.create({ ...streamRequest, messages: [{ role: 'user', content: 'café 中文 🚀' }] }),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from fake OpenAI: café 中文 🚀');
  });

  it('sends custom chunk lists, raw strings verbatim', async () => {
    const chunk = (content: string): unknown => ({
      id: 'chatcmpl-custom',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
    });
    fake.script({ stream: { chunks: [': keep-alive\n\n', chunk('A'), ': ping\n\n', chunk('B')] } });
    const chunks = await collect(await client.chat.completions.create(streamRequest));
    expect(chunks.map((c) => c.choices[0]?.delta.content)).toEqual(['A', 'B']);
  });

  it('reset clears requests, scripts and the abort count', async () => {
    fake.script({ status: 500 });
    await client.models.list().catch(() => undefined);
    fake.script({ status: 500 });
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    await expect(client.models.list()).resolves.toBeDefined();
  });
});
