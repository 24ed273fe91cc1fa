import { describe, expect, it } from 'vitest';
import { captureGatewayError, captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, createSeededRandom, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/types.js';
import {
  decodeOpenAICompletionRequest, decodeOpenAICompletionResponse, decodeOpenAICompletionStream,
  encodeOpenAICompletionRequest, encodeOpenAICompletionResponse, encodeOpenAICompletionStream,
} from './completions.js';

describe('decodeOpenAICompletionRequest', () => {
  it('decodes every known field and keeps unknown ones', () => {
    expect(decodeOpenAICompletionRequest({
      model: 'gpt-3.5-turbo-instruct', prompt: ['a', 'b'], stream: true, stream_options: { include_usage: true },
      max_tokens: 16, temperature: 0.1, top_p: 0.5, n: 2, stop: 'x', seed: 1, echo: true, suffix: '!',
    })).toEqual({
      model: 'gpt-3.5-turbo-instruct', prompt: ['a', 'b'], stream: true, includeUsage: true,
      maxTokens: 16, temperature: 0.1, topP: 0.5, n: 2, stop: ['x'], seed: 1,
      extra: { echo: true, suffix: '!' }, dialect: 'openai',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['prompt missing', { model: 'm' }, 'prompt'],
    ['token-id prompt', { model: 'm', prompt: [1, 2] }, 'prompt'],
    ['prompt an object', { model: 'm', prompt: {} }, 'prompt'],
    ['model missing', { prompt: 'x' }, 'model'],
    ['max_tokens zero', { model: 'm', prompt: 'x', max_tokens: 0 }, 'max_tokens'],
    ['stop item a number', { model: 'm', prompt: 'x', stop: [1] }, 'stop[0]'],
    ['include_usage not boolean', { model: 'm', prompt: 'x', stream_options: { include_usage: 'y' } }, 'stream_options.include_usage'],
  ])('%s → 400 param %s', (_name, body, param) => {
    const error = captureGatewayError(() => decodeOpenAICompletionRequest(body));
    expect([error.status, error.param]).toEqual([400, param]);
  });
});

describe('encodeOpenAICompletionRequest', () => {
  const request = decodeOpenAICompletionRequest({ model: 'pub', prompt: 'Say hi', stream: true, max_tokens: 5, echo: true });

  it('keeps extras with passthrough and always asks for usage when streaming', () => {
    expect(encodeOpenAICompletionRequest(request, { model: 'up', passthrough: true })).toEqual({
      echo: true, model: 'up', prompt: 'Say hi', stream: true, stream_options: { include_usage: true }, max_tokens: 5,
    });
  });

  it('drops extras without passthrough', () => {
    expect(encodeOpenAICompletionRequest(request, { model: 'up', passthrough: false })).not.toHaveProperty('echo');
  });
});

describe('completion responses', () => {
  const body = {
    id: 'cmpl-1', object: 'text_completion', created: 7, model: 'gpt-3.5-turbo-instruct',
    choices: [{ text: 'Hi!', index: 0, logprobs: null, finish_reason: 'length' }],
    usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
  };

  it('round-trips a text_completion', () => {
    const decoded = decodeOpenAICompletionResponse(body);
    expect(decoded.choices[0]).toMatchObject({ text: 'Hi!', finishReason: 'length', rawFinishReason: 'length' });
    expect(encodeOpenAICompletionResponse(decoded)).toEqual({
      ...body,
      usage: { ...body.usage, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it('refuses a body without choices', () => {
    expect(captureGatewayError(() => decodeOpenAICompletionResponse({ id: 'x' })).code).toBe('upstream_error');
  });
});

describe('completion streams', () => {
  const chunk = (text: string, finish: string | null = null): string =>
    `data: ${JSON.stringify({ id: 'cmpl-9', object: 'text_completion', created: 3, model: 'inst', choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] })}\n\n`;
  const usage = `data: ${JSON.stringify({ id: 'cmpl-9', object: 'text_completion', created: 3, model: 'inst', choices: [], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } })}\n\n`;
  const wire = [chunk('Olá'), chunk(' 🌍'), chunk('', 'stop'), usage, 'data: [DONE]\n\n'].join('');

  it('decodes text, finish and usage, identically for any byte split', async () => {
    const bytes = new TextEncoder().encode(wire);
    const expected: StreamEvent[] = [
      { type: 'start', id: 'cmpl-9', model: 'inst', created: 3 },
      { type: 'text-delta', choice: 0, text: 'Olá' },
      { type: 'text-delta', choice: 0, text: ' 🌍' },
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 4, outputTokens: 2 } },
    ];
    expect(await collect(decodeOpenAICompletionStream(fromItems([bytes])))).toEqual(expected);
    const random = createSeededRandom(7);
    for (let i = 0; i < 10; i++) {
      const parts = splitAt(bytes, randomCuts(bytes.length, 20, random));
      expect(await collect(decodeOpenAICompletionStream(fromItems(parts)))).toEqual(expected);
    }
  });

  it('throws when cut before finish, or on an in-band error', async () => {
    expect((await captureGatewayErrorAsync(collect(decodeOpenAICompletionStream(fromStrings([chunk('a')]))))).code).toBe('upstream_error');
    const error = await captureGatewayErrorAsync(collect(decodeOpenAICompletionStream(fromStrings([chunk('a'), 'data: {"error":{"message":"x"}}\n\n']))));
    expect(error.code).toBe('upstream_error');
  });

  it('encodes text_completion frames, usage only when asked, then [DONE]', async () => {
    const events = await collect(decodeOpenAICompletionStream(fromStrings([wire])));
    const withUsage = await collect(encodeOpenAICompletionStream(fromItems(events), { includeUsage: true }));
    expect(withUsage.at(-1)).toBe('data: [DONE]\n\n');
    const chunks = withUsage.slice(0, -1).map((f) => {
      expect(f).toMatch(/^data: [^\n]+\n\n$/);
      return JSON.parse(f.slice(6)) as Record<string, unknown>;
    });
    expect(chunks.map((c) => c.choices)).toEqual([
      [{ text: 'Olá', index: 0, logprobs: null, finish_reason: null }],
      [{ text: ' 🌍', index: 0, logprobs: null, finish_reason: null }],
      [{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }],
      [],
    ]);
    expect(chunks.slice(0, 3).every((c) => c.usage === null && c.id === 'cmpl-9' && c.object === 'text_completion')).toBe(true);
    expect(chunks[3]?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });

    const without = await collect(encodeOpenAICompletionStream(fromItems(events), { includeUsage: false }));
    expect(without).toHaveLength(4);
    expect(without.some((f) => f.includes('usage'))).toBe(false);
  });

  it('ends with one error frame and no [DONE] when the source fails', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'text-delta', choice: 0, text: 'a' };
      throw new GatewayError('upstream_timeout', 'Upstream stopped sending data (idle timeout).');
    }
    const frames = await collect(encodeOpenAICompletionStream(failing(), { includeUsage: false }));
    expect(frames).toHaveLength(2);
    expect(JSON.parse((frames[1] ?? '').slice(6))).toEqual({
      error: { message: 'Upstream stopped sending data (idle timeout).', type: 'api_error', param: null, code: 'upstream_timeout' },
    });
  });
});
