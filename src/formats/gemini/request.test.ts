import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { ChatRequest, Message, ToolChoice } from '../../core/types.js';
import { GEMINI_SKIP_THOUGHT_SIGNATURE } from './contents.js';
import { encodeGeminiChatRequest, geminiMajorVersion } from './request.js';

function request(messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'public', messages, stream: false, includeUsage: false, dialect: 'openai', ...extra };
}

function encode(req: ChatRequest, model = 'gemini-2.5-flash'): { body: Record<string, unknown>; drops: string[] } {
  const drops: string[] = [];
  const body = encodeGeminiChatRequest(req, { model, drop: (field) => void drops.push(field) });
  return { body, drops };
}

const user = (content: Message['content']): Message => ({ role: 'user', content });

describe('encodeGeminiChatRequest: messages', () => {
  it('leading system/developer messages → systemInstruction; later ones stay in place as user text', () => {
    const { body } = encode(request([
      { role: 'system', content: 'Be terse.' },
      { role: 'system', systemFlavor: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
      user('Hi'),
      { role: 'assistant', content: 'Hello.' },
      { role: 'system', content: 'Now answer in French.' },
      user('Weather?'),
    ]));
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Use metric units.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello.' }] },
      // Same-role turns merge: the later system text and the next user message share one turn.
      { role: 'user', parts: [{ text: 'Now answer in French.' }, { text: 'Weather?' }] },
    ]);
  });

  it('consecutive user messages merge; empty messages are left out (Gemini refuses empty parts)', () => {
    const { body } = encode(request([user('a'), user(''), { role: 'assistant', content: '' }, user('b')]));
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
    expect(body).not.toHaveProperty('systemInstruction');
  });

  it('a conversation of system messages only is sent as the user turn (Gemini refuses empty contents)', () => {
    const { body } = encode(request([{ role: 'system', content: 'Tell a joke.' }]));
    expect(body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Tell a joke.' }] }] });
  });

  it('images: data URLs → inlineData; Files API / gs:// URIs → fileData; detail is reported', () => {
    const { body, drops } = encode(request([user([
      { type: 'text', text: 'Compare' },
      { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
      { type: 'image', url: 'data:image/webp;charset=binary;base64,UklGRg==' },
      { type: 'image', url: 'gs://bucket/cat.jpg' },
    ])]));
    expect((body.contents as Array<{ parts: unknown[] }>)[0]?.parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
      { fileData: { fileUri: 'gs://bucket/cat.jpg' } },
    ]);
    expect(drops).toEqual(['messages[0].content[1].image_url.detail']);
  });

  it('audio and PDF files → inlineData; an OpenAI file id cannot be sent', () => {
    const { body, drops } = encode(request([user([
      { type: 'audio', data: 'UklGRiQ=', format: 'wav' },
      { type: 'file', data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
      { type: 'file', fileId: 'file-abc' },
    ])]));
    expect((body.contents as Array<{ parts: unknown[] }>)[0]?.parts).toEqual([
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRiQ=' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    ]);
    expect(drops).toEqual(['messages[0].content[2].file.file_id']);
  });

  it('a participant name cannot be expressed', () => {
    expect(encode(request([{ role: 'user', content: 'x', name: 'ann' }])).drops).toEqual(['messages[0].name']);
  });
});

describe('encodeGeminiChatRequest: tool calls and results', () => {
  const history: Message[] = [
    user('Weather in Paris and Tokyo?'),
    {
      role: 'assistant',
      content: null,
      toolCalls: [
        { id: 'call_r1_0_0__thought__SIG1==', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_r1_0_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      ],
    },
    { role: 'tool', toolCallId: 'call_r1_0_0__thought__SIG1==', content: '{"temp":18,"sky":"clear"}' },
    { role: 'tool', toolCallId: 'call_r1_0_1', content: 'rainy, 12C' },
  ];

  it('assistant calls → functionCall parts with the signature back; tool results → one user turn of functionResponses', () => {
    expect(encode(request(history), 'gemini-3-pro-preview').body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'call_r1_0_0', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'SIG1==' },
          // The second call of a parallel batch is unsigned, as Gemini itself sent it.
          { functionCall: { id: 'call_r1_0_1', name: 'get_weather', args: { city: 'Tokyo' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          // JSON-object output is sent as the response object; other text is wrapped.
          { functionResponse: { id: 'call_r1_0_0', name: 'get_weather', response: { temp: 18, sky: 'clear' } } },
          { functionResponse: { id: 'call_r1_0_1', name: 'get_weather', response: { content: 'rainy, 12C' } } },
        ],
      },
    ]);
  });

  it('Gemini 3: calls whose signature was lost get Google\'s documented skip sentinel, once per batch', () => {
    const foreign: Message[] = [
      user('q'),
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'toolu_01', name: 'a', arguments: '{}' }, { id: 'toolu_02', name: 'b', arguments: '' }] },
      { role: 'tool', toolCallId: 'toolu_01', content: [{ type: 'text', text: 'ok' }] },
      { role: 'tool', toolCallId: 'toolu_02', content: 'ok' },
    ];
    const model = (encode(request(foreign), 'gemini-3-flash-preview').body.contents as Array<{ parts: Array<Record<string, unknown>> }>)[1];
    expect(model?.parts.map((p) => p.thoughtSignature)).toEqual([undefined, GEMINI_SKIP_THOUGHT_SIGNATURE, GEMINI_SKIP_THOUGHT_SIGNATURE]);
    // Older models do not validate signatures: nothing is invented for them.
    const old = (encode(request(foreign), 'gemini-2.5-flash').body.contents as Array<{ parts: Array<Record<string, unknown>> }>)[1];
    expect(old?.parts.some((p) => 'thoughtSignature' in p)).toBe(false);
  });

  it('a signature given the way Google\'s OpenAI endpoint returns it (extra_content) is used too', () => {
    const messages: Message[] = [
      user('q'),
      { role: 'assistant', content: null, toolCalls: [{ id: 'x1', name: 'f', arguments: '{}', extra: { extra_content: { google: { thought_signature: 'GSIG' } } } }] },
      { role: 'tool', toolCallId: 'x1', content: 'done' },
    ];
    const parts = (encode(request(messages), 'gemini-3-pro-preview').body.contents as Array<{ parts: Array<Record<string, unknown>> }>)[1]?.parts;
    expect(parts?.[0]?.thoughtSignature).toBe('GSIG');
  });

  it('arguments that are not a JSON object are reported and sent as {}', () => {
    const messages: Message[] = [
      user('q'),
      { role: 'assistant', content: null, toolCalls: [{ id: 'c', name: 'f', arguments: '[1,2]' }, { id: 'd', name: 'g', arguments: '{oops' }] },
      { role: 'tool', toolCallId: 'c', content: 'r' },
      { role: 'tool', toolCallId: 'd', content: 'r' },
    ];
    const { body, drops } = encode(request(messages));
    expect(drops).toEqual(['messages[1].tool_calls[0].function.arguments', 'messages[1].tool_calls[1].function.arguments']);
    const parts = (body.contents as Array<{ parts: Array<{ functionCall?: { args: unknown } }> }>)[1]?.parts;
    expect(parts?.map((p) => p.functionCall?.args)).toEqual([{}, {}]);
  });

  it('a tool result answering no earlier call is a 400 naming the message', () => {
    const error = captureGatewayError(() => encode(request([user('q'), { role: 'tool', toolCallId: 'nope', content: 'x' }])));
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('messages[1].tool_call_id');
  });

  it('tool definitions → functionDeclarations with sanitised JSON Schema; tool_choice table', () => {
    const { body, drops } = encode(request([user('q')], {
      tools: [
        { name: 'get_weather', description: 'Weather', strict: true, parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: 'string', pattern: '^[A-Z]' } }, required: ['city'], additionalProperties: false } },
        { name: 'ping' },
      ],
      toolChoice: { name: 'get_weather' },
      parallelToolCalls: false,
    }));
    expect(body.tools).toEqual([{ functionDeclarations: [
      { name: 'get_weather', description: 'Weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
      { name: 'ping' },
    ] }]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    expect(drops).toEqual(['tools[0].function.strict', 'parallel_tool_calls']);
  });

  it.each<[ToolChoice, Record<string, unknown>]>([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [{ name: 'f' }, { mode: 'ANY', allowedFunctionNames: ['f'] }],
  ])('tool_choice %j → %j', (choice, config) => {
    expect(encode(request([user('q')], { tools: [{ name: 'f' }], toolChoice: choice })).body.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('no tools → no tools and no toolConfig, even with a tool_choice', () => {
    const { body } = encode(request([user('q')], { toolChoice: 'none' }));
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('toolConfig');
  });
});

describe('encodeGeminiChatRequest: generationConfig', () => {
  it('maps the sampling fields to camelCase generationConfig', () => {
    const { body, drops } = encode(request([user('q')], {
      maxTokens: 256, maxTokensField: 'max_tokens', temperature: 0.2, topP: 0.9, n: 2, stop: ['END'], seed: 7,
      presencePenalty: 0.1, frequencyPenalty: 0.3, user: 'u-1', extra: { logit_bias: { 1: 2 }, store: true },
    }));
    expect(body.generationConfig).toEqual({
      stopSequences: ['END'], maxOutputTokens: 256, temperature: 0.2, topP: 0.9, candidateCount: 2, seed: 7,
      presencePenalty: 0.1, frequencyPenalty: 0.3,
    });
    expect(drops).toEqual(['user', 'logit_bias', 'store']);
    expect(Object.keys(body)).toEqual(['contents', 'generationConfig']);
  });

  it('response_format: json_object → JSON mime type; json_schema → + responseJsonSchema (cleaned); text → nothing', () => {
    expect(encode(request([user('q')], { responseFormat: { type: 'json_object' } })).body.generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(encode(request([user('q')], { responseFormat: { type: 'text' } })).body).not.toHaveProperty('generationConfig');
    const schema = { type: 'object', properties: { kind: { const: 'city' }, tags: { type: 'array', items: { type: 'string', minLength: 1 } } }, required: ['kind'], additionalProperties: false };
    expect(encode(request([user('q')], { responseFormat: { type: 'json_schema', name: 'c', schema, strict: true } })).body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { kind: { enum: ['city'] }, tags: { type: 'array', items: { type: 'string' } } }, required: ['kind'], additionalProperties: false },
    });
  });

  it.each([
    ['gemini-3-pro-preview', 'medium', { thinkingLevel: 'medium', includeThoughts: true }],
    ['gemini-3-flash-preview', 'none', { thinkingLevel: 'minimal', includeThoughts: false }],
    ['gemini-3-flash-preview', 'xhigh', { thinkingLevel: 'high', includeThoughts: true }],
    ['gemini-2.5-flash', 'none', { thinkingBudget: 0, includeThoughts: false }],
    ['gemini-2.5-pro', 'low', { thinkingBudget: 1024, includeThoughts: true }],
    ['gemini-2.5-flash', 'high', { thinkingBudget: 24576, includeThoughts: true }],
  ])('%s with reasoning_effort %s → thinkingConfig %j', (model, effort, thinking) => {
    expect(encode(request([user('q')], { reasoningEffort: effort }), model).body.generationConfig).toEqual({ thinkingConfig: thinking });
  });

  it('reads the major version from model ids', () => {
    expect([geminiMajorVersion('gemini-3-pro-preview'), geminiMajorVersion('models/gemini-2.5-flash'), geminiMajorVersion('gemma-3-27b-it'), geminiMajorVersion('gemini-10-ultra')])
      .toEqual([3, 2, 0, 10]);
  });
});
