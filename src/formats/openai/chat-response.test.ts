import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { ChatResponse, FinishReason, Usage } from '../../core/types.js';
import { decodeOpenAIChatResponse, encodeOpenAIChatResponse } from './chat-response.js';
import { mapOpenAIFinishReason } from './finish-reason.js';
import { decodeOpenAIUsage, encodeOpenAIUsage } from './usage.js';

/** PROTOCOLS §1.4, the recorded tool-call response. */
const TOOL_CALL_RESPONSE = {
  id: 'chatcmpl-abc',
  object: 'chat.completion',
  created: 1770933892,
  model: 'gpt-4.1-nano-2025-04-14',
  service_tier: 'default',
  system_fingerprint: 'fp_de604bd877',
  choices: [{
    index: 0,
    finish_reason: 'tool_calls',
    logprobs: null,
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      annotations: [],
      tool_calls: [{ id: 'call_79382389', type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } }],
    },
  }],
  usage: {
    prompt_tokens: 307,
    completion_tokens: 26,
    total_tokens: 333,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
};

describe('decodeOpenAIChatResponse / encodeOpenAIChatResponse', () => {
  it('round-trips the recorded OpenAI response exactly, extras included', () => {
    const decoded = decodeOpenAIChatResponse(TOOL_CALL_RESPONSE);
    expect(decoded.extra).toEqual({ service_tier: 'default', system_fingerprint: 'fp_de604bd877' });
    expect(decoded.choices[0]).toMatchObject({
      index: 0,
      text: null,
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_calls',
      toolCalls: [{ id: 'call_79382389', name: 'weather', arguments: '{"location":"San Francisco"}' }],
      extra: { logprobs: null },
      messageExtra: { annotations: [] },
    });
    expect(decoded.usage).toMatchObject({ inputTokens: 307, outputTokens: 26, cacheReadTokens: 0, reasoningTokens: 0 });
    expect(encodeOpenAIChatResponse(decoded)).toEqual(TOOL_CALL_RESPONSE);
  });

  it('keeps reasoning_content both ways', () => {
    const body = {
      id: 'r1', object: 'chat.completion', created: 1, model: 'deepseek-reasoner',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: '42', reasoning_content: 'Think…', refusal: null } }],
    };
    const decoded = decodeOpenAIChatResponse(body);
    expect(decoded.choices[0]?.reasoning).toBe('Think…');
    expect(decoded.choices[0]?.messageExtra).toBeUndefined();
    expect(encodeOpenAIChatResponse(decoded)).toEqual(body);
  });

  it('reads OpenRouter-style `reasoning` and writes it as reasoning_content (once)', () => {
    const decoded = decodeOpenAIChatResponse({
      id: 'r', created: 1, model: 'm',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'a', reasoning: 'because' } }],
    });
    const message = (encodeOpenAIChatResponse(decoded).choices as Array<{ message: Record<string, unknown> }>)[0]?.message;
    expect(message).toEqual({ role: 'assistant', content: 'a', refusal: null, reasoning_content: 'because' });
  });

  it('tolerates missing fields: index from position, arguments as an object, no usage', () => {
    const decoded = decodeOpenAIChatResponse({
      choices: [
        { message: { content: 'a' }, finish_reason: null },
        { message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: { x: 1 } } }] }, finish_reason: 'tool_calls' },
      ],
    });
    expect(decoded.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(decoded.choices[0]?.finishReason).toBeNull();
    expect(decoded.choices[1]?.toolCalls).toEqual([{ id: 'c', name: 'f', arguments: '{"x":1}' }]);
    expect(decoded.usage).toBeUndefined();
  });

  it.each([null, 'text', {}, { choices: 'x' }, { choices: ['x'] }])('refuses a malformed body %j as upstream_error', (body) => {
    const error = captureGatewayError(() => decodeOpenAIChatResponse(body));
    expect([error.code, error.status, error.retryable]).toEqual(['upstream_error', 502, true]);
  });

  it('writes no upstream extras for a response from another dialect, and maps error to stop', () => {
    const response: ChatResponse = {
      id: 'chatcmpl-x', model: 'demo/chat', created: 5,
      choices: [{ index: 0, text: 'hi', finishReason: 'error', rawFinishReason: 'boom', extra: { secret: 1 }, messageExtra: { hidden: 2 } }],
      extra: { vendor: 'v' },
      usage: { inputTokens: 3, outputTokens: 4, extra: { audio: 1 } },
      dialect: 'anthropic',
    };
    expect(encodeOpenAIChatResponse(response)).toEqual({
      id: 'chatcmpl-x', object: 'chat.completion', created: 5, model: 'demo/chat',
      choices: [{ index: 0, logprobs: null, finish_reason: 'stop', message: { role: 'assistant', content: 'hi', refusal: null } }],
      usage: {
        prompt_tokens: 3, completion_tokens: 4, total_tokens: 7,
        prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('always writes logprobs on choices, even when an OpenAI-compatible upstream left it out', () => {
    const decoded = decodeOpenAIChatResponse({
      id: 'x', object: 'chat.completion', created: 1, model: 'llama3',
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } },
        { index: 1, finish_reason: 'stop', native_finish_reason: 'eos', message: { role: 'assistant', content: 'ok' } },
      ],
    });
    const choices = encodeOpenAIChatResponse(decoded).choices as Array<Record<string, unknown>>;
    expect(choices[0]).toHaveProperty('logprobs', null);
    expect(choices[1]).toMatchObject({ logprobs: null, native_finish_reason: 'eos' });
  });
});

describe('mapOpenAIFinishReason', () => {
  it.each<[string, FinishReason]>([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['function_call', 'tool_calls'],
    ['eos', 'stop'],
    ['', 'stop'],
  ])('%s → %s', (raw, mapped) => {
    expect(mapOpenAIFinishReason(raw)).toBe(mapped);
  });

  it('keeps the raw reason beside the mapped one', () => {
    const decoded = decodeOpenAIChatResponse({ choices: [{ index: 0, finish_reason: 'eos', message: { content: 'x' } }] });
    expect([decoded.choices[0]?.finishReason, decoded.choices[0]?.rawFinishReason]).toEqual(['stop', 'eos']);
  });
});

describe('decodeOpenAIUsage', () => {
  const details = (cached?: number, reasoning?: number, cacheWrite?: number): Record<string, unknown> => ({
    ...(cached === undefined && cacheWrite === undefined ? {} : {
      prompt_tokens_details: { ...(cached === undefined ? {} : { cached_tokens: cached }), ...(cacheWrite === undefined ? {} : { cache_write_tokens: cacheWrite }) },
    }),
    ...(reasoning === undefined ? {} : { completion_tokens_details: { reasoning_tokens: reasoning } }),
  });

  const cases: Array<[string, unknown, Omit<Usage, 'extra'> | undefined]> = [
    ['plain', { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 }, { inputTokens: 9, outputTokens: 5 }],
    ['cached tokens are a subset of prompt', { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, ...details(60) }, { inputTokens: 100, outputTokens: 5, cacheReadTokens: 60 }],
    ['cache writes', { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, ...details(10, undefined, 30) }, { inputTokens: 100, outputTokens: 5, cacheReadTokens: 10, cacheWriteTokens: 30 }],
    ['OpenAI: reasoning inside completion', { prompt_tokens: 10, completion_tokens: 50, total_tokens: 60, ...details(0, 40) }, { inputTokens: 10, outputTokens: 50, cacheReadTokens: 0, reasoningTokens: 40 }],
    ['xAI: total = prompt + completion + reasoning → reasoning added back', { prompt_tokens: 10, completion_tokens: 5, total_tokens: 35, ...details(undefined, 20) }, { inputTokens: 10, outputTokens: 25, reasoningTokens: 20 }],
    ['reasoning without total is taken as included', { prompt_tokens: 10, completion_tokens: 50, ...details(undefined, 20) }, { inputTokens: 10, outputTokens: 50, reasoningTokens: 20 }],
    ['zero reasoning changes nothing', { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, ...details(undefined, 0) }, { inputTokens: 10, outputTokens: 5, reasoningTokens: 0 }],
    ['input_tokens / output_tokens names', { input_tokens: 7, output_tokens: 3 }, { inputTokens: 7, outputTokens: 3 }],
    ['missing completion counts as 0', { prompt_tokens: 7 }, { inputTokens: 7, outputTokens: 0 }],
    ['null', null, undefined],
    ['not an object', 5, undefined],
    ['no prompt count', { completion_tokens: 5 }, undefined],
    ['prompt count not a number', { prompt_tokens: '9', completion_tokens: 5 }, undefined],
  ];

  it.each(cases)('%s', (_name, wire, expected) => {
    const usage = decodeOpenAIUsage(wire);
    if (expected === undefined) return expect(usage).toBeUndefined();
    const { extra: _extra, ...counts } = usage ?? { inputTokens: -1, outputTokens: -1 };
    expect(counts).toEqual(expected);
  });

  it('keeps unknown usage fields for same-dialect pass-through', () => {
    const usage = decodeOpenAIUsage({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cost: 0.01, prompt_tokens_details: { audio_tokens: 4 } });
    expect(usage?.extra).toEqual({ cost: 0.01, prompt_tokens_details: { audio_tokens: 4 } });
  });
});

describe('encodeOpenAIUsage', () => {
  it('writes total = prompt + completion, with detail counts', () => {
    expect(encodeOpenAIUsage({ inputTokens: 10, outputTokens: 25, reasoningTokens: 20, cacheReadTokens: 4, cacheWriteTokens: 2 }, false)).toEqual({
      prompt_tokens: 10,
      completion_tokens: 25,
      total_tokens: 35,
      prompt_tokens_details: { cached_tokens: 4, cache_write_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
  });

  it('normalises an xAI usage so it reads like OpenAI (completion includes reasoning)', () => {
    const usage = decodeOpenAIUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 35, completion_tokens_details: { reasoning_tokens: 20 } });
    const encoded = encodeOpenAIUsage(usage ?? { inputTokens: 0, outputTokens: 0 }, true);
    expect(encoded).toMatchObject({ prompt_tokens: 10, completion_tokens: 25, total_tokens: 35, completion_tokens_details: { reasoning_tokens: 20 } });
  });

  it('with passthrough keeps upstream detail fields, but the normalised counts win', () => {
    const wire = {
      prompt_tokens: 16, completion_tokens: 300, total_tokens: 316, cost: 1,
      prompt_tokens_details: { cached_tokens: 3, audio_tokens: 1 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 2, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const usage = decodeOpenAIUsage(wire);
    expect(usage).toBeDefined();
    expect(encodeOpenAIUsage(usage as Usage, true)).toEqual(wire);
    const stripped = encodeOpenAIUsage(usage as Usage, false);
    expect(stripped).toEqual({
      prompt_tokens: 16, completion_tokens: 300, total_tokens: 316,
      prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});
