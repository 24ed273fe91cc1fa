import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { encodeOpenAIChatResponse } from '../openai/chat-response.js';
import { decodeCohereChatResponse } from './chat-response.js';
import { mapCohereFinishReason } from './finish-reason.js';
import { decodeCohereUsage } from './usage.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const OPTIONS = { model: 'command-a-03-2025', now: () => 1_770_000_000 };

describe('mapCohereFinishReason (PROTOCOLS §9.1)', () => {
  it.each([
    ['COMPLETE', 'stop'],
    ['STOP_SEQUENCE', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['TOOL_CALL', 'tool_calls'],
    ['ERROR', 'error'],
    ['TIMEOUT', 'error'],
    ['SOMETHING_NEW', 'stop'],
  ])('%s → %s', (raw, mapped) => {
    expect(mapCohereFinishReason(raw)).toBe(mapped);
  });
});

describe('decodeCohereUsage (PROTOCOLS §9.2)', () => {
  it.each<[string, unknown, unknown]>([
    [
      'tokens, cached subset and billed units kept aside',
      { billed_units: { input_tokens: 12, output_tokens: 7 }, tokens: { input_tokens: 507, output_tokens: 10 }, cached_tokens: 448 },
      { inputTokens: 507, outputTokens: 10, cacheReadTokens: 448, extra: { billed_units: { input_tokens: 12, output_tokens: 7 } } },
    ],
    ['no cache', { tokens: { input_tokens: 10, output_tokens: 2 } }, { inputTokens: 10, outputTokens: 2 }],
    ['cached_tokens 0', { tokens: { input_tokens: 10, output_tokens: 2 }, cached_tokens: 0 }, { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0 }],
    ['billed units only: not token counts', { billed_units: { input_tokens: 9, output_tokens: 3 } }, undefined],
    ['absent', undefined, undefined],
    ['malformed counts', { tokens: { input_tokens: 'x' } }, undefined],
  ])('%s', (_name, wire, expected) => {
    expect(decodeCohereUsage(wire)).toEqual(expected);
  });
});

describe('decodeCohereChatResponse', () => {
  it('decodes text with usage; the model is the one requested', () => {
    expect(decodeCohereChatResponse(fixture('cohere-text.json'), OPTIONS)).toEqual({
      id: 'e7592632-1e3d-424f-b129-bd5f9f980f7b',
      model: 'command-a-03-2025',
      created: 1_770_000_000,
      choices: [{ index: 0, text: 'The capital of France is Paris.', finishReason: 'stop', rawFinishReason: 'COMPLETE' }],
      usage: { inputTokens: 507, outputTokens: 10, cacheReadTokens: 448, extra: { billed_units: { input_tokens: 12, output_tokens: 7 } } },
      dialect: 'cohere',
    });
  });

  it('decodes tool calls: null text, OpenAI-shaped calls, the plan as reasoning', () => {
    const choice = decodeCohereChatResponse(fixture('cohere-tool-call.json'), OPTIONS).choices[0];
    expect(choice?.text).toBeNull();
    expect(choice?.finishReason).toBe('tool_calls');
    expect(choice?.reasoning).toMatch(/^I will use the weather tool/);
    expect(choice?.toolCalls).toEqual([
      { id: 'weather_dqgshstja6p9', name: 'weather', arguments: '{"location":"San Francisco"}' },
      { id: 'cityAttractions_dcxfx4myvx68', name: 'cityAttractions', arguments: '{"city":"San Francisco"}' },
    ]);
  });

  it('decodes thinking content as reasoning', () => {
    const choice = decodeCohereChatResponse(fixture('cohere-reasoning.json'), OPTIONS).choices[0];
    expect(choice?.text).toBe('2 + 2 = 4');
    expect(choice?.reasoning).toMatch(/^Okay, so I need to figure out/);
  });

  it.each([['null'], [''], [null]])("turns tool arguments %j (a tool without parameters) into '{}'", (args) => {
    const body = {
      id: 'x', finish_reason: 'TOOL_CALL',
      message: { role: 'assistant', tool_calls: [{ id: 't_1', type: 'function', function: { name: 'now', arguments: args } }] },
    };
    expect(decodeCohereChatResponse(body).choices[0]?.toolCalls?.[0]?.arguments).toBe('{}');
  });

  it('gives an empty text (not null) when there is neither text nor a tool call', () => {
    const body = { id: 'x', finish_reason: 'MAX_TOKENS', message: { role: 'assistant', content: [] } };
    expect(decodeCohereChatResponse(body).choices[0]).toMatchObject({ text: '', finishReason: 'length' });
  });

  it('throws upstream_error on a body without a message', () => {
    expect(captureGatewayError(() => decodeCohereChatResponse({ id: 'x' })).code).toBe('upstream_error');
    expect(captureGatewayError(() => decodeCohereChatResponse('nope')).code).toBe('upstream_error');
  });

  it('re-encodes as an OpenAI chat.completion without Cohere-only fields', () => {
    const body = encodeOpenAIChatResponse(decodeCohereChatResponse(fixture('cohere-tool-call.json'), OPTIONS));
    expect(body).toMatchObject({
      id: 'f201af17-e24a-4396-8f6a-98e8bf9c3432',
      object: 'chat.completion',
      model: 'command-a-03-2025',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null } }],
      usage: { prompt_tokens: 1549, completion_tokens: 103, total_tokens: 1652, prompt_tokens_details: { cached_tokens: 992 } },
    });
    expect(JSON.stringify(body)).not.toContain('billed_units');
    expect(JSON.stringify(body)).not.toContain('TOOL_CALL');
  });
});
