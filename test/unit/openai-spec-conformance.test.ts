/**
 * What Switchyard emits in the OpenAI dialect, checked against the OpenAI OpenAPI spec
 * (required fields, types, enums) — a light check, see support/openapi-check.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';
import type { ChatResponse, StreamEvent } from '../../src/core/types.js';
import { decodeOpenAIChatResponse, encodeOpenAIChatResponse } from '../../src/formats/openai/chat-response.js';
import { decodeOpenAIChatStream, encodeOpenAIChatStream } from '../../src/formats/openai/chat-stream.js';
import { decodeOpenAICompletionResponse, encodeOpenAICompletionResponse } from '../../src/formats/openai/completions.js';
import { decodeOpenAIEmbeddingResponse, encodeOpenAIEmbeddingResponse } from '../../src/formats/openai/embeddings.js';
import { encodeOpenAIError } from '../../src/formats/openai/errors.js';
import { loadSpecChecker, type SpecChecker } from './support/openapi-check.js';
import { collect, fromItems } from './support/streams.js';

const SPEC_PATH = new URL('../fixtures/openai-openapi-subset.yaml', import.meta.url);
const FIXTURE_DIR = new URL('../../src/formats/openai/__fixtures__/', import.meta.url);
const FIXTURES = ['openai-text.chunks.txt', 'openai-tool-call.chunks.txt', 'openai-text-crlf-keep-alive.chunks.txt'];

let spec: SpecChecker;

beforeAll(() => {
  spec = loadSpecChecker(SPEC_PATH.pathname);
});

const upstreamResponse = {
  id: 'chatcmpl-abc', object: 'chat.completion', created: 1770933892, model: 'gpt-4.1-nano-2025-04-14',
  service_tier: 'default', system_fingerprint: 'fp_x',
  choices: [{
    index: 0, finish_reason: 'tool_calls', logprobs: null,
    message: {
      role: 'assistant', content: null, refusal: null, annotations: [],
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }],
    },
  }],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 0 } },
};

describe('OpenAI spec conformance of encoded output', () => {
  it('the checker itself reports a missing required field and a bad enum', () => {
    const { created: _created, ...withoutCreated } = upstreamResponse;
    expect(spec.check('CreateChatCompletionResponse', withoutCreated)).toContain('CreateChatCompletionResponse.created: required');
    const badReason = { ...upstreamResponse, choices: [{ ...upstreamResponse.choices[0], finish_reason: 'error' }] };
    expect(spec.check('CreateChatCompletionResponse', badReason).join('\n')).toMatch(/finish_reason/);
  });

  const responses: Array<[string, ChatResponse]> = [
    ['OpenAI upstream, pass-through', decodeOpenAIChatResponse(upstreamResponse)],
    ['minimal OpenAI-compatible upstream', decodeOpenAIChatResponse({ choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] })],
    ['demo provider with an error finish and reasoning', {
      id: 'chatcmpl-d', model: 'demo/chat', created: 1, dialect: 'mock',
      choices: [{ index: 0, text: 'x', reasoning: 'r', finishReason: 'error', rawFinishReason: null }],
      usage: { inputTokens: 1, outputTokens: 2, reasoningTokens: 1, cacheWriteTokens: 0 },
    }],
  ];

  it.each(responses)('chat.completion: %s', (_name, response) => {
    expect(spec.check('CreateChatCompletionResponse', encodeOpenAIChatResponse(response))).toEqual([]);
  });

  it.each(FIXTURES.flatMap((name) => [
    [name, true, true], [name, false, true], [name, true, false],
  ] as Array<[string, boolean, boolean]>))('chat.completion.chunk: %s (includeUsage %s, passthrough %s)', async (name, includeUsage, passthrough) => {
    const bytes = new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
    const events = await collect(decodeOpenAIChatStream(fromItems([bytes])));
    const frames = await collect(encodeOpenAIChatStream(fromItems(events), { includeUsage, passthrough }));
    expect(frames.at(-1)).toBe('data: [DONE]\n\n');
    for (const frame of frames.slice(0, -1)) {
      expect(spec.check('CreateChatCompletionStreamResponse', JSON.parse(frame.slice(6)))).toEqual([]);
    }
  });

  it('chat.completion.chunk: reasoning, refusal and error-finish events', async () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'c', model: 'm', created: 1 },
      { type: 'reasoning-delta', choice: 0, text: 'r' },
      { type: 'refusal-delta', choice: 0, text: 'no' },
      { type: 'finish', choice: 0, reason: 'error', rawReason: null },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 1, estimated: true } },
    ];
    const frames = await collect(encodeOpenAIChatStream(fromItems(events), { includeUsage: true, passthrough: false }));
    for (const frame of frames.slice(0, -1)) {
      expect(spec.check('CreateChatCompletionStreamResponse', JSON.parse(frame.slice(6)))).toEqual([]);
    }
  });

  it('embeddings list (float)', () => {
    const decoded = decodeOpenAIEmbeddingResponse({
      object: 'list', model: 'e', data: [{ object: 'embedding', index: 0, embedding: 'AACAPw==' }], usage: { prompt_tokens: 1, total_tokens: 1 },
    });
    expect(spec.check('CreateEmbeddingResponse', encodeOpenAIEmbeddingResponse(decoded, 'float'))).toEqual([]);
    expect(spec.check('CreateEmbeddingResponse', encodeOpenAIEmbeddingResponse({ model: 'e', data: [] }, 'float'))).toEqual([]);
  });

  it('text_completion', () => {
    const decoded = decodeOpenAICompletionResponse({
      id: 'cmpl-1', object: 'text_completion', created: 1, model: 'i',
      choices: [{ text: 'a', index: 0, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    expect(spec.check('CreateCompletionResponse', encodeOpenAICompletionResponse(decoded))).toEqual([]);
  });

  it('error body', () => {
    expect(spec.check('ErrorResponse', encodeOpenAIError(new GatewayError('rate_limit_exceeded', 'slow')))).toEqual([]);
  });
});
