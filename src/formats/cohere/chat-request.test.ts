import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { GatewayError } from '../../core/errors.js';
import type { JsonObject } from '../../core/parse.js';
import type { ChatRequest, ToolChoice } from '../../core/types.js';
import { decodeOpenAIChatRequest } from '../openai/chat-request.js';
import { encodeCohereChatRequest } from './chat-request.js';

/** Encodes an OpenAI request body for Cohere; returns the body and the dropped fields. */
function encode(openai: JsonObject): { body: JsonObject; dropped: string[] } {
  const dropped: string[] = [];
  const body = encodeCohereChatRequest(decodeOpenAIChatRequest({ model: 'public-name', ...openai }), {
    model: 'command-a-03-2025',
    drop: (field) => void dropped.push(field),
  });
  return { body, dropped };
}

const USER = [{ role: 'user', content: 'Hi' }];
const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const TIME = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };

describe('encodeCohereChatRequest: messages', () => {
  it('maps every role, keeping tool calls in OpenAI shape and answering them by tool_call_id', () => {
    const { body, dropped } = encode({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'system', content: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant', content: 'Let me check.', refusal: null, annotations: [],
          tool_calls: [{ id: 'get_weather_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'get_weather_abc123', content: '{"temp":21}' },
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use metric units.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        tool_plan: 'Let me check.',
        tool_calls: [{ id: 'get_weather_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'get_weather_abc123', content: '{"temp":21}' },
      { role: 'assistant', content: 'It is 21 °C.' },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
    // OpenAI-only message fields an SDK echoes back (refusal, annotations) are not warnings.
    expect(dropped).toEqual([]);
  });

  it('sends an assistant turn with tool calls and no text without tool_plan or content', () => {
    const { body } = encode({
      messages: [...USER, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }],
    });
    expect((body.messages as JsonObject[])[1]).toEqual({ role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] });
  });

  it('passes images (data URI and https, with detail) as image_url parts', () => {
    const { body } = encode({
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.jpg', detail: 'low' } },
        ],
      }],
    });
    expect((body.messages as JsonObject[])[0]?.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/a.jpg', detail: 'low' } },
    ]);
  });

  it('drops what Cohere cannot take: audio and file parts, names, images outside user turns', () => {
    const { body, dropped } = encode({
      messages: [
        { role: 'system', content: 'x', name: 'ops' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Listen' },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-1' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'result' }] },
      ],
    });
    expect(dropped).toEqual(['messages[0].name', 'messages[1].content[1]', 'messages[1].content[2]']);
    expect((body.messages as JsonObject[])[1]?.content).toEqual([{ type: 'text', text: 'Listen' }]);
    expect((body.messages as JsonObject[])[2]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'result' });
  });
});

describe('encodeCohereChatRequest: parameters', () => {
  it('renames sampling fields and keeps the upstream model id', () => {
    const { body, dropped } = encode({
      messages: USER, max_completion_tokens: 64, temperature: 0.2, top_p: 0.9, seed: 7, stop: 'END',
      frequency_penalty: 0.1, presence_penalty: 0.3, stream: true, stream_options: { include_usage: true },
    });
    expect(body).toEqual({
      model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], stream: true,
      max_tokens: 64, temperature: 0.2, p: 0.9, seed: 7, stop_sequences: ['END'], frequency_penalty: 0.1, presence_penalty: 0.3,
    });
    expect(dropped).toEqual([]);
  });

  it('omits stream for a non-stream call and reads max_tokens too', () => {
    const { body } = encode({ messages: USER, max_tokens: 5 });
    expect(body).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 });
  });

  it.each<[string, unknown, unknown]>([
    ['json_object', { type: 'json_object' }, { type: 'json_object' }],
    ['json_schema', { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: { type: 'object' } } }, { type: 'json_object', json_schema: { type: 'object' } }],
    ['json_schema without schema', { type: 'json_schema', json_schema: { name: 'x' } }, { type: 'json_object' }],
    ['text', { type: 'text' }, undefined],
  ])('response_format %s', (_name, format, expected) => {
    expect(encode({ messages: USER, response_format: format }).body.response_format).toEqual(expected);
  });

  it.each([
    ['none', { type: 'disabled' }],
    ['low', { type: 'enabled' }],
    ['high', { type: 'enabled' }],
  ])('reasoning_effort %s → thinking %o', (effort, thinking) => {
    expect(encode({ messages: USER, reasoning_effort: effort }).body.thinking).toEqual(thinking);
  });

  it('drops n > 1, parallel_tool_calls:false, user and unknown OpenAI fields; passes Cohere-native extras', () => {
    const { body, dropped } = encode({
      messages: USER, n: 2, parallel_tool_calls: false, user: 'u-1', logit_bias: { 1: 1 }, store: true,
      safety_mode: 'STRICT', top_k: 40, documents: [{ data: { text: 'doc' } }], thinking: { type: 'enabled', token_budget: 512 },
    });
    expect(dropped).toEqual(['n', 'parallel_tool_calls', 'user', 'logit_bias', 'store']);
    expect(body).toMatchObject({ safety_mode: 'STRICT', k: 40, documents: [{ data: { text: 'doc' } }], thinking: { type: 'enabled', token_budget: 512 } });
    expect(body).not.toHaveProperty('n');
    expect(body).not.toHaveProperty('user');
    expect(body).not.toHaveProperty('logit_bias');
    expect(encode({ messages: USER, n: 1, parallel_tool_calls: true }).dropped).toEqual([]);
  });
});

describe('encodeCohereChatRequest: tools', () => {
  const withChoice = (choice: unknown): JsonObject => encode({ messages: USER, tools: [WEATHER, TIME], tool_choice: choice }).body;

  it('keeps the OpenAI tool shape (parameters default to an empty object schema)', () => {
    const { body } = encode({ messages: USER, tools: [WEATHER, TIME] });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('strict_tools');
  });

  it.each<[string, unknown, string | undefined, string[]]>([
    ['auto', 'auto', undefined, ['get_weather', 'get_time']],
    ['none', 'none', 'NONE', ['get_weather', 'get_time']],
    ['required', 'required', 'REQUIRED', ['get_weather', 'get_time']],
    ['named', { type: 'function', function: { name: 'get_time' } }, 'REQUIRED', ['get_time']],
  ])('tool_choice %s', (_name, choice, expected, names) => {
    const body = withChoice(choice);
    expect(body.tool_choice).toEqual(expected);
    expect((body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual(names);
  });

  it('refuses a named tool_choice that is not among the tools', () => {
    const error = captureGatewayError(() => withChoice({ type: 'function', function: { name: 'nope' } }));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.param).toBe('tool_choice');
  });

  it('sends no tool_choice without tools, and strict_tools when a tool asks for strictness', () => {
    expect(encode({ messages: USER, tool_choice: 'required' }).body).not.toHaveProperty('tool_choice');
    const strict = { type: 'function', function: { ...WEATHER.function, strict: true } };
    const { body } = encode({ messages: USER, tools: [strict] });
    expect(body.strict_tools).toBe(true);
    expect(JSON.stringify(body.tools)).not.toContain('strict');
  });

  it('builds the body from canonical fields only (no spreading of the caller body)', () => {
    const request: ChatRequest = {
      model: 'x', messages: [{ role: 'user', content: 'Hi' }], stream: false, includeUsage: false, dialect: 'openai',
      toolChoice: 'auto' satisfies ToolChoice, extra: { stream_options: {} },
    };
    const dropped: string[] = [];
    expect(encodeCohereChatRequest(request, { model: 'm', drop: (f) => void dropped.push(f) })).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    expect(dropped).toEqual([]);
  });
});
