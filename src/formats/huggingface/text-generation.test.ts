import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError, captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, collectUntilError, createSeededRandom, cutsInsideCharacters, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { createRedactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { decodeOpenAICompletionRequest, encodeOpenAICompletionResponse } from '../openai/completions.js';
import { decodeHFTextGenerationResponse, encodeHFTextGenerationRequest, mapTGIFinishReason } from './text-generation.js';
import { decodeHFTextGenerationStream } from './text-generation-stream.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
const STREAM = 'tgi-text.chunks.txt';
const OPTIONS = { model: 'meta-llama/Llama-3.1-8B', prompt: 'Tell me the answer:', now: () => 1_770_000_000 };

function encode(openai: Record<string, unknown>): { body: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const body = encodeHFTextGenerationRequest(decodeOpenAICompletionRequest({ model: 'm', ...openai }), (field) => void dropped.push(field));
  return { body, dropped };
}

const decodeBytes = (chunks: Uint8Array[]): Promise<StreamEvent[]> => collect(decodeHFTextGenerationStream(fromItems(chunks), OPTIONS));
/** Events without the start event's generated id. */
const stable = (events: StreamEvent[]): unknown[] => events.map((e) => (e.type === 'start' ? { ...e, id: 'x' } : e));

describe('encodeHFTextGenerationRequest (PROTOCOLS §5.2 mapping table)', () => {
  it('maps the completion parameters and never echoes the prompt', () => {
    const { body, dropped } = encode({ prompt: 'Once', max_tokens: 20, temperature: 0.7, top_p: 0.9, stop: ['\n'], seed: 3, stream: true });
    expect(body).toEqual({
      inputs: 'Once',
      parameters: { return_full_text: false, details: true, max_new_tokens: 20, do_sample: true, temperature: 0.7, top_p: 0.9, stop: ['\n'], seed: 3 },
      stream: true,
    });
    expect(dropped).toEqual([]);
  });

  it('treats temperature 0 as greedy and leaves out values TGI refuses (temperature 0, top_p 1)', () => {
    expect(encode({ prompt: 'x', temperature: 0, top_p: 1 }).body.parameters).toEqual({ return_full_text: false, details: true, do_sample: false });
    expect(encode({ prompt: 'x' }).body.parameters).toEqual({ return_full_text: false, details: true, do_sample: true });
  });

  it('passes TGI parameters from the body, drops n > 1 and unknown fields, refuses several prompts', () => {
    const { body, dropped } = encode({ prompt: ['only one'], n: 2, top_k: 40, repetition_penalty: 1.1, echo: true });
    expect(body.inputs).toBe('only one');
    expect(body.parameters).toMatchObject({ top_k: 40, repetition_penalty: 1.1 });
    expect(dropped).toEqual(['n', 'echo']);
    expect(captureGatewayError(() => encode({ prompt: ['a', 'b'] })).param).toBe('prompt');
  });
});

describe('decodeHFTextGenerationResponse', () => {
  it.each([['eos_token', 'stop'], ['stop_sequence', 'stop'], ['length', 'length']])('finish %s → %s', (raw, mapped) => {
    expect(mapTGIFinishReason(raw)).toBe(mapped);
  });

  it('decodes the array answer: text, finish, counted output and estimated prompt tokens', () => {
    const body: unknown = JSON.parse(new TextDecoder().decode(readFixture('tgi-text.json')));
    const response = decodeHFTextGenerationResponse(body, OPTIONS);
    expect(response).toMatchObject({
      model: 'meta-llama/Llama-3.1-8B',
      created: 1_770_000_000,
      choices: [{ index: 0, text: ' Paris is the capital and most populous city of France.', finishReason: 'length', rawFinishReason: 'length' }],
      usage: { inputTokens: 5, outputTokens: 12, estimated: true },
      dialect: 'huggingface',
    });
    expect(response.id).toMatch(/^cmpl-/);
    expect(encodeOpenAICompletionResponse(response)).toMatchObject({ object: 'text_completion', choices: [{ finish_reason: 'length', logprobs: null }] });
  });

  it('accepts the bare object without details (finish stop, estimated output)', () => {
    const response = decodeHFTextGenerationResponse({ generated_text: 'one two three four' });
    expect(response.choices[0]).toMatchObject({ finishReason: 'stop', rawFinishReason: null });
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 5, estimated: true });
  });

  it('throws upstream_error without generated_text', () => {
    expect(captureGatewayError(() => decodeHFTextGenerationResponse([{ text: 'x' }])).code).toBe('upstream_error');
  });
});

describe('decodeHFTextGenerationStream', () => {
  it('decodes token frames: text without special tokens, finish and usage from details', async () => {
    const events = await decodeBytes([readFixture(STREAM)]);
    expect(events[0]).toMatchObject({ type: 'start', model: 'meta-llama/Llama-3.1-8B', created: 1_770_000_000 });
    expect(events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')).toBe(' The answer is café 中文 🚀.');
    expect(JSON.stringify(events)).not.toContain('</s>');
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'eos_token' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 8, estimated: true } },
    ]);
  });

  it('gives identical events split at random byte positions and inside multi-byte characters', async () => {
    const bytes = readFixture(STREAM);
    const expected = stable(await decodeBytes([bytes]));
    for (let seed = 1; seed <= 25; seed++) {
      const random = createSeededRandom(seed);
      expect(stable(await decodeBytes(splitAt(bytes, randomCuts(bytes.length, 1 + Math.floor(random() * 60), random)))), `seed ${seed}`).toEqual(expected);
    }
    expect(stable(await decodeBytes(splitAt(bytes, cutsInsideCharacters(bytes))))).toEqual(expected);
  });

  it('throws when the stream ends before the details frame', async () => {
    const text = new TextDecoder().decode(readFixture(STREAM));
    const cut = text.slice(0, text.lastIndexOf('data:'));
    const { items, error } = await collectUntilError(decodeHFTextGenerationStream(fromStrings([cut]), OPTIONS));
    expect(items.some((e) => e.type === 'finish')).toBe(false);
    expect(error).toMatchObject({ code: 'upstream_error', message: 'Upstream stream ended before the response was complete.' });
  });

  it('throws the sanitised text of an in-band error frame, and on malformed frames', async () => {
    const key = 'hf_leakedToken0123456789';
    const body = `data:${JSON.stringify({ index: 1, token: { id: 1, text: 'Hi', special: false }, generated_text: null, details: null })}\n\ndata:{"error":"CUDA out of memory (${key})","error_type":"generation"}\n\n`;
    const { items, error } = await collectUntilError(decodeHFTextGenerationStream(fromStrings([body]), { ...OPTIONS, sanitize: createRedactor([key]) }));
    expect(items.map((e) => e.type)).toEqual(['start', 'text-delta']);
    expect((error as Error).message).toBe('CUDA out of memory ([redacted])');
    expect((await captureGatewayErrorAsync(collect(decodeHFTextGenerationStream(fromStrings(['data:{x\n\n']))))).message).toMatch(/malformed/);
  });
});
