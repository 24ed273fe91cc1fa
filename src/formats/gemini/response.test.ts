import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { encodeOpenAIChatResponse } from '../openai/chat-response.js';
import { mapGeminiFinishReason } from './finish-reason.js';
import { decodeGeminiChatResponse } from './response.js';
import { decodeGeminiUsage } from './usage.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));

describe('mapGeminiFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['IMAGE_SAFETY', false, 'content_filter'],
    ['IMAGE_PROHIBITED_CONTENT', false, 'content_filter'],
    ['IMAGE_RECITATION', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'],
    ['UNEXPECTED_TOOL_CALL', false, 'stop'],
    ['TOO_MANY_TOOL_CALLS', true, 'stop'],
    ['LANGUAGE', false, 'stop'],
    ['OTHER', false, 'stop'],
    ['NO_IMAGE', false, 'stop'],
    ['FINISH_REASON_UNSPECIFIED', false, 'stop'],
    ['SOMETHING_NEW', false, 'stop'],
  ] as const)('%s (function calls: %s) → %s', (raw, tools, expected) => {
    expect(mapGeminiFinishReason(raw, tools)).toBe(expected);
  });
});

describe('decodeGeminiUsage', () => {
  it.each([
    ['plain', { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }, { inputTokens: 10, outputTokens: 5 }],
    ['thoughts are added to the output and reported as reasoning',
      { promptTokenCount: 9, candidatesTokenCount: 23, thoughtsTokenCount: 302, totalTokenCount: 334 },
      { inputTokens: 9, outputTokens: 325, reasoningTokens: 302 }],
    ['cached tokens are already inside the prompt count',
      { promptTokenCount: 1200, candidatesTokenCount: 30, cachedContentTokenCount: 1024, totalTokenCount: 1230 },
      { inputTokens: 1200, outputTokens: 30, cacheReadTokens: 1024 }],
    ['tool-use prompt tokens are input',
      { promptTokenCount: 58, candidatesTokenCount: 30, toolUsePromptTokenCount: 4, thoughtsTokenCount: 98, totalTokenCount: 190 },
      { inputTokens: 62, outputTokens: 128, reasoningTokens: 98 }],
    ['a blocked prompt has no candidates count', { promptTokenCount: 9, totalTokenCount: 9 }, { inputTokens: 9, outputTokens: 0 }],
  ])('%s', (_name, metadata, usage) => {
    expect(decodeGeminiUsage(metadata)).toEqual(usage);
  });

  it('is undefined without a prompt count', () => {
    expect(decodeGeminiUsage(undefined)).toBeUndefined();
    expect(decodeGeminiUsage({ candidatesTokenCount: 3 })).toBeUndefined();
  });
});

describe('decodeGeminiChatResponse', () => {
  it('a text reply: id from responseId, model from modelVersion, normalised usage', () => {
    const response = decodeGeminiChatResponse(readJson('gemini-text.json'));
    expect(response).toMatchObject({
      id: 'chatcmpl-txtResp42',
      model: 'gemini-2.5-flash',
      dialect: 'gemini',
      choices: [{ index: 0, text: 'Paris is the capital of France. 🇫🇷', finishReason: 'stop', rawFinishReason: 'STOP' }],
      usage: { inputTokens: 1200, outputTokens: 267, cacheReadTokens: 1024, reasoningTokens: 256 },
    });
    // What the OpenAI caller finally sees.
    expect(encodeOpenAIChatResponse(response).usage).toEqual({
      prompt_tokens: 1200, completion_tokens: 267, total_tokens: 1467,
      prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 256 },
    });
  });

  it('Gemini 3 parallel calls: tool_calls with synthesized ids (signature on the first), reasoning kept, STOP → tool_calls', () => {
    const response = decodeGeminiChatResponse(readJson('gemini-3-parallel-tool-calls.json'));
    const choice = response.choices[0];
    expect(choice).toMatchObject({ text: null, reasoning: 'Let me check both.', finishReason: 'tool_calls', rawFinishReason: 'STOP' });
    expect(choice?.toolCalls).toEqual([
      { id: 'call_lpndqlkuResp_0_0__thought__AY89a19YsnFp7FOSIejJDV9XuMU996D+ZaDJiD6L9EEi+Lh+VGTEGqM3Lip3DPI7QzY=', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_lpndqlkuResp_0_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
    ]);
    const encoded = encodeOpenAIChatResponse(response) as { choices: Array<{ finish_reason: string; message: Record<string, unknown> }> };
    expect(encoded.choices[0]?.finish_reason).toBe('tool_calls');
    expect(encoded.choices[0]?.message.reasoning_content).toBe('Let me check both.');
  });

  it('Gemini\'s own functionCall.id is used as the tool-call id', () => {
    const response = decodeGeminiChatResponse({
      candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'fc-77', name: 'f', args: {} } }] }, finishReason: 'STOP', index: 0 }],
      modelVersion: 'gemini-2.5-pro',
    });
    expect(response.choices[0]?.toolCalls?.[0]?.id).toBe('fc-77');
    expect(response.id).toMatch(/^chatcmpl-/);
  });

  it('a blocked prompt (HTTP 200, no candidates) → one content_filter choice with null content', () => {
    expect(decodeGeminiChatResponse(readJson('gemini-prompt-blocked.json')).choices).toEqual([
      { index: 0, text: null, finishReason: 'content_filter', rawFinishReason: 'SAFETY' },
    ]);
  });

  it('a SAFETY candidate without content → content_filter, content null', () => {
    const response = decodeGeminiChatResponse({ candidates: [{ finishReason: 'SAFETY', index: 0 }], modelVersion: 'm' });
    expect(response.choices).toEqual([{ index: 0, text: null, finishReason: 'content_filter', rawFinishReason: 'SAFETY' }]);
  });

  it('several candidates → several choices; the model falls back to the hint', () => {
    const response = decodeGeminiChatResponse({
      candidates: [
        { content: { role: 'model', parts: [{ text: 'A' }, { text: 'B' }] }, finishReason: 'STOP', index: 0 },
        { content: { role: 'model', parts: [{ text: 'C' }] }, finishReason: 'MAX_TOKENS', index: 1 },
      ],
    }, { model: 'gemini-2.5-flash' });
    expect(response.model).toBe('gemini-2.5-flash');
    expect(response.choices.map((c) => [c.index, c.text, c.finishReason])).toEqual([[0, 'AB', 'stop'], [1, 'C', 'length']]);
  });

  it('a body that is not a GenerateContentResponse is an upstream error', () => {
    expect(captureGatewayError(() => decodeGeminiChatResponse('nope')).code).toBe('upstream_error');
    expect(captureGatewayError(() => decodeGeminiChatResponse({ modelVersion: 'm' })).code).toBe('upstream_error');
  });
});
