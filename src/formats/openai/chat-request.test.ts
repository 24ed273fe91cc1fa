import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { ChatRequest } from '../../core/types.js';
import { decodeOpenAIChatRequest, encodeOpenAIChatRequest } from './chat-request.js';

type Body = Record<string, unknown>;

const user = (content: unknown): Body => ({ role: 'user', content });
const minimal = (extra: Body = {}): Body => ({ model: 'gpt-4o-mini', messages: [user('Hi')], ...extra });

describe('decodeOpenAIChatRequest: valid requests', () => {
  it('decodes a minimal request with defaults', () => {
    expect(decodeOpenAIChatRequest(minimal())).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: false,
      includeUsage: false,
      dialect: 'openai',
    });
  });

  it('maps developer and system roles to system, remembering the flavour', () => {
    const request = decodeOpenAIChatRequest({
      model: 'm',
      messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'system', content: 'Old style.' }, user('Hi')],
    });
    expect(request.messages.map((m) => [m.role, m.systemFlavor])).toEqual([
      ['system', 'developer'],
      ['system', 'system'],
      ['user', undefined],
    ]);
  });

  it('decodes multimodal user parts', () => {
    const request = decodeOpenAIChatRequest(minimal({
      messages: [user([
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
        { type: 'file', file: { file_id: 'file-abc' } },
      ])],
    }));
    expect(request.messages[0]?.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', url: 'https://example.com/cat.png', detail: 'low' },
      { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'audio', data: 'UklGRg==', format: 'wav' },
      { type: 'file', data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
      { type: 'file', fileId: 'file-abc' },
    ]);
  });

  it('decodes an assistant tool-call turn and the tool answer', () => {
    const request = decodeOpenAIChatRequest(minimal({
      messages: [
        user('Weather in Paris?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      ],
    }));
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    expect(request.messages[2]).toEqual({ role: 'tool', content: '18°C', toolCallId: 'call_1' });
  });

  it('decodes tools, tool_choice, parallel_tool_calls and sampling fields', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const request = decodeOpenAIChatRequest(minimal({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      n: 2,
      stop: 'END',
      seed: -7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      reasoning_effort: 'low',
      user: 'u-1',
      max_completion_tokens: 64,
    }));
    expect(request).toMatchObject({
      tools: [{ name: 'get_weather', description: 'Weather', parameters, strict: true }],
      toolChoice: { name: 'get_weather' },
      parallelToolCalls: false,
      temperature: 0.2,
      topP: 0.9,
      n: 2,
      stop: ['END'],
      seed: -7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      reasoningEffort: 'low',
      user: 'u-1',
      maxTokens: 64,
      maxTokensField: 'max_completion_tokens',
    });
    expect(request.extra).toBeUndefined();
  });

  it.each(['auto', 'none', 'required'] as const)('accepts tool_choice %s', (choice) => {
    expect(decodeOpenAIChatRequest(minimal({ tool_choice: choice })).toolChoice).toBe(choice);
  });

  it.each([
    [{ type: 'text' }, { type: 'text' }],
    [{ type: 'json_object' }, { type: 'json_object' }],
    [
      { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true, description: 'd' } },
      { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true, description: 'd' },
    ],
  ])('decodes response_format %j', (wire, canonical) => {
    expect(decodeOpenAIChatRequest(minimal({ response_format: wire })).responseFormat).toEqual(canonical);
  });

  it.each([
    [{ max_tokens: 10 }, 10, 'max_tokens'],
    [{ max_completion_tokens: 20 }, 20, 'max_completion_tokens'],
    [{ max_tokens: 10, max_completion_tokens: 20 }, 20, 'max_completion_tokens'],
  ])('remembers which output-limit field was used: %j', (fields, maxTokens, field) => {
    const request = decodeOpenAIChatRequest(minimal(fields));
    expect([request.maxTokens, request.maxTokensField]).toEqual([maxTokens, field]);
  });

  it('reads stream and stream_options.include_usage', () => {
    const request = decodeOpenAIChatRequest(minimal({ stream: true, stream_options: { include_usage: true } }));
    expect([request.stream, request.includeUsage]).toEqual([true, true]);
  });

  it('keeps unknown fields in extra at top, message, part and tool-call level', () => {
    const request = decodeOpenAIChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }], x_trace: 'abc' },
        {
          role: 'assistant',
          content: 'ok',
          refusal: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' }, vendor_meta: 1 }],
        },
      ],
      logprobs: true,
      top_logprobs: 3,
      metadata: { team: 'x' },
      prompt_cache_key: 'k1',
    });
    expect(request.extra).toEqual({ logprobs: true, top_logprobs: 3, metadata: { team: 'x' }, prompt_cache_key: 'k1' });
    expect(request.messages[0]?.extra).toEqual({ x_trace: 'abc' });
    expect(request.messages[0]?.content).toEqual([{ type: 'text', text: 'Hi', extra: { cache_control: { type: 'ephemeral' } } }]);
    expect(request.messages[1]?.extra).toEqual({ refusal: null });
    expect(request.messages[1]?.toolCalls?.[0]?.extra).toEqual({ vendor_meta: 1 });
  });

  it('keeps unknown stream_options next to other unknown top-level fields', () => {
    const request = decodeOpenAIChatRequest(minimal({
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false },
      metadata: { a: 1 },
    }));
    expect(request.extra).toEqual({ stream_options: { include_obfuscation: false }, metadata: { a: 1 } });
  });
});

describe('decodeOpenAIChatRequest: invalid requests → 400 naming the param', () => {
  const cases: Array<[string, unknown, string]> = [
    ['body not an object', [], 'body'],
    ['body null', null, 'body'],
    ['model missing', { messages: [user('Hi')] }, 'model'],
    ['model not a string', { model: 42, messages: [user('Hi')] }, 'model'],
    ['messages missing', { model: 'm' }, 'messages'],
    ['messages not an array', { model: 'm', messages: 'Hi' }, 'messages'],
    ['messages empty', { model: 'm', messages: [] }, 'messages'],
    ['message not an object', { model: 'm', messages: ['Hi'] }, 'messages[0]'],
    ['role missing', { model: 'm', messages: [{ content: 'Hi' }] }, 'messages[0].role'],
    ['role unknown', { model: 'm', messages: [user('Hi'), { role: 'robot', content: 'x' }] }, 'messages[1].role'],
    ['user content missing', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content'],
    ['user content a number', { model: 'm', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['part type unknown', { model: 'm', messages: [user('a'), user([{ type: 'video', video: {} }])] }, 'messages[1].content[0].type'],
    ['part type missing', { model: 'm', messages: [user([{ text: 'x' }])] }, 'messages[0].content[0].type'],
    ['part not an object', { model: 'm', messages: [user(['x'])] }, 'messages[0].content[0]'],
    ['text part without text', { model: 'm', messages: [user([{ type: 'text' }])] }, 'messages[0].content[0].text'],
    ['image_url not an object', { model: 'm', messages: [user([{ type: 'image_url', image_url: 'u' }])] }, 'messages[0].content[0].image_url'],
    ['image_url without url', { model: 'm', messages: [user([{ type: 'text', text: 'a' }, { type: 'image_url', image_url: {} }])] }, 'messages[0].content[1].image_url.url'],
    ['audio without format', { model: 'm', messages: [user([{ type: 'input_audio', input_audio: { data: 'x' } }])] }, 'messages[0].content[0].input_audio.format'],
    ['file not an object', { model: 'm', messages: [user([{ type: 'file', file: 1 }])] }, 'messages[0].content[0].file'],
    ['tool message without tool_call_id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    ['tool_calls not an array', { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: {} }] }, 'messages[0].tool_calls'],
    ['tool call without function', { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c' }] }] }, 'messages[0].tool_calls[0].function'],
    ['tool call without id', { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [{ function: { name: 'f' } }] }] }, 'messages[0].tool_calls[0].id'],
    ['name not a string', { model: 'm', messages: [{ role: 'user', content: 'x', name: 1 }] }, 'messages[0].name'],
    ['stream not a boolean', minimal({ stream: 'yes' }), 'stream'],
    ['stream_options not an object', minimal({ stream_options: true }), 'stream_options'],
    ['include_usage not a boolean', minimal({ stream_options: { include_usage: 1 } }), 'stream_options.include_usage'],
    ['max_tokens zero', minimal({ max_tokens: 0 }), 'max_tokens'],
    ['max_completion_tokens fractional', minimal({ max_completion_tokens: 1.5 }), 'max_completion_tokens'],
    ['temperature a string', minimal({ temperature: '0.5' }), 'temperature'],
    ['top_p infinite', minimal({ top_p: Number.POSITIVE_INFINITY }), 'top_p'],
    ['n zero', minimal({ n: 0 }), 'n'],
    ['seed fractional', minimal({ seed: 1.5 }), 'seed'],
    ['stop item not a string', minimal({ stop: ['a', 2] }), 'stop[1]'],
    ['stop an object', minimal({ stop: { a: 1 } }), 'stop'],
    ['tools not an array', minimal({ tools: {} }), 'tools'],
    ['tool type custom', minimal({ tools: [{ type: 'custom', custom: { name: 'x' } }] }), 'tools[0].type'],
    ['tool without function', minimal({ tools: [{ type: 'function' }] }), 'tools[0].function'],
    ['tool without name', minimal({ tools: [{ type: 'function', function: { name: 'a' } }, { type: 'function', function: {} }] }), 'tools[1].function.name'],
    ['tool parameters not an object', minimal({ tools: [{ type: 'function', function: { name: 'a', parameters: [] } }] }), 'tools[0].function.parameters'],
    ['tool strict not a boolean', minimal({ tools: [{ type: 'function', function: { name: 'a', strict: 'yes' } }] }), 'tools[0].function.strict'],
    ['tool_choice unknown string', minimal({ tool_choice: 'always' }), 'tool_choice'],
    ['tool_choice function without name', minimal({ tool_choice: { type: 'function', function: {} } }), 'tool_choice.function.name'],
    ['parallel_tool_calls not a boolean', minimal({ parallel_tool_calls: 'no' }), 'parallel_tool_calls'],
    ['response_format not an object', minimal({ response_format: 'json' }), 'response_format'],
    ['response_format type unknown', minimal({ response_format: { type: 'xml' } }), 'response_format.type'],
    ['json_schema missing', minimal({ response_format: { type: 'json_schema' } }), 'response_format.json_schema'],
    ['json_schema without name', minimal({ response_format: { type: 'json_schema', json_schema: { schema: {} } } }), 'response_format.json_schema.name'],
    ['json_schema schema not an object', minimal({ response_format: { type: 'json_schema', json_schema: { name: 'a', schema: 'x' } } }), 'response_format.json_schema.schema'],
    ['reasoning_effort not a string', minimal({ reasoning_effort: 1 }), 'reasoning_effort'],
    ['user not a string', minimal({ user: 1 }), 'user'],
  ];

  it.each(cases)('%s → param %s', (_name, body, param) => {
    const error = captureGatewayError(() => decodeOpenAIChatRequest(body));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });
});

describe('encodeOpenAIChatRequest', () => {
  const rich: Body = {
    model: 'public-name',
    messages: [
      { role: 'developer', content: 'Be brief.', name: 'ops' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look', cache_control: { type: 'ephemeral' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
          { type: 'input_audio', input_audio: { data: 'AAAA', format: 'mp3' } },
          { type: 'file', file: { file_id: 'file-1', filename: 'a.pdf' } },
        ],
        x_trace: 't',
      },
      {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' }, vendor: 'v' }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'done' },
    ],
    tools: [{ type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object' }, strict: false } }],
    tool_choice: 'required',
    parallel_tool_calls: true,
    response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
    max_tokens: 50,
    temperature: 0,
    top_p: 1,
    n: 1,
    stop: ['x'],
    seed: 3,
    presence_penalty: 0,
    frequency_penalty: 0,
    reasoning_effort: 'high',
    user: 'u',
    logprobs: true,
    metadata: { a: 'b' },
  };

  it('round-trips an OpenAI body exactly with passthrough (only model replaced)', () => {
    const encoded = encodeOpenAIChatRequest(decodeOpenAIChatRequest(rich), { model: 'gpt-4o', passthrough: true });
    expect(encoded).toEqual({ ...rich, model: 'gpt-4o' });
  });

  it('drops every unknown field without passthrough', () => {
    const encoded = encodeOpenAIChatRequest(decodeOpenAIChatRequest(rich), { model: 'gpt-4o', passthrough: false });
    expect(encoded).not.toHaveProperty('logprobs');
    expect(encoded).not.toHaveProperty('metadata');
    const messages = encoded.messages as Body[];
    expect(messages[1]).not.toHaveProperty('x_trace');
    expect((messages[1]?.content as Body[])[0]).toEqual({ type: 'text', text: 'Look' });
    expect(messages[2]).not.toHaveProperty('refusal');
    expect((messages[2]?.tool_calls as Body[])[0]).toEqual({ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } });
    expect(messages[0]).toEqual({ role: 'developer', content: 'Be brief.', name: 'ops' });
    expect(encoded.max_tokens).toBe(50);
  });

  it('drops extras when the request came from another dialect even if passthrough is asked', () => {
    const request: ChatRequest = { ...decodeOpenAIChatRequest(rich), dialect: 'anthropic' };
    const encoded = encodeOpenAIChatRequest(request, { model: 'gpt-4o', passthrough: true });
    expect(encoded).not.toHaveProperty('metadata');
    expect((encoded.messages as Body[])[1]).not.toHaveProperty('x_trace');
  });

  it.each([
    ['no stream_options', {}, { include_usage: true }],
    ['include_usage false', { stream_options: { include_usage: false } }, { include_usage: true }],
    ['include_usage true', { stream_options: { include_usage: true } }, { include_usage: true }],
    ['other options kept', { stream_options: { include_obfuscation: false } }, { include_obfuscation: false, include_usage: true }],
  ])('streaming always asks upstream for usage (%s)', (_name, fields, expected) => {
    const request = decodeOpenAIChatRequest(minimal({ stream: true, ...fields }));
    const encoded = encodeOpenAIChatRequest(request, { model: 'x', passthrough: true });
    expect(encoded.stream).toBe(true);
    expect(encoded.stream_options).toEqual(expected);
  });

  it('keeps unknown stream_options alongside other extras', () => {
    const request = decodeOpenAIChatRequest(minimal({ stream: true, stream_options: { include_obfuscation: false }, metadata: { a: 1 } }));
    const encoded = encodeOpenAIChatRequest(request, { model: 'x', passthrough: true });
    expect(encoded.stream_options).toEqual({ include_obfuscation: false, include_usage: true });
    expect(encoded.metadata).toEqual({ a: 1 });
  });

  it('sends include_usage upstream even without passthrough', () => {
    const request = decodeOpenAIChatRequest(minimal({ stream: true, stream_options: { include_obfuscation: false } }));
    expect(encodeOpenAIChatRequest(request, { model: 'x', passthrough: false }).stream_options).toEqual({ include_usage: true });
  });

  it('omits stream fields for a non-streaming request', () => {
    const encoded = encodeOpenAIChatRequest(decodeOpenAIChatRequest(minimal()), { model: 'x', passthrough: true });
    expect(encoded).toEqual({ model: 'x', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it.each([
    [{ max_tokens: 7 }, { max_tokens: 7 }],
    [{ max_completion_tokens: 9 }, { max_completion_tokens: 9 }],
  ])('writes the output limit in the field the caller used: %j', (fields, expected) => {
    const encoded = encodeOpenAIChatRequest(decodeOpenAIChatRequest(minimal(fields)), { model: 'x', passthrough: false });
    expect(encoded).toMatchObject(expected);
    expect(Object.keys(encoded).filter((k) => k.startsWith('max_'))).toEqual(Object.keys(expected));
  });

  it('uses max_completion_tokens when the caller named no field (another dialect)', () => {
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: false, includeUsage: false, maxTokens: 5, dialect: 'anthropic' };
    expect(encodeOpenAIChatRequest(request, { model: 'x', passthrough: true })).toEqual({
      model: 'x', messages: [{ role: 'user', content: 'x' }], max_completion_tokens: 5,
    });
  });

  it('writes a refusal part back as the message refusal field', () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [{ role: 'assistant', content: [{ type: 'refusal', text: 'No.' }] }, { role: 'user', content: 'why' }],
      stream: false, includeUsage: false, dialect: 'openai',
    };
    const encoded = encodeOpenAIChatRequest(request, { model: 'x', passthrough: true });
    expect((encoded.messages as Body[])[0]).toEqual({ role: 'assistant', content: null, refusal: 'No.' });
  });

  it('encodes a named tool_choice and plain response formats', () => {
    const request = decodeOpenAIChatRequest(minimal({
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_object' },
    }));
    const encoded = encodeOpenAIChatRequest(request, { model: 'x', passthrough: false });
    expect(encoded.tool_choice).toEqual({ type: 'function', function: { name: 'f' } });
    expect(encoded.response_format).toEqual({ type: 'json_object' });
  });
});
