import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, collectUntilError, createSeededRandom, cutsInsideCharacters, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/types.js';
import { decodeOpenAIChatStream, encodeOpenAIChatStream } from './chat-stream.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));

const TEXT = 'openai-text.chunks.txt';
const TOOL = 'openai-tool-call.chunks.txt';
const CRLF = 'openai-text-crlf-keep-alive.chunks.txt';
const FIXTURES = [TEXT, TOOL, CRLF];

const decodeBytes = (chunks: Uint8Array[]): Promise<StreamEvent[]> => collect(decodeOpenAIChatStream(fromItems(chunks)));
const decodeFixture = (name: string): Promise<StreamEvent[]> => decodeBytes([readFixture(name)]);

function textOf(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
}

type Chunk = Record<string, unknown> & { choices: Array<Record<string, unknown> & { delta: Record<string, unknown> }> };

/** Checks OpenAI framing of every frame and returns the parsed chunks (without `[DONE]`). */
function parseFrames(frames: string[]): { chunks: Chunk[]; done: boolean } {
  for (const frame of frames) {
    expect(frame).toMatch(/^data: [^\n]+\n\n$/);
  }
  const done = frames[frames.length - 1] === 'data: [DONE]\n\n';
  const body = done ? frames.slice(0, -1) : frames;
  expect(body.some((f) => f.includes('[DONE]'))).toBe(false);
  return { chunks: body.map((f) => JSON.parse(f.slice('data: '.length)) as Chunk), done };
}

describe('decodeOpenAIChatStream: recorded fixtures', () => {
  it('decodes the text fixture: start, text with multi-byte characters, finish, usage', async () => {
    const events = await decodeFixture(TEXT);
    expect(events[0]).toEqual({
      type: 'start',
      id: 'chatcmpl-D8Zc1uVbN2kq7xPp4TzYw0eLr3HsA',
      model: 'gpt-4.1-nano-2025-04-14',
      created: 1770934012,
      extra: { service_tier: 'default', system_fingerprint: 'fp_de604bd877' },
    });
    expect(textOf(events)).toBe('Sure! Here are a few words: café, 中文 and a rocket 🚀. "Quoted"\n\nDone.');
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(20);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'stop' },
      {
        type: 'usage',
        usage: {
          inputTokens: 14, outputTokens: 20, cacheReadTokens: 0, reasoningTokens: 0,
          extra: {
            prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
          },
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('obfuscation');
  });

  it('decodes the CRLF fixture with keep-alive comments', async () => {
    const events = await decodeFixture(CRLF);
    expect(events.map((e) => e.type)).toEqual(['start', 'text-delta', 'text-delta', 'text-delta', 'text-delta', 'text-delta', 'finish', 'usage']);
    expect(textOf(events)).toBe('Naïve résumé — ok.');
    expect(events.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: 9, outputTokens: 5 } });
  });

  it('decodes tool-call deltas: index, id and name only on the first delta of each call', async () => {
    const events = await decodeFixture(TOOL);
    const calls = events.filter((e): e is Extract<StreamEvent, { type: 'tool-call-delta' }> => e.type === 'tool-call-delta');
    expect(calls[0]).toEqual({ type: 'tool-call-delta', choice: 0, index: 0, id: 'call_Xk3YqJ8mN2pL5vR7tW9aB1cD', name: 'get_weather', arguments: '' });
    expect(calls[6]).toEqual({ type: 'tool-call-delta', choice: 0, index: 1, id: 'call_Fh6GzT2wE4sQ8uI0oP3aS5dK', name: 'get_time', arguments: '' });
    const firsts = calls.filter((c) => c.id !== undefined || c.name !== undefined);
    expect(firsts.map((c) => c.index)).toEqual([0, 1]);
    for (const call of calls.filter((c) => !firsts.includes(c))) {
      expect(Object.keys(call).sort()).toEqual(['arguments', 'choice', 'index', 'type']);
    }
    const args = [0, 1].map((i) => calls.filter((c) => c.index === i).map((c) => c.arguments).join(''));
    expect(args).toEqual(['{"city":"Paris"}', '{"timezone":"Europe/Paris"}']);
    expect(events.at(-1)).toEqual({ type: 'finish', choice: 0, reason: 'tool_calls', rawReason: 'tool_calls' });
    expect(events.some((e) => e.type === 'text-delta')).toBe(false);
  });

  it.each(FIXTURES)('%s: split at random byte positions (seeded) gives identical events', async (name) => {
    const bytes = readFixture(name);
    const expected = await decodeBytes([bytes]);
    for (let seed = 1; seed <= 25; seed++) {
      const random = createSeededRandom(seed);
      const cuts = randomCuts(bytes.length, 1 + Math.floor(random() * 60), random);
      expect(await decodeBytes(splitAt(bytes, cuts)), `seed ${seed}`).toEqual(expected);
    }
  });

  it.each(FIXTURES)('%s: split inside every multi-byte character, or byte by byte, gives identical events', async (name) => {
    const bytes = readFixture(name);
    const expected = await decodeBytes([bytes]);
    expect(await decodeBytes(splitAt(bytes, cutsInsideCharacters(bytes)))).toEqual(expected);
    expect(await decodeBytes(splitAt(bytes, Array.from({ length: bytes.length }, (_, i) => i)))).toEqual(expected);
  });
});

describe('decodeOpenAIChatStream: failures', () => {
  const text = new TextDecoder().decode(readFixture(TEXT));

  it('throws when the stream is cut before the finish chunk', async () => {
    const cut = text.slice(0, text.lastIndexOf('data: ', text.indexOf('"finish_reason":"stop"')));
    expect(cut.length).toBeLessThan(text.length);
    const { items, error } = await collectUntilError(decodeOpenAIChatStream(fromStrings([cut])));
    expect(items.length).toBeGreaterThan(1);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('upstream_error');
    expect(items.some((e) => e.type === 'finish')).toBe(false);
  });

  it('throws when the stream is cut in the middle of a chunk line', async () => {
    const cut = text.slice(0, text.indexOf('"content":" rocket"'));
    const error = await captureGatewayErrorAsync(collect(decodeOpenAIChatStream(fromStrings([cut]))));
    expect(error.code).toBe('upstream_error');
  });

  it('tolerates a missing [DONE] once every choice has finished', async () => {
    const cut = text.slice(0, text.indexOf('data: [DONE]'));
    const events = await collect(decodeOpenAIChatStream(fromStrings([cut])));
    expect(events.at(-1)?.type).toBe('usage');
  });

  it('throws the upstream message on an in-band error object', async () => {
    const head = text.slice(0, text.indexOf('data: ', 10));
    const body = `${head}data: {"error":{"message":"The server is overloaded","type":"server_error","param":null,"code":null}}\n\n`;
    const { items, error } = await collectUntilError(decodeOpenAIChatStream(fromStrings([body])));
    expect(items.map((e) => e.type)).toEqual(['start']);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toBe('The server is overloaded');
  });

  it('throws on an `event: error` frame', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeOpenAIChatStream(fromStrings(['event: error\ndata: {"message":"x"}\n\n']))));
    expect(error.code).toBe('upstream_error');
  });

  it('throws on a chunk that is not JSON', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeOpenAIChatStream(fromStrings(['data: {not json\n\n']))));
    expect(error.message).toMatch(/malformed/);
  });

  it('reads reasoning deltas (reasoning_content and reasoning) and refusals', async () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
      `data: ${JSON.stringify({ id: 'c', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const events = await collect(decodeOpenAIChatStream(fromStrings([
      chunk({ role: 'assistant', reasoning_content: 'Let me ' }),
      chunk({ reasoning: 'think.' }),
      chunk({ refusal: 'No.' }),
      chunk({}, 'content_filter'),
      'data: [DONE]\n\n',
    ])));
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Let me ' },
      { type: 'reasoning-delta', choice: 0, text: 'think.' },
      { type: 'refusal-delta', choice: 0, text: 'No.' },
      { type: 'finish', choice: 0, reason: 'content_filter', rawReason: 'content_filter' },
    ]);
  });
});

describe('encodeOpenAIChatStream', () => {
  const encode = async (name: string, includeUsage: boolean, passthrough = true): Promise<string[]> =>
    collect(encodeOpenAIChatStream(fromItems(await decodeFixture(name)), { includeUsage, passthrough }));

  it.each(FIXTURES)('%s with includeUsage: usage:null on every chunk, one usage chunk after finish, then [DONE]', async (name) => {
    const frames = await encode(name, true);
    const { chunks, done } = parseFrames(frames);
    expect(done).toBe(true);
    const usageChunks = chunks.filter((c) => c.choices.length === 0);
    const hasUsage = (await decodeFixture(name)).some((e) => e.type === 'usage');
    expect(usageChunks).toHaveLength(hasUsage ? 1 : 0);
    for (const chunk of chunks) {
      if (chunk.choices.length > 0) expect(chunk).toHaveProperty('usage', null);
    }
    if (hasUsage) {
      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-2)?.choices[0]?.finish_reason).not.toBeNull();
    }
  });

  it.each(FIXTURES)('%s without includeUsage: no usage field and no empty-choices chunk', async (name) => {
    const { chunks, done } = parseFrames(await encode(name, false));
    expect(done).toBe(true);
    for (const chunk of chunks) {
      expect(chunk).not.toHaveProperty('usage');
      expect(chunk.choices).toHaveLength(1);
    }
  });

  it.each(FIXTURES)('%s: first chunk carries the role; id, created and model repeat on every chunk', async (name) => {
    const { chunks } = parseFrames(await encode(name, true));
    const start = (await decodeFixture(name))[0];
    if (start?.type !== 'start') throw new Error('no start event');
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.slice(1).every((c) => c.choices.every((choice) => !('role' in choice.delta)))).toBe(true);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: start.id, object: 'chat.completion.chunk', created: start.created, model: start.model });
    }
  });

  it('passes chunk-level extras through only with passthrough', async () => {
    const withExtras = parseFrames(await encode(TEXT, false, true)).chunks;
    const without = parseFrames(await encode(TEXT, false, false)).chunks;
    expect(withExtras.every((c) => c.system_fingerprint === 'fp_de604bd877' && c.service_tier === 'default')).toBe(true);
    expect(without.some((c) => 'system_fingerprint' in c || 'service_tier' in c)).toBe(false);
    expect(JSON.stringify(withExtras)).not.toContain('obfuscation');
  });

  it('re-emits tool calls in the OpenAI pattern: id, type and name on the first delta only', async () => {
    const { chunks } = parseFrames(await encode(TOOL, false));
    const deltas = chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls as Array<Record<string, unknown>> | undefined) ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: 'call_Xk3YqJ8mN2pL5vR7tW9aB1cD', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas[1]).toEqual({ index: 0, function: { arguments: '{"' } });
    const seen = new Set<unknown>();
    for (const delta of deltas) {
      const first = !seen.has(delta.index);
      seen.add(delta.index);
      expect('id' in delta, JSON.stringify(delta)).toBe(first);
      expect('name' in (delta.function as Record<string, unknown>)).toBe(first);
    }
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it.each(FIXTURES)('%s: decoding the encoded stream gives the same events back', async (name) => {
    const events = await decodeFixture(name);
    const frames = await collect(encodeOpenAIChatStream(fromItems(events), { includeUsage: true, passthrough: true }));
    expect(await collect(decodeOpenAIChatStream(fromStrings(frames)))).toEqual(events);
  });

  it('turns a thrown GatewayError into one in-band error frame, without [DONE]', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'start', id: 'chatcmpl-1', model: 'm', created: 1 };
      yield { type: 'text-delta', choice: 0, text: 'Hel' };
      throw new GatewayError('upstream_unavailable', 'Upstream is overloaded.');
    }
    const frames = await collect(encodeOpenAIChatStream(failing(), { includeUsage: true, passthrough: false }));
    expect(frames).toHaveLength(3);
    expect(frames.at(-1)).toBe('data: {"error":{"message":"Upstream is overloaded.","type":"api_error","param":null,"code":"upstream_unavailable"}}\n\n');
    expect(frames.join('')).not.toContain('[DONE]');
  });

  it('hides the message of an unexpected error behind `internal`', async () => {
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield { type: 'start', id: 'chatcmpl-1', model: 'm', created: 1 };
      throw new Error('database password is hunter2');
    }
    const frames = await collect(encodeOpenAIChatStream(failing(), { includeUsage: false, passthrough: false }));
    const last = JSON.parse((frames.at(-1) ?? '').slice(6)) as { error: Record<string, unknown> };
    expect(last.error).toEqual({ message: 'Internal error', type: 'server_error', param: null, code: 'internal' });
    expect(frames.join('')).not.toContain('hunter2');
  });

  it('invents a chatcmpl id when events start without a start event', async () => {
    const frames = await collect(encodeOpenAIChatStream(fromItems<StreamEvent>([
      { type: 'text-delta', choice: 0, text: 'x' },
      { type: 'finish', choice: 0, reason: 'error', rawReason: null },
    ]), { includeUsage: false, passthrough: false }));
    const { chunks } = parseFrames(frames);
    expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
    expect(chunks[1]?.choices[0]?.finish_reason).toBe('stop');
  });

  it('encodes reasoning and refusal deltas, and logprobs only with passthrough', async () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'c', model: 'm', created: 1 },
      { type: 'reasoning-delta', choice: 0, text: 'hmm' },
      { type: 'refusal-delta', choice: 0, text: 'no' },
      { type: 'text-delta', choice: 0, text: 'a', extra: { logprobs: { content: [] } } },
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'stop' },
    ];
    const deltas = async (passthrough: boolean): Promise<Array<Record<string, unknown>>> =>
      parseFrames(await collect(encodeOpenAIChatStream(fromItems(events), { includeUsage: false, passthrough }))).chunks
        .map((c) => c.choices[0] ?? { delta: {} });
    const open = await deltas(true);
    expect(open.slice(1, 4).map((c) => c.delta)).toEqual([{ reasoning_content: 'hmm' }, { refusal: 'no' }, { content: 'a' }]);
    expect(open[3]?.logprobs).toEqual({ content: [] });
    expect((await deltas(false))[3]?.logprobs).toBeNull();
  });
});
