import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, collectUntilError, createSeededRandom, cutsInsideCharacters, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { createRedactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { encodeOpenAIChatStream } from '../openai/chat-stream.js';
import { decodeAzureChatStream } from './stream.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
const FIXTURES = ['azure-text.chunks.txt', 'azure-async-filter.chunks.txt', 'azure-content-filter.chunks.txt', 'azure-tool-call.chunks.txt'];

type Chunk = Extract<StreamEvent, { type: 'chunk' }>;
type Canonical = Exclude<StreamEvent, Chunk>;

const decodeBytes = (chunks: Uint8Array[]): Promise<StreamEvent[]> => collect(decodeAzureChatStream(fromItems(chunks)));
const decodeFixture = (name: string): Promise<StreamEvent[]> => decodeBytes([readFixture(name)]);
const flatten = (events: StreamEvent[]): Canonical[] => events.flatMap((e) => (e.type === 'chunk' ? flatten(e.events) : [e]));
const textOf = (events: Canonical[]): string => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

/** What an OpenAI caller receives (same dialect: the cleaned frames are relayed as they are). */
async function relayed(name: string, includeUsage: boolean): Promise<Array<Record<string, unknown>>> {
  const out = (await collect(encodeOpenAIChatStream(decodeAzureChatStream(fromItems([readFixture(name)])), { includeUsage, passthrough: true }))).join('');
  const frames = out.split('\n\n').filter((f) => f !== '');
  expect(frames.at(-1)).toBe('data: [DONE]');
  return frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)) as Record<string, unknown>);
}

describe('decodeAzureChatStream: recorded shapes', () => {
  it.each(FIXTURES)('%s: no annotation survives, and no chunk without choices except usage', async (name) => {
    const events = await decodeFixture(name);
    const chunks = events.filter((e): e is Chunk => e.type === 'chunk');
    expect(chunks.length).toBe(events.length);
    for (const chunk of chunks) {
      expect(chunk.dialect).toBe('openai');
      expect(chunk.data).not.toMatch(/filter_results|content_filter_offsets/);
      const parsed = JSON.parse(chunk.data) as { id: string; choices: unknown[] };
      expect(parsed.id).not.toBe('');
      expect(parsed.choices.length > 0 || chunk.usageOnly).toBe(true);
    }
    const flat = flatten(events);
    expect(flat[0]?.type).toBe('start');
    expect(flat.filter((e) => e.type === 'finish')).toHaveLength(1);
  });

  it('the prompt-filter chunk does not become the start: id, model and created come from the first real chunk', async () => {
    const events = flatten(await decodeFixture('azure-text.chunks.txt'));
    expect(events[0]).toEqual({
      type: 'start', id: 'chatcmpl-AZ8f3kQ1rT5uV7wX9yB2dE4gH6jL', model: 'gpt-4o-2024-08-06', created: 1733240517,
      extra: { system_fingerprint: 'fp_04751d0b65' },
    });
    expect(textOf(events)).toBe('Grüße aus Köln — 東京 🚀.');
    expect(events.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: 1208, outputTokens: 9, cacheReadTokens: 1024, reasoningTokens: 0 } });
  });

  it('asynchronous-filter chunks (no delta) are dropped, before and after the finish', async () => {
    const events = await decodeFixture('azure-async-filter.chunks.txt');
    expect(textOf(flatten(events))).toBe('Once upon a time');
    expect(events).toHaveLength(5);
  });

  it('content_filter finish maps to content_filter', async () => {
    const events = flatten(await decodeFixture('azure-content-filter.chunks.txt'));
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', choice: 0, reason: 'content_filter', rawReason: 'content_filter' });
  });

  it('tool calls keep OpenAI\'s fragment pattern', async () => {
    const calls = flatten(await decodeFixture('azure-tool-call.chunks.txt')).filter((e) => e.type === 'tool-call-delta');
    expect(calls.filter((c) => 'id' in c).map((c) => ('id' in c ? [c.index, c.id, c.name] : []))).toEqual([
      [0, 'call_Xk3YqJ8mN2pL5vR7tW9aB1cD', 'get_weather'], [1, 'call_Fh6GzT2wE4sQ8uI0oP3aS5dK', 'get_time'],
    ]);
    const args = [0, 1].map((i) => calls.filter((c) => c.type === 'tool-call-delta' && c.index === i).map((c) => (c.type === 'tool-call-delta' ? c.arguments : '')).join(''));
    expect(args).toEqual(['{"city":"Zürich"}', '{"timezone":"Europe/Zurich"}']);
  });

  it('an untouched chunk keeps its bytes; a cleaned one is re-serialised without the annotations only', async () => {
    const text = new TextDecoder().decode(readFixture('azure-tool-call.chunks.txt'));
    const original = text.split('\n\n').filter((f) => f.startsWith('data: {'))[2]?.slice('data: '.length) ?? '';
    const events = await decodeFixture('azure-tool-call.chunks.txt');
    const chunk = events[1] as Chunk;
    const expected = JSON.parse(original) as { choices: Array<Record<string, unknown>> };
    delete expected.choices[0]?.content_filter_results;
    expect(JSON.parse(chunk.data)).toEqual(expected);
  });

  it.each(FIXTURES)('%s: split at random byte positions (seeded) gives identical events', async (name) => {
    const bytes = readFixture(name);
    const expected = await decodeBytes([bytes]);
    for (let seed = 1; seed <= 25; seed++) {
      const random = createSeededRandom(seed);
      expect(await decodeBytes(splitAt(bytes, randomCuts(bytes.length, 1 + Math.floor(random() * 60), random))), `seed ${seed}`).toEqual(expected);
    }
  });

  it.each(FIXTURES)('%s: split inside every multi-byte character', async (name) => {
    const bytes = readFixture(name);
    expect(await decodeBytes(splitAt(bytes, cutsInsideCharacters(bytes)))).toEqual(await decodeBytes([bytes]));
  });
});

describe('Azure stream as an OpenAI caller receives it', () => {
  it('no empty-choices chunk unless usage was asked for; every chunk has the real id', async () => {
    const plain = await relayed('azure-text.chunks.txt', false);
    expect(plain.every((c) => (c.choices as unknown[]).length > 0)).toBe(true);
    expect(new Set(plain.map((c) => c.id))).toEqual(new Set(['chatcmpl-AZ8f3kQ1rT5uV7wX9yB2dE4gH6jL']));
    expect(JSON.stringify(plain)).not.toMatch(/filter_results|prompt_index/);
    const withUsage = await relayed('azure-text.chunks.txt', true);
    expect(withUsage.filter((c) => (c.choices as unknown[]).length === 0)).toHaveLength(1);
    expect(withUsage.at(-1)).toMatchObject({ usage: { prompt_tokens: 1208, prompt_tokens_details: { cached_tokens: 1024 } } });
  });

  it('the async-filter stream reaches the caller as content, finish, [DONE]', async () => {
    const frames = await relayed('azure-async-filter.chunks.txt', false);
    expect(frames.map((f) => (f.choices as Array<{ finish_reason: string | null }>)[0]?.finish_reason ?? null)).toEqual([null, null, null, null, 'stop']);
  });
});

describe('decodeAzureChatStream: failures', () => {
  const head = 'data: {"choices":[{"content_filter_results":{},"delta":{"content":"Hi","role":"assistant"},"finish_reason":null,"index":0}],"created":1,"id":"chatcmpl-1","model":"gpt-4o","object":"chat.completion.chunk"}\n\n';

  it('a stream cut before [DONE] and before a finish throws upstream_error', async () => {
    const { items, error } = await collectUntilError(decodeAzureChatStream(fromStrings([head])));
    expect(textOf(flatten(items))).toBe('Hi');
    expect(error).toMatchObject({ code: 'upstream_error' });
  });

  it('a stream of nothing but the prompt-filter chunk, then EOF, throws', async () => {
    const text = new TextDecoder().decode(readFixture('azure-text.chunks.txt')).split('\n\n')[0] ?? '';
    const { items, error } = await collectUntilError(decodeAzureChatStream(fromStrings([`${text}\n\n`])));
    expect(items).toEqual([]);
    expect(error).toMatchObject({ code: 'upstream_error' });
  });

  it('an in-band error throws with the message sanitised', async () => {
    const secret = 'azure-key-0123456789abcdef0123';
    const error = await captureGatewayErrorAsync(collect(decodeAzureChatStream(fromStrings([
      head, `data: {"error":{"message":"bad key ${secret}","type":"server_error","code":"500"}}\n\n`,
    ]), createRedactor([secret]))));
    expect(error.code).toBe('upstream_error');
    expect(error.message).not.toContain(secret);
  });

  it('an `event: error` frame throws too', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeAzureChatStream(fromStrings([head, 'event: error\ndata: {"message":"overloaded"}\n\n']))));
    expect(error.message).toBe('overloaded');
  });
});
