import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { encodeOpenAIChatResponse } from '../openai/chat-response.js';
import { decodeOllamaTimestamp, decodeOllamaUsage, mapOllamaFinishReason } from './mapping.js';
import { decodeOllamaChatResponse } from './response.js';
import { buildOllamaToolCallId, decodeOllamaToolCall, decodeOllamaToolCalls } from './tool-calls.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));

describe('decodeOllamaChatResponse', () => {
  it('a text reply: one choice, usage from the eval counts, created from created_at', () => {
    const response = decodeOllamaChatResponse(readJson('ollama-chat.json'));
    expect(response).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      model: 'llama3.2',
      created: 1751919941,
      choices: [{ index: 0, text: 'Hello! How can I help you today? — café ☕', finishReason: 'stop', rawFinishReason: 'stop' }],
      usage: { inputTokens: 30, outputTokens: 13 },
      dialect: 'ollama',
    });
  });

  it('thinking and tool calls: reasoning, calls with ids as sent and arguments as JSON text, finish tool_calls, no content', () => {
    const response = decodeOllamaChatResponse(readJson('ollama-chat-tool-call.json'));
    expect(response.choices).toEqual([{
      index: 0,
      text: null,
      reasoning: 'The user asks for the weather in two cities, so I call get_weather twice.',
      toolCalls: [
        { id: 'call_t7qz0c4d', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_p2mv8s1e', name: 'get_weather', arguments: '{"city":"Berlin","days":3}' },
      ],
      finishReason: 'tool_calls',
      rawFinishReason: 'stop',
    }]);
    expect(response.usage).toEqual({ inputTokens: 211, outputTokens: 96 });
  });

  it('re-encodes as the chat.completion an OpenAI client expects', () => {
    const body = encodeOpenAIChatResponse(decodeOllamaChatResponse(readJson('ollama-chat-tool-call.json')));
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'qwen3:8b',
      choices: [{
        index: 0,
        finish_reason: 'tool_calls',
        message: {
          role: 'assistant', content: null, reasoning_content: expect.any(String),
          tool_calls: [
            { id: 'call_t7qz0c4d', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_p2mv8s1e', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Berlin","days":3}' } },
          ],
        },
      }],
      usage: { prompt_tokens: 211, completion_tokens: 96, total_tokens: 307 },
    });
  });

  it('keeps text beside tool calls, and an empty thinking is no reasoning', () => {
    const response = decodeOllamaChatResponse({
      model: 'm', created_at: 'bad', done: true, done_reason: 'stop',
      message: { role: 'assistant', content: 'Let me check.', thinking: '', tool_calls: [{ function: { name: 'f', arguments: {} } }] },
    });
    expect(response.choices[0]).toMatchObject({ text: 'Let me check.', finishReason: 'tool_calls' });
    expect(response.choices[0]?.reasoning).toBeUndefined();
    expect(response.usage).toBeUndefined();
  });

  it.each([
    ['an NDJSON stream read as JSON (a string)', '{"model":"m"}\n{"model":"m"}'],
    ['no message', { model: 'm', done: true }],
    ['an array', []],
  ])('refuses %s with upstream_error', (_name, body) => {
    expect(captureGatewayError(() => decodeOllamaChatResponse(body))).toMatchObject({ code: 'upstream_error', status: 502 });
  });
});

describe('mapping tables', () => {
  it.each<[string | null, boolean, string]>([
    ['stop', false, 'stop'], ['stop', true, 'tool_calls'], ['length', false, 'length'], ['length', true, 'length'],
    ['load', false, 'stop'], ['unload', false, 'stop'], ['', false, 'stop'], [null, false, 'stop'], [null, true, 'tool_calls'],
    ['novel', false, 'stop'],
  ])('done_reason %j with tool calls seen=%s → %s', (raw, sawTools, expected) => {
    expect(mapOllamaFinishReason(raw, sawTools)).toBe(expected);
  });

  it.each<[Record<string, unknown>, unknown]>([
    [{ prompt_eval_count: 10, eval_count: 5 }, { inputTokens: 10, outputTokens: 5 }],
    [{ eval_count: 5 }, { inputTokens: 0, outputTokens: 5 }],
    [{ prompt_eval_count: 10 }, { inputTokens: 10, outputTokens: 0 }],
    [{}, undefined],
    [{ prompt_eval_count: -1, eval_count: 'x' }, undefined],
  ])('usage %j → %j (no cache or reasoning subsets)', (body, expected) => {
    expect(decodeOllamaUsage(body)).toEqual(expected);
  });

  it.each<[unknown, number]>([
    ['2025-07-07T20:22:19.184789Z', 1751919739],
    ['2024-01-01T00:00:00.123456789-07:00', 1704092400],
    ['2025-07-07T20:22:19Z', 1751919739],
    [undefined, 1234],
    ['yesterday', 1234],
  ])('created_at %j → %d', (value, expected) => {
    expect(decodeOllamaTimestamp(value, () => 1_234_567)).toBe(expected);
  });
});

describe('tool calls', () => {
  it('synthesised ids are deterministic and depend on the reply, the ordinal, the name and the arguments', () => {
    const base = { createdAt: '2025-01-01T00:00:00Z', ordinal: 0, name: 'f', args: '{}' };
    const id = buildOllamaToolCallId(base);
    expect(id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(buildOllamaToolCallId(base)).toBe(id);
    for (const change of [{ createdAt: '2025-01-01T00:00:01Z' }, { ordinal: 1 }, { name: 'g' }, { args: '{"a":1}' }]) {
      expect(buildOllamaToolCallId({ ...base, ...change })).not.toBe(id);
    }
  });

  it('keeps string arguments as sent, defaults missing ones to {}, ignores an empty id', () => {
    expect(decodeOllamaToolCall({ function: { name: 'f', arguments: '{"a":1}' } }, { createdAt: 'x', ordinal: 0 })).toMatchObject({ arguments: '{"a":1}' });
    expect(decodeOllamaToolCall({ id: '', function: { name: 'f' } }, { createdAt: 'x', ordinal: 0 })).toEqual({
      id: buildOllamaToolCallId({ createdAt: 'x', ordinal: 0, name: 'f', args: '{}' }), name: 'f', arguments: '{}',
    });
    expect(decodeOllamaToolCalls('nope', 'x')).toEqual([]);
    expect(decodeOllamaToolCalls([{ function: { name: 'a' } }, { function: { name: 'b' } }], 'x', 3).map((c) => c.id)).toEqual([
      buildOllamaToolCallId({ createdAt: 'x', ordinal: 3, name: 'a', args: '{}' }),
      buildOllamaToolCallId({ createdAt: 'x', ordinal: 4, name: 'b', args: '{}' }),
    ]);
  });
});
