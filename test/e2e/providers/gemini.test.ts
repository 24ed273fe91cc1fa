/**
 * Gemini end to end: the official `openai` SDK → Switchyard → the native `gemini` adapter → a
 * fake Generative Language API speaking Google's wire format on 127.0.0.1. Each test checks
 * both sides: what reached the fake (URL, headers, native body — the mapping) and what the SDK
 * got back (text, reassembled streams, tool calls with valid JSON, usage, finish reasons,
 * errors with the right status).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini, type RecordedGeminiRequest } from '../../support/fake-gemini/server.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';

const KEY = 'AIzaSyE2eGeminiUpstreamKey0123456789ab';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};

let fake: FakeGemini;
let gw: RunningGateway;
let client: OpenAI;
let images: Server;
let imageOrigin: string;
const sleeps: number[] = [];

beforeAll(async () => {
  fake = await startFakeGemini({ apiKey: KEY });
  images = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PNG, 'base64')));
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imageOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  gw = await startGateway(
    {
      providers: {
        gem: { type: 'gemini', base_url: fake.url, api_key: KEY, allow_private_image_urls: true },
        badkey: { type: 'gemini', base_url: fake.url, api_key: 'AIzaSyWrongKeyWrongKeyWrongKey012345' },
      },
      models: {
        flash: { targets: [{ provider: 'gem', model: 'gemini-2.5-flash' }] },
        pro3: { targets: [{ provider: 'gem', model: 'gemini-3-pro-preview' }] },
        embed: { targets: [{ provider: 'gem', model: 'gemini-embedding-001' }] },
      },
    },
    {
      // Retries wait through an injected sleep: recorded, never slept.
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
  images.closeAllConnections();
  await new Promise<void>((resolve) => images.close(() => resolve()));
});

beforeEach(() => {
  fake.reset();
  sleeps.length = 0;
});

function last(): RecordedGeminiRequest & { body: Record<string, unknown> } {
  const request = fake.requests.at(-1);
  if (!request) throw new Error('the fake received no request');
  return request as RecordedGeminiRequest & { body: Record<string, unknown> };
}

describe('gemini: chat', () => {
  it('maps an OpenAI chat request to generateContent and Gemini\'s reply back to a chat.completion', async () => {
    fake.script({ reply: { kind: 'text', text: 'Bonjour !', usage: { input: 21, output: 3 } } });
    const { data: completion, response } = await client.chat.completions.create({
      model: 'flash',
      messages: [{ role: 'developer', content: 'Answer in French.' }, { role: 'user', content: 'Say hello' }],
      max_completion_tokens: 64, temperature: 0.4, top_p: 0.8, stop: ['STOP'], seed: 3, user: 'end-user-1',
    }).withResponse();

    const upstream = last();
    expect(upstream.method).toBe('POST');
    expect(upstream.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(upstream.headers['x-goog-api-key']).toBe(KEY);
    expect(upstream.url).not.toContain(KEY);
    expect(upstream.headers.authorization).toBeUndefined();
    expect(upstream.body).toEqual({
      systemInstruction: { parts: [{ text: 'Answer in French.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
      generationConfig: { stopSequences: ['STOP'], maxOutputTokens: 64, temperature: 0.4, topP: 0.8, seed: 3 },
    });

    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Bonjour !' } }],
      usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
    });
    expect(completion.id).toBe('chatcmpl-fakeGeminiResp1');
    // `user` has no Gemini equivalent: dropped, and the caller is told.
    expect(response.headers.get('x-switchyard-warnings')).toContain('user dropped');
  });

  it('strict mode refuses a field Gemini cannot express instead of dropping it', async () => {
    const error = await client.chat.completions.create(
      { model: 'flash', messages: [{ role: 'user', content: 'x' }], logit_bias: { 42: 1 } },
      { headers: { 'x-switchyard-strict': 'true' } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('logit_bias');
    expect(fake.requests).toHaveLength(0);
  });

  it('streams: alt=sse, CRLF frames split at odd byte positions, reassembled by the SDK; usage only when asked', async () => {
    const text = 'Grüße aus Köln — 東京 and 🚀 rockets, one frame at a time.';
    fake.script({ reply: { kind: 'text', text, usage: { input: 9, output: 40, reasoning: 25 } }, writeSizes: [7, 3, 11, 1] });
    const stream = await client.chat.completions.create({
      model: 'flash', messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(last().url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(text);
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual(['stop']);
    // One usage chunk, last, with the final cumulative counts (never a sum of the repeats).
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 25 } });

    fake.script({ reply: { kind: 'text', text: 'no usage here' } });
    const runner = client.chat.completions.stream({ model: 'flash', messages: [{ role: 'user', content: 'again' }] });
    const plain = [];
    for await (const chunk of runner) plain.push(chunk);
    expect((await runner.finalChatCompletion()).choices[0]?.message.content).toBe('no usage here');
    expect(plain.every((c) => c.choices.length === 1 && (c.usage ?? null) === null)).toBe(true);
  });

  it('json_schema → responseMimeType + responseJsonSchema; the JSON text comes back as content', async () => {
    fake.script({ reply: { kind: 'text', text: '{"city":"Lyon","rank":3}' } });
    const completion = await client.chat.completions.create({
      model: 'flash',
      messages: [{ role: 'user', content: 'A French city' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'c', strict: true, schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: 'string' }, rank: { type: 'integer' } }, required: ['city', 'rank'], additionalProperties: false } },
      },
    });
    expect(last().body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { city: { type: 'string' }, rank: { type: 'integer' } }, required: ['city', 'rank'], additionalProperties: false },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ city: 'Lyon', rank: 3 });
  });

  it('images: a data URL and an http URL (fetched by the gateway) both arrive as inlineData', async () => {
    fake.script({ reply: { kind: 'text', text: 'Two red dots.' } });
    const completion = await client.chat.completions.create({
      model: 'flash',
      messages: [{ role: 'user', content: [
        { type: 'text', text: 'Compare' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: 'image_url', image_url: { url: `${imageOrigin}/dot.png` } },
      ] }],
    });
    expect(completion.choices[0]?.message.content).toBe('Two red dots.');
    expect(last().body.contents).toEqual([{ role: 'user', parts: [
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { inlineData: { mimeType: 'image/png', data: PNG } },
    ] }]);
  });

  it('reasoning_effort on Gemini 3 → thinkingLevel + includeThoughts; thought summaries come back as reasoning_content', async () => {
    fake.script({ reply: { kind: 'text', text: '42.', reasoning: 'Six sevens.', usage: { input: 8, output: 120, reasoning: 118 } } });
    const completion = await client.chat.completions.create({ model: 'pro3', messages: [{ role: 'user', content: '6*7?' }], reasoning_effort: 'low' });
    expect(last().body.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } });
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.content).toBe('42.');
    expect(message.reasoning_content).toBe('Six sevens.');
    expect(completion.usage).toMatchObject({ completion_tokens: 120, completion_tokens_details: { reasoning_tokens: 118 } });
  });

  it('finish reasons: MAX_TOKENS → length, SAFETY → content_filter, a blocked prompt → content_filter (stream too)', async () => {
    fake.script({ reply: { kind: 'text', text: 'Once upon', finish: 'length' } });
    expect((await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 's' }] })).choices[0]?.finish_reason).toBe('length');
    fake.script({ reply: { kind: 'text', text: 'Once upon', finish: 'content_filter' } });
    const filtered = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 's' }] });
    expect(filtered.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: null } });

    const blocked = { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: 'gemini-2.5-flash', responseId: 'blk1' };
    fake.script({ status: 200, body: blocked });
    expect((await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 's' }] })).choices).toEqual([
      { index: 0, message: { role: 'assistant', content: null, refusal: null }, logprobs: null, finish_reason: 'content_filter' },
    ]);
    fake.script({ frames: [blocked] });
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 's' }], stream: true })) chunks.push(chunk);
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual(['content_filter']);
  });
});

describe('gemini: tools', () => {
  const ask: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and Rome?' }];

  it('a Gemini 3 tool round trip: declarations and toolConfig go up, calls come back, and the thought signature returns with the history', async () => {
    fake.script({ reply: { kind: 'tools', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_weather', arguments: { city: 'Rome' } }] } });
    const first = await client.chat.completions.create({ model: 'pro3', messages: ask, tools: [WEATHER], tool_choice: 'required' });
    expect(last().body.tools).toEqual([{ functionDeclarations: [{ name: 'get_weather', description: 'Current weather', parametersJsonSchema: WEATHER.function.parameters }] }]);
    expect(last().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });

    const message = first.choices[0]?.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = (message?.tool_calls ?? []).map((c) => (c.type === 'function' ? c : undefined));
    expect(calls.map((c) => [c?.function.name, JSON.parse(c?.function.arguments ?? 'null')])).toEqual([['get_weather', { city: 'Paris' }], ['get_weather', { city: 'Rome' }]]);
    const [signature] = [...fake.issuedSignatures];
    expect(calls[0]?.id).toContain(`__thought__${signature}`);

    // The client sends the assistant message back verbatim, as OpenAI clients do.
    fake.script({ reply: { kind: 'text', text: 'Sunny in Paris, rain in Rome.' } });
    const second = await client.chat.completions.create({
      model: 'pro3', tools: [WEATHER],
      messages: [...ask, message as ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: calls[0]?.id ?? '', content: '{"sky":"sunny"}' },
        { role: 'tool', tool_call_id: calls[1]?.id ?? '', content: 'rain' }],
    });
    expect(second.choices[0]?.message.content).toBe('Sunny in Paris, rain in Rome.');
    const contents = last().body.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    expect(contents[1]?.parts[0]).toMatchObject({ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: signature });
    expect(contents[1]?.parts[1]).not.toHaveProperty('thoughtSignature');
    expect(contents[2]).toEqual({ role: 'user', parts: [
      { functionResponse: { id: 'call_fakeGeminiResp1_0_0', name: 'get_weather', response: { sky: 'sunny' } } },
      { functionResponse: { id: 'call_fakeGeminiResp1_0_1', name: 'get_weather', response: { content: 'rain' } } },
    ] });
  });

  it('streamed tool calls: index/id/name on the first delta, valid JSON arguments, and the streamed id also round-trips', async () => {
    fake.script({ reply: { kind: 'tools', calls: [{ name: 'get_weather', arguments: { city: 'Zürich' } }] } });
    const runner = client.chat.completions.stream({ model: 'pro3', messages: ask, tools: [WEATHER] });
    const deltas = [];
    for await (const chunk of runner) deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
    const final = await runner.finalChatCompletion();
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(deltas[0]?.function?.arguments ?? '')).toEqual({ city: 'Zürich' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');

    const message = final.choices[0]?.message;
    const id = message?.tool_calls?.[0]?.id ?? '';
    fake.script({ reply: { kind: 'text', text: 'Cold.' } });
    const next = await client.chat.completions.create({
      model: 'pro3', tools: [WEATHER],
      messages: [...ask, { role: 'assistant', content: null, tool_calls: message?.tool_calls ?? [] }, { role: 'tool', tool_call_id: id, content: '-3C' }],
    });
    // The fake (like Gemini 3) refuses a replayed call without the signature it issued: success proves the round trip.
    expect(next.choices[0]?.message.content).toBe('Cold.');
  });

  it('a replayed call whose signature was lost gets the documented skip sentinel instead of a 400', async () => {
    fake.script({ reply: { kind: 'text', text: 'ok' } });
    await client.chat.completions.create({
      model: 'pro3', tools: [WEATHER],
      messages: [...ask, { role: 'assistant', content: null, tool_calls: [{ id: 'call_from_elsewhere', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_from_elsewhere', content: 'snow' }],
    });
    const contents = last().body.contents as Array<{ parts: Array<Record<string, unknown>> }>;
    expect(contents[1]?.parts[0]?.thoughtSignature).toBe('skip_thought_signature_validator');
  });

  it('a tool message answering no earlier call is a 400 before anything is sent', async () => {
    const error = await client.chat.completions.create({ model: 'flash', messages: [...ask, { role: 'tool', tool_call_id: 'ghost', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).param).toBe('messages[1].tool_call_id');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('gemini: errors', () => {
  it('a bad upstream key (Google: 400 API_KEY_INVALID) is a 502 for the caller, not a 400 or a 401', async () => {
    const error = await client.chat.completions.create({ model: 'badkey/gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(fake.requests.at(-1)?.headers['x-goog-api-key']).toBe('AIzaSyWrongKeyWrongKeyWrongKey012345');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.APIError>).error)).not.toContain('WrongKey');
  });

  it('429 RESOURCE_EXHAUSTED: the body\'s retryDelay is honoured for the retry, and becomes Retry-After when it is too long', async () => {
    fake.script({ reply: { kind: 'error', error: 'rate_limit', message: 'Quota exceeded.', retryAfterSeconds: 1.5 } });
    fake.script({ reply: { kind: 'text', text: 'after the wait' } });
    const ok = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] });
    expect(ok.choices[0]?.message.content).toBe('after the wait');
    expect(sleeps).toEqual([1500]);

    fake.script({ reply: { kind: 'error', error: 'rate_limit', message: 'Quota exceeded.', retryAfterSeconds: 34.4 } });
    const error = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('35');
  });

  it.each([
    ['overloaded', 'The model is overloaded. Please try again later.', 503, OpenAI.InternalServerError, 'upstream_unavailable'],
    ['context_length', 'The input token count (1233641) exceeds the maximum number of tokens allowed (1048575).', 400, OpenAI.BadRequestError, 'context_length_exceeded'],
    ['invalid_request', 'Invalid value at \'generation_config.temperature\' (TYPE_FLOAT), "hot"', 400, OpenAI.BadRequestError, 'invalid_request'],
  ] as const)('%s (%s) → HTTP %i', async (kind, message, status, type, code) => {
    // Overload is retried (twice by default): every attempt fails the same way.
    for (let i = 0; i < 3; i++) fake.script({ reply: { kind: 'error', error: kind, message } });
    const error = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe(code);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain(message);
  });

  it('a request the API itself rejects (invalid function name) comes back as Google\'s 400 message', async () => {
    const bad: ChatCompletionTool = { type: 'function', function: { name: '7days', parameters: { type: 'object' } } };
    const error = await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], tools: [bad] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('Invalid function name');
  });

  it('a stream cut before its finishReason ends with an in-band error, never a clean finish', async () => {
    fake.script({ reply: { kind: 'text', text: 'one two three four five six seven eight nine' }, cutAfter: 2 });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], stream: true })) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
      }
    })().catch((e: unknown) => e);
    expect(seen.join('')).toMatch(/^one two/);
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });

  it('a client that hangs up mid-stream closes the upstream request too', async () => {
    fake.script({ reply: { kind: 'text', text: 'one two three four five six' }, hangAfter: 1 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'flash', messages: [{ role: 'user', content: 'x' }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '') !== '') break;
    }
    controller.abort();
    await fake.waitForClose(1);
    expect(fake.closedRequests).toBe(1);
  });

  it('an in-band error frame after the first token is relayed in-band, sanitised', async () => {
    fake.script({ frames: [
      { candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'r' },
      { error: { code: 503, message: `Backend overloaded for key ${KEY}`, status: 'UNAVAILABLE' } },
    ] });
    const error = await (async () => {
      for await (const chunk of await client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }], stream: true })) void chunk;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toContain('Backend overloaded');
    expect(String((error as Error).message)).not.toContain(KEY);
  });
});

describe('gemini: embeddings', () => {
  it('input[] → batchEmbedContents; floats back; base64 (the SDK default) packed by the gateway; usage estimated', async () => {
    fake.script({ reply: { kind: 'embeddings', vectors: [[0.5, -0.25], [1, 2]] } });
    const floats = await client.embeddings.create({ model: 'embed', input: ['first text', 'second'], encoding_format: 'float', dimensions: 2 });
    expect(last().path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(last().body).toEqual({ requests: [
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'first text' }] }, outputDimensionality: 2 },
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'second' }] }, outputDimensionality: 2 },
    ] });
    expect(floats.data.map((d) => d.embedding)).toEqual([[0.5, -0.25], [1, 2]]);
    expect(floats.model).toBe('gemini-embedding-001');
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);

    fake.script({ reply: { kind: 'embeddings', vectors: [[0.125, -8]], usage: { input: 4 } } });
    const packed = await client.embeddings.create({ model: 'embed', input: 'just one' });
    expect(packed.data[0]?.embedding).toEqual([0.125, -8]);
    expect(packed.usage.prompt_tokens).toBe(4);
  });
});
