import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { ChatRequest, EmbeddingRequest, Message, ToolChoice } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';
import { decodeOpenAIChatRequest } from '../openai/chat-request.js';
import { encodeMistralChatRequest, encodeMistralEmbeddingRequest, encodeMistralToolChoice } from './request.js';
import { mapMistralToolCallId } from './tool-ids.js';

/** A build context that records drops (non-strict mode). */
function recordingContext(): BuildContext & { dropped: string[] } {
  const dropped: string[] = [];
  return { dropped, drop: (field) => void dropped.push(field) };
}

function encode(body: Record<string, unknown>, context: BuildContext = recordingContext()): Record<string, unknown> {
  return encodeMistralChatRequest(decodeOpenAIChatRequest({ model: 'public', ...body }), 'mistral-small-latest', context);
}

const chat = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest =>
  ({ model: 'public', messages, stream: false, includeUsage: false, dialect: 'openai', ...extra });

describe('mapMistralToolCallId', () => {
  it('keeps an id that is already 9 alphanumerics (Mistral\'s own)', () => {
    expect(mapMistralToolCallId('gSIMJiOkT')).toBe('gSIMJiOkT');
    expect(mapMistralToolCallId('D681PevKs')).toBe('D681PevKs');
  });

  it.each(['call_abc123', 'toolu_01A09q90qw90lq917835lq9', 'c8a2f0e4-1b3d-4e5f-8a9b-0c1d2e3f4a5b', 'abc', 'abcdefgh_', ''])(
    'hashes %j to 9 alphanumerics, the same every time',
    (id) => {
      const mapped = mapMistralToolCallId(id);
      expect(mapped).toMatch(/^[A-Za-z0-9]{9}$/);
      expect(mapMistralToolCallId(id)).toBe(mapped);
    },
  );

  it('different ids map to different ids', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `call_${i}`);
    expect(new Set(ids.map(mapMistralToolCallId)).size).toBe(ids.length);
  });
});

describe('encodeMistralChatRequest: sampling and limits', () => {
  it('renames seed and max_completion_tokens, keeps the fields Mistral shares with OpenAI', () => {
    const body = encode({
      messages: [{ role: 'user', content: 'hi' }],
      seed: 42, max_completion_tokens: 64, temperature: 0.3, top_p: 0.9, n: 2, stop: 'END',
      presence_penalty: 0.5, frequency_penalty: 0.25, reasoning_effort: 'high',
    });
    expect(body).toEqual({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'hi' }],
      random_seed: 42, max_tokens: 64, temperature: 0.3, top_p: 0.9, n: 2, stop: ['END'],
      presence_penalty: 0.5, frequency_penalty: 0.25, reasoning_effort: 'high',
    });
  });

  it('max_tokens is max_tokens too', () => {
    expect(encode({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 7 }).max_tokens).toBe(7);
  });

  it('streams without stream_options (Mistral sends usage by itself and refuses the field)', () => {
    const body = encode({ messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    expect(body.stream).toBe(true);
    expect(body).not.toHaveProperty('stream_options');
  });
});

describe('encodeMistralChatRequest: unknown fields', () => {
  it('passes Mistral extension fields an OpenAI caller adds (safe_prompt, prompt_mode …)', () => {
    const context = recordingContext();
    const body = encode({ messages: [{ role: 'user', content: 'hi' }], safe_prompt: true, prompt_mode: 'reasoning', metadata: { team: 'blue' } }, context);
    expect(body).toMatchObject({ safe_prompt: true, prompt_mode: 'reasoning', metadata: { team: 'blue' } });
    expect(context.dropped).toEqual([]);
  });

  it('drops, and reports, every field Mistral would refuse with a 422', () => {
    const context = recordingContext();
    const body = encode({
      messages: [{ role: 'user', content: 'hi' }],
      user: 'u-1', store: true, logprobs: true, top_logprobs: 2, logit_bias: { 1: 2 }, service_tier: 'auto',
      stream_options: { include_usage: true, include_obfuscation: false }, stream: true,
    }, context);
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream']);
    expect(context.dropped.sort()).toEqual(['logit_bias', 'logprobs', 'service_tier', 'store', 'stream_options', 'top_logprobs', 'user']);
  });

  it('in strict mode a drop refuses the request (the context throws)', () => {
    const strict: BuildContext = {
      drop: (field) => {
        throw new Error(`refused ${field}`);
      },
    };
    expect(() => encode({ messages: [{ role: 'user', content: 'hi' }], store: true }, strict)).toThrow('refused store');
  });

  it('extension fields from another dialect are not passed (only OpenAI callers use them)', () => {
    const context = recordingContext();
    const body = encodeMistralChatRequest(
      chat([{ role: 'user', content: 'hi' }], { dialect: 'anthropic', extra: { safe_prompt: true } }), 'm', context,
    );
    expect(body).not.toHaveProperty('safe_prompt');
    expect(context.dropped).toEqual(['safe_prompt']);
  });
});

describe('encodeMistralChatRequest: tools and formats', () => {
  it.each<[ToolChoice, unknown]>([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'any'],
    [{ name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }],
  ])('tool_choice %j → %j', (choice, expected) => {
    expect(encodeMistralToolChoice(choice)).toEqual(expected);
  });

  it('tools keep name, description, parameters and strict; a tool without parameters gets an empty schema', () => {
    const body = encode({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
        { type: 'function', function: { name: 'ping' } },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
      { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.tool_choice).toBe('any');
    expect(body.parallel_tool_calls).toBe(false);
  });

  it.each([
    [{ type: 'text' }, { type: 'text' }],
    [{ type: 'json_object' }, { type: 'json_object' }],
    [
      { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object' }, strict: true, description: 'A city' } },
      { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object' }, strict: true, description: 'A city' } },
    ],
    [{ type: 'json_schema', json_schema: { name: 'free' } }, { type: 'json_schema', json_schema: { name: 'free', schema: {} } }],
  ])('response_format %j', (format, expected) => {
    expect(encode({ messages: [{ role: 'user', content: 'hi' }], response_format: format }).response_format).toEqual(expected);
  });
});

describe('encodeMistralChatRequest: messages', () => {
  it('developer becomes system; a tool loop gets 9-character ids, consistent between call and result, and the tool name', () => {
    const body = encode({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_abc123', content: '21 °C' },
      ],
    });
    const id = mapMistralToolCallId('call_abc123');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', content: '21 °C', tool_call_id: id, name: 'get_weather' },
    ]);
  });

  it('a user turn right after a tool result gets an empty assistant bridge', () => {
    const body = encode({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'gSIMJiOkT', type: 'function', function: { name: 'w', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'gSIMJiOkT', content: 'sunny' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    expect((body.messages as Array<Record<string, unknown>>).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect((body.messages as unknown[])[3]).toEqual({ role: 'assistant', content: '' });
    // Mistral's own id passes unchanged; empty arguments are sent as an empty object.
    expect((body.messages as unknown[])[1]).toEqual({
      role: 'assistant', content: '', tool_calls: [{ id: 'gSIMJiOkT', type: 'function', function: { name: 'w', arguments: '{}' } }],
    });
  });

  it('a trailing assistant message is a prefix; an earlier one is not', () => {
    const body = encode({
      messages: [
        { role: 'user', content: 'Write a haiku.' },
        { role: 'assistant', content: 'Autumn' },
        { role: 'user', content: 'Continue it.' },
        { role: 'assistant', content: 'Leaves fall' },
      ],
    });
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages[1]).toEqual({ role: 'assistant', content: 'Autumn' });
    expect(messages[3]).toEqual({ role: 'assistant', content: 'Leaves fall', prefix: true });
  });

  it('user parts: text, image URL and data URL (with detail), PDF document; audio dropped and reported', () => {
    const context = recordingContext();
    const body = encode({
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR', detail: 'low' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
          { type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } },
        ],
      }],
    }, context);
    expect(body.messages).toEqual([{
      role: 'user',
      content: [
        { type: 'text', text: 'Look' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR', detail: 'low' } },
        { type: 'document_url', document_url: 'data:application/pdf;base64,JVBER', document_name: 'a.pdf' },
      ],
    }]);
    expect(context.dropped).toEqual(['messages[0].content[4]']);
  });

  it('message names are dropped and reported (Mistral refuses them); echoed response fields are left out silently', () => {
    const context = recordingContext();
    const body = encode({
      messages: [
        { role: 'user', content: 'hi', name: 'alice' },
        { role: 'assistant', content: 'Hello', refusal: null, annotations: [] },
        { role: 'user', content: 'again' },
      ],
    }, context);
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'again' },
    ]);
    expect(context.dropped).toEqual(['messages[0].name']);
  });
});

describe('encodeMistralEmbeddingRequest', () => {
  const embedding = (extra: Partial<EmbeddingRequest> = {}): EmbeddingRequest =>
    ({ model: 'e', input: ['a', 'b'], single: false, encodingFormat: 'base64', dialect: 'openai', ...extra });

  it('asks for floats whatever the caller wants (the gateway encodes base64), dimensions as output_dimension', () => {
    expect(encodeMistralEmbeddingRequest(embedding({ dimensions: 256 }), 'mistral-embed', recordingContext())).toEqual({
      model: 'mistral-embed', input: ['a', 'b'], encoding_format: 'float', output_dimension: 256,
    });
  });

  it('a single input stays a string; user and extras are dropped', () => {
    const context = recordingContext();
    const body = encodeMistralEmbeddingRequest(embedding({ input: ['only'], single: true, user: 'u', extra: { x: 1 } }), 'm', context);
    expect(body.input).toBe('only');
    expect(context.dropped).toEqual(['user', 'x']);
  });

  it('token-id input cannot be expressed', () => {
    const error = captureGatewayError(() => encodeMistralEmbeddingRequest(embedding({ input: [[1, 2, 3]] }), 'm', recordingContext()));
    expect(error.code).toBe('unsupported');
    expect(error.param).toBe('input');
  });
});
