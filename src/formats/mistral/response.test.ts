import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { FinishReason } from '../../core/types.js';
import { encodeOpenAIChatResponse } from '../openai/chat-response.js';
import { decodeOpenAIEmbeddingResponse, encodeOpenAIEmbeddingResponse } from '../openai/embeddings.js';
import { mapMistralFinishReason } from './finish-reason.js';
import { decodeMistralChatResponse, splitMistralContent } from './response.js';
import { decodeMistralUsage } from './usage.js';

const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('mapMistralFinishReason', () => {
  it.each<[string, FinishReason]>([
    ['stop', 'stop'],
    ['length', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['error', 'error'],
    ['content_filter', 'content_filter'],
    ['something_new', 'stop'],
  ])('%s → %s', (raw, expected) => {
    expect(mapMistralFinishReason(raw)).toBe(expected);
  });
});

describe('decodeMistralUsage', () => {
  it.each([
    ['plain counts', { prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 }, { inputTokens: 13, outputTokens: 8 }],
    ['prompt_tokens_details.cached_tokens', { prompt_tokens: 200, completion_tokens: 5, total_tokens: 205, prompt_tokens_details: { cached_tokens: 128 } }, { inputTokens: 200, outputTokens: 5, cacheReadTokens: 128 }],
    ['num_cached_tokens', { prompt_tokens: 200, completion_tokens: 5, total_tokens: 205, num_cached_tokens: 64 }, { inputTokens: 200, outputTokens: 5, cacheReadTokens: 64 }],
    ['prompt_token_details (sic)', { prompt_tokens: 200, completion_tokens: 5, total_tokens: 205, prompt_token_details: { cached_tokens: 32 } }, { inputTokens: 200, outputTokens: 5, cacheReadTokens: 32 }],
    ['details win over num_cached_tokens', { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10, num_cached_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } }, { inputTokens: 9, outputTokens: 1, cacheReadTokens: 4 }],
    ['reasoning tokens, already inside completion_tokens', { prompt_tokens: 40, completion_tokens: 300, total_tokens: 340, completion_tokens_details: { reasoning_tokens: 256 } }, { inputTokens: 40, outputTokens: 300, reasoningTokens: 256 }],
  ])('%s', (_name, wire, expected) => {
    expect(decodeMistralUsage(wire)).toEqual(expected);
  });

  it('absent or malformed usage is undefined', () => {
    expect(decodeMistralUsage(undefined)).toBeUndefined();
    expect(decodeMistralUsage(null)).toBeUndefined();
    expect(decodeMistralUsage({ total_tokens: 3 })).toBeUndefined();
  });
});

describe('splitMistralContent', () => {
  it.each([
    ['a string', 'hello', { text: 'hello' }],
    ['null', null, {}],
    ['text chunks', [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], { text: 'ab' }],
    ['thinking then text', [{ type: 'thinking', thinking: [{ type: 'text', text: 'hmm' }] }, { type: 'text', text: 'ok' }], { text: 'ok', reasoning: 'hmm' }],
    ['references and images carry no text', [{ type: 'reference', reference_ids: [1] }, { type: 'image_url', image_url: 'x' }, { type: 'text', text: 'z' }], { text: 'z' }],
  ])('%s', (_name, content, expected) => {
    expect(splitMistralContent(content)).toEqual(expected);
  });
});

describe('decodeMistralChatResponse: recorded responses', () => {
  it('reasoning: thinking chunks become reasoning, text chunks the content', () => {
    const response = decodeMistralChatResponse(readJson('mistral-reasoning.json'));
    expect(response).toMatchObject({
      id: 'a4e29c5b82f94d67b23e108a7c9df6e1', model: 'magistral-medium-2507', created: 1769088912, dialect: 'mistral',
      usage: { inputTokens: 10, outputTokens: 46 },
    });
    expect(response.choices).toEqual([{
      index: 0, text: '2 + 2 = 4', reasoning: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.',
      finishReason: 'stop', rawFinishReason: 'stop',
    }]);
  });

  it('tool call: Mistral\'s 9-character id is kept, content is null', () => {
    const response = decodeMistralChatResponse(readJson('mistral-tool-call.json'));
    expect(response.choices[0]).toMatchObject({
      text: null, finishReason: 'tool_calls',
      toolCalls: [{ id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' }],
    });
  });

  it('usage details: the canonical subsets, and nothing Mistral-only reaches an OpenAI caller', () => {
    const response = decodeMistralChatResponse(readJson('mistral-usage-details.json'));
    expect(response.usage).toEqual({ inputTokens: 20, outputTokens: 2, cacheReadTokens: 0, reasoningTokens: 7 });
    const encoded = encodeOpenAIChatResponse(response);
    expect(encoded).toEqual({
      id: 'usage-details', object: 'chat.completion', created: 1787866434, model: 'mistral-small-latest',
      choices: [{ logprobs: null, index: 0, message: { role: 'assistant', content: 'OK', refusal: null }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 20, completion_tokens: 2, total_tokens: 22,
        prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 7 },
      },
    });
  });

  it('model_length and error finishes map to length and (as OpenAI sees it) stop', () => {
    const body = (finish: string): unknown => ({
      id: 'x', object: 'chat.completion', created: 1, model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'cut' }, finish_reason: finish }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    expect(decodeMistralChatResponse(body('model_length')).choices[0]).toMatchObject({ finishReason: 'length', rawFinishReason: 'model_length' });
    const failed = decodeMistralChatResponse(body('error'));
    expect(failed.choices[0]).toMatchObject({ finishReason: 'error', rawFinishReason: 'error' });
    expect(encodeOpenAIChatResponse(failed).choices).toMatchObject([{ finish_reason: 'stop' }]);
  });

  it('a body without choices is an upstream_error', () => {
    expect(captureGatewayError(() => decodeMistralChatResponse({ object: 'error' })).code).toBe('upstream_error');
  });
});

describe('Mistral embeddings (recorded response)', () => {
  it('decodes floats and usage; the caller gets base64 or floats as it asked', () => {
    const response = decodeOpenAIEmbeddingResponse(readJson('mistral-embedding.json'));
    expect(response.model).toBe('mistral-embed');
    expect(response.usage).toMatchObject({ inputTokens: 16, outputTokens: 0 });
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    const floats = encodeOpenAIEmbeddingResponse(response, 'float');
    expect(floats).toMatchObject({ object: 'list', usage: { prompt_tokens: 16, total_tokens: 16 } });
    const base64 = encodeOpenAIEmbeddingResponse(response, 'base64') as { data: Array<{ embedding: string }> };
    const first = Buffer.from(base64.data[0]?.embedding ?? '', 'base64');
    expect(first.readFloatLE(0)).toBeCloseTo(-0.0389404296875, 7);
    expect(first.length).toBe(5 * 4);
  });
});
