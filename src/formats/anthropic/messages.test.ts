import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { Message } from '../../core/types.js';
import { createBuildContext } from '../../providers/build-context.js';
import { decodeOpenAIMessages } from '../openai/messages.js';
import { encodeAnthropicPrompt, type AnthropicPrompt } from './messages.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Decodes OpenAI messages (as the ingress does) and encodes them for Anthropic. */
function encode(messages: unknown[], strict = false): AnthropicPrompt & { warnings: string[] } {
  const warnings: string[] = [];
  const context = createBuildContext({ warnings, strict }, 'claude');
  return { ...encodeAnthropicPrompt(decodeOpenAIMessages(messages), { context, passthrough: false }), warnings };
}

const call = (id: string, name = 'get_weather', args = '{"city":"Paris"}'): Record<string, unknown> =>
  ({ id, type: 'function', function: { name, arguments: args } });

describe('encodeAnthropicPrompt: roles', () => {
  it('hoists every system and developer message, in order, into top-level system blocks', () => {
    const out = encode([
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Later rule.' },
      { role: 'assistant', content: 'Salut' },
    ]);
    expect(out.system).toEqual([
      { type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Answer in French.' }, { type: 'text', text: 'Later rule.' },
    ]);
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Salut' }] },
    ]);
  });

  it('drops empty system text and non-text system parts (with a warning)', () => {
    const out = encode([
      { role: 'system', content: '' },
      { role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] },
      { role: 'user', content: 'Hi' },
    ]);
    expect(out.system).toEqual([]);
    expect(out.warnings).toEqual(['messages[1].content[0] dropped for claude: Anthropic system prompts take text only']);
  });

  it('merges consecutive turns of the same role so user and assistant alternate', () => {
    const out = encode([
      { role: 'user', content: 'One' },
      { role: 'user', content: [{ type: 'text', text: 'Two' }] },
      { role: 'assistant', content: 'A' },
      { role: 'assistant', content: 'B' },
      { role: 'user', content: 'Three' },
    ]);
    expect(out.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(out.messages[0]?.content).toEqual([{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }]);
    expect(out.messages[1]?.content).toEqual([{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }]);
  });

  it('never sends empty text blocks; a message left empty disappears and its neighbours merge', () => {
    const out = encode([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '' },
      { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'again' }] },
    ]);
    expect(out.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'again' }] }]);
  });

  it('trims trailing whitespace from a final (prefill) assistant text only', () => {
    const out = encode([{ role: 'user', content: 'List:  ' }, { role: 'assistant', content: 'Here it is:\n ' }]);
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'List:  ' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Here it is:' }] },
    ]);
    expect(encode([{ role: 'user', content: 'x' }, { role: 'assistant', content: '  ' }]).messages).toHaveLength(1);
  });
});

describe('encodeAnthropicPrompt: tool calls and results', () => {
  it('assistant tool calls become tool_use blocks after the text; content "" sends no text block', () => {
    const out = encode([
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', tool_calls: [call('toolu_1'), call('toolu_2', 'ping', '')] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'pong' },
    ]);
    expect(out.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_2', name: 'ping', input: {} },
      ],
    });
  });

  it('parallel results: ONE user message, tool_result blocks in call order, user text after them', () => {
    const out = encode([
      { role: 'user', content: 'Weather in 3 cities?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [call('a'), call('b'), call('c')] },
      { role: 'tool', tool_call_id: 'c', content: 'C result' },
      { role: 'user', content: 'Also, hurry.' },
      { role: 'tool', tool_call_id: 'a', content: [{ type: 'text', text: 'A result' }, { type: 'text', text: '' }] },
      { role: 'tool', tool_call_id: 'b', content: '' },
    ]);
    expect(out.messages).toHaveLength(3);
    expect(out.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'A result' }] },
        { type: 'tool_result', tool_use_id: 'b' },
        { type: 'tool_result', tool_use_id: 'c', content: 'C result' },
        { type: 'text', text: 'Also, hurry.' },
      ],
    });
  });

  it('ids other providers minted with characters Anthropic refuses are rewritten the same way on both sides', () => {
    const out = encode([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [call('fc:0/weather.1')] },
      { role: 'tool', tool_call_id: 'fc:0/weather.1', content: 'ok' },
    ]);
    expect(out.messages[1]?.content[0]).toMatchObject({ type: 'tool_use', id: 'fc_0_weather_1' });
    expect(out.messages[2]?.content[0]).toEqual({ type: 'tool_result', tool_use_id: 'fc_0_weather_1', content: 'ok' });
  });

  it('arguments that are not a JSON object are sent as {} with a warning (400 in strict mode)', () => {
    const messages = [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call('t', 'f', '{"cut": ')] }];
    const out = encode(messages);
    expect(out.messages[1]?.content).toEqual([{ type: 'tool_use', id: 't', name: 'f', input: {} }]);
    expect(out.warnings).toEqual(['messages[1].tool_calls[0].function.arguments dropped for claude: not a JSON object, sent to Anthropic as {}']);
    expect(captureGatewayError(() => encode(messages, true))).toMatchObject({ code: 'unsupported', param: 'messages[1].tool_calls[0].function.arguments' });
    expect(encode([{ role: 'assistant', content: null, tool_calls: [call('t', 'f', '[1,2]')] }]).warnings).toHaveLength(1);
  });
});

describe('encodeAnthropicPrompt: images and documents', () => {
  const user = (part: Record<string, unknown>): unknown[] => [{ role: 'user', content: [{ type: 'text', text: 'Look' }, part] }];

  it('data URL → base64 source; https URL → url source', () => {
    expect(encode(user({ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } })).messages[0]?.content[1])
      .toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } });
    expect(encode(user({ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'auto' } })))
      .toMatchObject({ messages: [{ content: [{}, { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } }] }], warnings: [] });
  });

  it('detail low/high has no Anthropic equivalent: dropped with a warning', () => {
    const out = encode(user({ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } }));
    expect(out.warnings).toEqual(['messages[0].content[1].image_url.detail dropped for claude: Anthropic has no image detail setting']);
  });

  it.each([
    ['data:image/bmp;base64,Qk0=', /JPEG, PNG, GIF and WebP/],
    ['data:image/png,rawbytes', /https URLs or base64 data URLs/],
    ['ftp://example.com/a.png', /https URLs or base64 data URLs/],
  ])('refuses image %s with a 400 naming the part', (url, message) => {
    const error = captureGatewayError(() => encode(user({ type: 'image_url', image_url: { url } })));
    expect(error).toMatchObject({ code: 'unsupported', status: 400, param: 'messages[0].content[1].image_url.url' });
    expect(error.message).toMatch(message);
  });

  it('PDF and plain-text files become document blocks; provider file ids are dropped', () => {
    const pdf = encode(user({ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }));
    expect(pdf.messages[0]?.content[1]).toEqual({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' });
    const text = encode(user({ type: 'file', file: { file_data: `data:text/plain;base64,${Buffer.from('héllo').toString('base64')}` } }));
    expect(text.messages[0]?.content[1]).toEqual({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } });
    const id = encode(user({ type: 'file', file: { file_id: 'file-abc' } }));
    expect(id.messages[0]?.content).toHaveLength(1);
    expect(id.warnings).toEqual(['messages[0].content[1].file.file_id dropped for claude: file ids belong to the provider that issued them']);
    expect(captureGatewayError(() => encode(user({ type: 'file', file: { file_data: 'data:application/zip;base64,UEs=' } })))).toMatchObject({ code: 'unsupported' });
  });

  it('refuses audio input (400)', () => {
    const error = captureGatewayError(() => encode(user({ type: 'input_audio', input_audio: { data: 'AAA=', format: 'wav' } })));
    expect(error).toMatchObject({ code: 'unsupported', param: 'messages[0].content[1].input_audio' });
  });
});

describe('encodeAnthropicPrompt: thinking sent back', () => {
  const turn = (assistant: Record<string, unknown>): unknown[] => [
    { role: 'user', content: 'Q' },
    { role: 'assistant', content: 'Let me check.', tool_calls: [call('t1')], ...assistant },
    { role: 'tool', tool_call_id: 't1', content: 'ok' },
  ];

  it('thinking_blocks from the OpenAI message go first in the assistant turn, redacted ones too', () => {
    const out = encode(turn({ thinking_blocks: [{ type: 'thinking', thinking: 'Hmm.', signature: 's1' }, { type: 'redacted_thinking', data: 'ENC' }] }));
    expect(out.messages[1]?.content.map((b) => b.type)).toEqual(['thinking', 'redacted_thinking', 'text', 'tool_use']);
    expect(out.messages[1]?.content.slice(0, 2)).toEqual([{ type: 'thinking', thinking: 'Hmm.', signature: 's1' }, { type: 'redacted_thinking', data: 'ENC' }]);
  });

  it('a streamed reply sends the signature with empty thinking: filled from reasoning_content', () => {
    const out = encode(turn({ reasoning_content: 'Full thought.', thinking_blocks: [{ type: 'thinking', thinking: '', signature: 's2' }] }));
    expect(out.messages[1]?.content[0]).toEqual({ type: 'thinking', thinking: 'Full thought.', signature: 's2' });
  });

  it('unsigned reasoning (reasoning_content alone, malformed blocks) is not sent', () => {
    const out = encode(turn({ reasoning_content: 'x', thinking_blocks: [{ type: 'thinking', thinking: 'x' }, 'junk'] }));
    expect(out.messages[1]?.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
  });

  it('canonical reasoning parts with signatures (e.g. from an Anthropic caller) become thinking blocks', () => {
    const messages: Message[] = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'T', signature: 'sig' }, { type: 'reasoning', text: '', redactedData: 'R' }, { type: 'text', text: 'A' }] },
    ];
    const context = createBuildContext({ warnings: [] }, 'claude');
    expect(encodeAnthropicPrompt(messages, { context, passthrough: false }).messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'T', signature: 'sig' }, { type: 'redacted_thinking', data: 'R' }, { type: 'text', text: 'A' },
    ]);
  });
});
