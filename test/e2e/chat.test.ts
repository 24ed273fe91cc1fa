/**
 * Chat completions (non-stream) through the official `openai` SDK → Switchyard → fake OpenAI:
 * response fields, usage, pass-through of unknown fields both ways, the upstream model id and
 * the upstream key, and tool calls.
 */
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CREATED, FAKE_SYSTEM_FINGERPRINT } from '../support/fake-openai.js';
import { createClientKey, startE2EStack, UPSTREAM_KEY, type E2EStack } from '../support/e2e-stack.js';

const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const TIME_TOOL: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
};

let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.fake.reset();
});

function lastUpstreamBody(): Record<string, unknown> {
  const request = stack.fake.requests.at(-1);
  if (!request) throw new Error('the upstream received no request');
  return request.body as Record<string, unknown>;
}

describe('chat completions (non-stream)', () => {
  it('returns a complete chat.completion with usage, and passes unknown upstream fields through', async () => {
    const { data: completion, response } = await stack.client.chat.completions
      .create({
        model: 'chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hi' },
        ],
      })
      .withResponse();

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(completion).toMatchObject({
      id: 'chatcmpl-fake1',
      object: 'chat.completion',
      created: FAKE_CREATED,
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: 'Hello from fake OpenAI: Say hi', refusal: null },
        },
      ],
    });
    // Fields Switchyard's canonical model does not know still reach an OpenAI-dialect caller.
    expect(completion.system_fingerprint).toBe(FAKE_SYSTEM_FINGERPRINT);
    expect(completion.service_tier).toBe('default');
    expect(completion.choices[0]?.message.annotations).toEqual([]);
    expect(completion.choices[0]?.logprobs).toBeNull();
    const usage = completion.usage;
    expect(usage).toBeDefined();
    expect(usage?.completion_tokens).toBe(6); // "Hello", " from", " fake", " OpenAI:", " Say", " hi"
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
    // Detail fields the canonical usage does not model (audio, predictions) are kept.
    expect(usage?.completion_tokens_details?.accepted_prediction_tokens).toBe(0);
  });

  it('reports the upstream token counts exactly, cached and reasoning subsets included', async () => {
    stack.fake.script({ reply: { text: 'ok', usage: { promptTokens: 120, completionTokens: 30, cachedTokens: 64, reasoningTokens: 12 } } });
    const completion = await stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 64 },
      completion_tokens_details: { reasoning_tokens: 12 },
    });
  });

  it('sends the upstream model id (not the public alias) and forwards unknown request fields', async () => {
    await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Hello' }],
      metadata: { team: 'blue', ticket: '42' },
      store: true,
      prediction: { type: 'content', content: 'Hello there' },
      temperature: 0.2,
      max_completion_tokens: 50,
      seed: 7,
    });
    expect(stack.fake.requests).toHaveLength(1);
    const request = stack.fake.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      metadata: { team: 'blue', ticket: '42' },
      store: true,
      prediction: { type: 'content', content: 'Hello there' },
      temperature: 0.2,
      max_completion_tokens: 50,
      seed: 7,
    });
    // A non-stream call must not turn into a stream upstream.
    expect(lastUpstreamBody().stream).toBeUndefined();
  });

  it('routes a direct provider/model name to that provider with the bare upstream model id', async () => {
    const completion = await stack.client.chat.completions.create({
      model: 'up/gpt-4.1-nano',
      messages: [{ role: 'user', content: 'direct' }],
    });
    expect(lastUpstreamBody().model).toBe('gpt-4.1-nano');
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: direct');
  });

  it('authenticates upstream with the provider key, never the client key', async () => {
    const clientKey = await createClientKey(stack.gw, { name: 'upstream-key-check' });
    const keyed = stack.clientFor(clientKey.key);
    await keyed.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    await stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });

    expect(stack.fake.requests).toHaveLength(2);
    for (const request of stack.fake.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      const wire = JSON.stringify(request.headers) + request.rawBody;
      expect(wire).not.toContain(clientKey.key);
      expect(wire).not.toContain(stack.gw.masterKey);
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers['api-key']).toBeUndefined();
    }
  });

  it('maps max_tokens truncation to finish_reason "length"', async () => {
    const completion = await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'one two three four five six seven' }],
      max_tokens: 3,
    });
    expect(lastUpstreamBody().max_tokens).toBe(3);
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.choices[0]?.message.content).toBe('Hello from fake');
  });
});

describe('tool calls (non-stream)', () => {
  it('forwards tool definitions and returns the model’s tool call', async () => {
    const completion = await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
    });
    expect(lastUpstreamBody()).toMatchObject({
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      // The fake's ids count requests across resets; the gateway must relay whichever it sent.
      { id: expect.stringMatching(/^call_\d{7}$/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  it('returns two parallel tool calls with their ids, names and arguments', async () => {
    stack.fake.script({
      reply: {
        toolCalls: [
          { id: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_time', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
        ],
      },
    });
    const completion = await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [WEATHER_TOOL, TIME_TOOL],
      parallel_tool_calls: true,
    });
    expect(lastUpstreamBody().parallel_tool_calls).toBe(true);
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : []))).toEqual([
      ['call_weather', 'get_weather', { city: 'Paris' }],
      ['call_time', 'get_time', { zone: 'Europe/Paris' }],
    ]);
  });

  it('sends a tool result turn back upstream intact', async () => {
    await stack.client.chat.completions.create({
      model: 'chat',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C, sunny' },
      ],
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
    });
    const messages = lastUpstreamBody().messages as Array<Record<string, unknown>>;
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    });
    expect(messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: '18°C, sunny' });
  });
});
