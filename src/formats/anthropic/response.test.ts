import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { encodeOpenAIChatResponse } from '../openai/chat-response.js';
import { mapAnthropicStopReason } from './finish-reason.js';
import { ANTHROPIC_JSON_TOOL_NAME } from './json-tool.js';
import { decodeAnthropicResponse } from './response.js';
import { decodeAnthropicUsage } from './usage.js';

const readJson = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'], ['stop_sequence', 'stop'], ['pause_turn', 'stop'], ['compaction', 'stop'], ['something_new', 'stop'],
    ['max_tokens', 'length'], ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'], ['refusal', 'content_filter'],
  ] as const)('%s → %s', (raw, expected) => {
    expect(mapAnthropicStopReason(raw)).toBe(expected);
  });

  it('tool_use of only the JSON-output tool → stop', () => {
    expect(mapAnthropicStopReason('tool_use', { jsonOnly: true })).toBe('stop');
  });
});

describe('decodeAnthropicUsage', () => {
  it.each([
    ['plain', { input_tokens: 12, output_tokens: 9 }, { inputTokens: 12, outputTokens: 9 }],
    [
      'cache reads and writes are added to the prompt',
      { input_tokens: 40, cache_read_input_tokens: 1800, cache_creation_input_tokens: 200, output_tokens: 5 },
      { inputTokens: 2040, outputTokens: 5, cacheReadTokens: 1800, cacheWriteTokens: 200 },
    ],
    [
      'thinking tokens are a subset of output',
      { input_tokens: 3, output_tokens: 50, output_tokens_details: { thinking_tokens: 31 } },
      { inputTokens: 3, outputTokens: 50, reasoningTokens: 31 },
    ],
    ['null cache fields are absent', { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: null }, { inputTokens: 1, outputTokens: 1 }],
  ])('%s', (_label, wire, expected) => {
    expect(decodeAnthropicUsage(wire)).toEqual(expected);
  });

  it('is undefined without counts', () => {
    expect(decodeAnthropicUsage(undefined)).toBeUndefined();
    expect(decodeAnthropicUsage({ service_tier: 'standard' })).toBeUndefined();
  });
});

describe('decodeAnthropicResponse', () => {
  it('text blocks are joined; usage normalised; dialect anthropic', () => {
    const response = decodeAnthropicResponse(readJson('anthropic-text.json'));
    expect(response).toMatchObject({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-haiku-4-5-20251001',
      dialect: 'anthropic',
      choices: [{ index: 0, text: 'Hello! Un café ☕ — ça va ?', finishReason: 'stop', rawFinishReason: 'end_turn' }],
      usage: { inputTokens: 12, outputTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    expect(response.choices[0]).not.toHaveProperty('toolCalls');
    expect(response.choices[0]).not.toHaveProperty('reasoning');
  });

  it('thinking, text and tool_use: reasoning with its signature, tool calls with JSON arguments ("{}" for none)', () => {
    const response = decodeAnthropicResponse(readJson('anthropic-tool-use.json'));
    const choice = response.choices[0];
    expect(choice?.text).toBe("I'll check.");
    expect(choice?.reasoning).toBe('The user wants the weather; I will call the tool.');
    expect(choice?.reasoningParts).toEqual([
      { type: 'reasoning', text: 'The user wants the weather; I will call the tool.', signature: expect.stringMatching(/^EvQB/) },
    ]);
    expect(choice?.toolCalls).toEqual([
      { id: 'toolu_01QE1WxYz8bGk4LmNpRsTuVw', name: 'get_weather', arguments: '{"city":"Paris","units":"celsius"}' },
      { id: 'toolu_01NoArgs000000000000000', name: 'updateIssueList', arguments: '{}' },
    ]);
    expect(choice).toMatchObject({ finishReason: 'tool_calls', rawFinishReason: 'tool_use' });
    expect(response.usage).toEqual({ inputTokens: 565 + 100 + 1200, outputTokens: 148, cacheReadTokens: 1200, cacheWriteTokens: 100, reasoningTokens: 31 });
  });

  it('re-encoded for an OpenAI caller: reasoning_content plus thinking_blocks carrying the signature', () => {
    const body = encodeOpenAIChatResponse(decodeAnthropicResponse(readJson('anthropic-tool-use.json')));
    const message = (body.choices as Array<{ message: Record<string, unknown> }>)[0]?.message;
    expect(message?.reasoning_content).toBe('The user wants the weather; I will call the tool.');
    expect(message?.thinking_blocks).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather; I will call the tool.', signature: expect.stringMatching(/^EvQB/) },
    ]);
    expect(body.usage).toMatchObject({ prompt_tokens: 1865, completion_tokens: 148, total_tokens: 2013, prompt_tokens_details: { cached_tokens: 1200, cache_write_tokens: 100 } });
  });

  it('redacted thinking is kept for the round trip, unsigned thinking is not', () => {
    const response = decodeAnthropicResponse({
      id: 'msg_1', model: 'm', stop_reason: 'end_turn',
      content: [{ type: 'redacted_thinking', data: 'ENCRYPTED' }, { type: 'text', text: 'Hi' }],
    });
    expect(response.choices[0]?.reasoningParts).toEqual([{ type: 'reasoning', text: '', redactedData: 'ENCRYPTED' }]);
    const unsigned = decodeAnthropicResponse({ id: 'msg_2', model: 'm', stop_reason: 'end_turn', content: [{ type: 'thinking', thinking: 'T', signature: '' }] });
    expect(unsigned.choices[0]).toMatchObject({ reasoning: 'T', text: null });
    expect(unsigned.choices[0]).not.toHaveProperty('reasoningParts');
  });

  it("Switchyard's JSON tool becomes the text and finishes with stop", () => {
    const response = decodeAnthropicResponse({
      id: 'msg_3', model: 'm', stop_reason: 'tool_use',
      content: [{ type: 'tool_use', id: 'toolu_x', name: ANTHROPIC_JSON_TOOL_NAME, input: { answer: 42, note: 'ünï' } }],
    });
    expect(response.choices[0]).toMatchObject({ text: '{"answer":42,"note":"ünï"}', finishReason: 'stop', rawFinishReason: 'tool_use' });
    expect(response.choices[0]).not.toHaveProperty('toolCalls');
  });

  it('refusal → content_filter; max_tokens → length; no text → null content', () => {
    expect(decodeAnthropicResponse({ id: 'a', content: [], stop_reason: 'refusal' }).choices[0]).toMatchObject({ text: null, finishReason: 'content_filter' });
    expect(decodeAnthropicResponse({ id: 'b', content: [{ type: 'text', text: 'cut' }], stop_reason: 'max_tokens' }).choices[0])
      .toMatchObject({ text: 'cut', finishReason: 'length' });
  });

  it('throws upstream_error for a body that is not a message', () => {
    expect(captureGatewayError(() => decodeAnthropicResponse({ type: 'error' })).code).toBe('upstream_error');
    expect(captureGatewayError(() => decodeAnthropicResponse('nope')).code).toBe('upstream_error');
  });
});
