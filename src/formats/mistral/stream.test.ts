import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, collectUntilError, createSeededRandom, cutsInsideCharacters, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { createRedactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { encodeOpenAIChatStream } from '../openai/chat-stream.js';
import { decodeMistralChatStream } from './stream.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));

const FIXTURES = [
  'mistral-text.chunks.txt', 'mistral-text-unicode.chunks.txt', 'mistral-tool-call.chunks.txt',
  'mistral-parallel-tool-calls.chunks.txt', 'mistral-incremental-tool-call.chunks.txt', 'mistral-reasoning.chunks.txt',
  'mistral-empty-choices.chunks.txt', 'mistral-usage-details.chunks.txt', 'mistral-model-length.chunks.txt',
];

type Chunk = Extract<StreamEvent, { type: 'chunk' }>;
type Canonical = Exclude<StreamEvent, Chunk>;
type ToolDelta = Extract<StreamEvent, { type: 'tool-call-delta' }>;

const decodeBytes = (chunks: Uint8Array[]): Promise<StreamEvent[]> => collect(decodeMistralChatStream(fromItems(chunks)));
const decodeFixture = (name: string): Promise<StreamEvent[]> => decodeBytes([readFixture(name)]);

function flatten(events: StreamEvent[]): Canonical[] {
  return events.flatMap((e) => (e.type === 'chunk' ? flatten(e.events) : [e]));
}

const textOf = (events: Canonical[]): string => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
const toolDeltas = (events: Canonical[]): ToolDelta[] => events.filter((e): e is ToolDelta => e.type === 'tool-call-delta');

describe('decodeMistralChatStream: recorded fixtures', () => {
  it.each(FIXTURES)('%s: chunks of dialect mistral, then exactly one usage event, last', async (name) => {
    const events = await decodeFixture(name);
    const chunks = events.filter((e): e is Chunk => e.type === 'chunk');
    expect(chunks.every((c) => c.dialect === 'mistral' && !c.usageOnly && c.events.length > 0)).toBe(true);
    const flat = flatten(events);
    expect(flat[0]?.type).toBe('start');
    expect(flat.filter((e) => e.type === 'start')).toHaveLength(1);
    expect(flat.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('usage');
    expect(flat.filter((e) => e.type === 'finish')).toHaveLength(1);
  });

  it('decodes the text fixture: start, text, finish, usage', async () => {
    const events = flatten(await decodeFixture('mistral-text.chunks.txt'));
    expect(events[0]).toMatchObject({ type: 'start', id: '5319bd0299614c679a0068a4f2c8ffd0', model: 'mistral-small-latest', created: 1769088720 });
    expect(textOf(events)).toBe('Hello, world! This is a test response.');
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 13, outputTokens: 8 } },
    ]);
  });

  it('keeps multi-byte text and reads cached tokens; Mistral-only usage fields are not kept', async () => {
    const events = flatten(await decodeFixture('mistral-text-unicode.chunks.txt'));
    expect(textOf(events)).toBe('Grüße aus Köln — 東京 and 🚀.');
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 1219, outputTokens: 12, cacheReadTokens: 1024 } });
  });

  it('a whole tool call without index becomes OpenAI index 0 with id, name and the full arguments', async () => {
    const events = flatten(await decodeFixture('mistral-tool-call.chunks.txt'));
    expect(toolDeltas(events)).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' },
    ]);
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', choice: 0, reason: 'tool_calls', rawReason: 'tool_calls' });
  });

  it('parallel calls in separate chunks, neither indexed, get ordinals 0 and 1', async () => {
    const calls = toolDeltas(flatten(await decodeFixture('mistral-parallel-tool-calls.chunks.txt')));
    expect(calls.map((c) => [c.index, c.id, c.name])).toEqual([[0, 'D681PevKs', 'get_weather'], [1, 'x9QzT2wLm', 'get_time']]);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual({ city: 'Zürich' });
  });

  it('incremental fragments: id and name only on the first delta, the empty continuation name dropped', async () => {
    const events = flatten(await decodeFixture('mistral-incremental-tool-call.chunks.txt'));
    const calls = toolDeltas(events);
    expect(calls).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'chatcmpl-tool-9f149c74c42f265b', name: 'webSearchTool', arguments: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"query": "current Berlin weather"}' },
    ]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 171, outputTokens: 14, cacheReadTokens: 128 } });
  });

  it('thinking chunks become reasoning deltas, before the text', async () => {
    const events = flatten(await decodeFixture('mistral-reasoning.chunks.txt'));
    const kinds = events.map((e) => e.type);
    expect(kinds).toEqual(['start', 'reasoning-delta', 'reasoning-delta', 'text-delta', 'finish', 'usage']);
    const reasoning = events.map((e) => (e.type === 'reasoning-delta' ? e.text : '')).join('');
    expect(reasoning).toBe('The user is asking for 2+2. This is basic arithmetic. 2+2=4.');
    expect(textOf(events)).toBe('2 + 2 = 4');
  });

  it('an empty-choices chunk produces no event', async () => {
    const events = await decodeFixture('mistral-empty-choices.chunks.txt');
    expect(textOf(flatten(events))).toBe('Hello!');
    expect(events.filter((e) => e.type === 'chunk')).toHaveLength(3);
  });

  it('only the last usage counts when an earlier chunk carries a partial one', async () => {
    const events = flatten(await decodeFixture('mistral-usage-details.chunks.txt'));
    expect(events.filter((e) => e.type === 'usage')).toEqual([
      { type: 'usage', usage: { inputTokens: 20, outputTokens: 2, cacheReadTokens: 0, reasoningTokens: 7 } },
    ]);
  });

  it('model_length is a length stop (raw value kept), num_cached_tokens the cached count', async () => {
    const events = flatten(await decodeFixture('mistral-model-length.chunks.txt'));
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', choice: 0, reason: 'length', rawReason: 'model_length' });
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 131060, outputTokens: 12, cacheReadTokens: 4096 } });
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

  it.each(FIXTURES)('%s: split inside every multi-byte character, and one byte at a time', async (name) => {
    const bytes = readFixture(name);
    const expected = await decodeBytes([bytes]);
    expect(await decodeBytes(splitAt(bytes, cutsInsideCharacters(bytes)))).toEqual(expected);
    expect(await decodeBytes(splitAt(bytes, Array.from({ length: bytes.length }, (_, i) => i)))).toEqual(expected);
  });
});

describe('decodeMistralChatStream: failures', () => {
  const head = 'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n';

  it('a stream cut before [DONE] and before any finish throws upstream_error', async () => {
    const { items, error } = await collectUntilError(decodeMistralChatStream(fromStrings([head])));
    expect(textOf(flatten(items))).toBe('Hel');
    expect(error).toMatchObject({ code: 'upstream_error' });
  });

  it('a cut inside a frame throws too (the partial frame is not decoded as complete)', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeMistralChatStream(fromStrings([head, 'data: {"id":"x","choi']))));
    expect(error.code).toBe('upstream_error');
  });

  it('a finished stream without [DONE] still ends cleanly, with its usage', async () => {
    const finish = 'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n';
    const events = await collect(decodeMistralChatStream(fromStrings([head, finish])));
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } });
  });

  it('an in-band Mistral error throws with the message sanitised', async () => {
    const redact = createRedactor(['sk-mistral-secret-0123456789']);
    const error = await captureGatewayErrorAsync(collect(decodeMistralChatStream(fromStrings([
      head,
      'data: {"object":"error","message":"upstream failed for key sk-mistral-secret-0123456789","type":"internal_error","param":null,"code":"1000"}\n\n',
    ]), redact)));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('upstream failed');
    expect(error.message).not.toContain('sk-mistral-secret-0123456789');
  });

  it('a malformed chunk throws upstream_error', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeMistralChatStream(fromStrings(['data: {not json}\n\n']))));
    expect(error.code).toBe('upstream_error');
  });

  it('finish reason error is kept as error, and OpenAI callers see stop', async () => {
    const frames = [head, 'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\n\n', 'data: [DONE]\n\n'];
    const events = flatten(await collect(decodeMistralChatStream(fromStrings(frames))));
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', choice: 0, reason: 'error', rawReason: 'error' });
    const out = (await collect(encodeOpenAIChatStream(decodeMistralChatStream(fromStrings(frames)), { includeUsage: false, passthrough: false }))).join('');
    expect(out).toContain('"finish_reason":"stop"');
  });
});

describe('Mistral stream re-encoded for an OpenAI caller', () => {
  async function openAIFrames(name: string, includeUsage: boolean): Promise<Array<Record<string, unknown>>> {
    const text = (await collect(encodeOpenAIChatStream(decodeMistralChatStream(fromItems([readFixture(name)])), { includeUsage, passthrough: false }))).join('');
    const frames = text.split('\n\n').filter((f) => f !== '');
    expect(frames.at(-1)).toBe('data: [DONE]');
    return frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)) as Record<string, unknown>);
  }

  it('usage is a separate empty-choices chunk after the finish, only when asked', async () => {
    const withUsage = await openAIFrames('mistral-text.chunks.txt', true);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 } });
    expect(withUsage.filter((c) => (c.choices as unknown[]).length === 0)).toHaveLength(1);
    const without = await openAIFrames('mistral-text.chunks.txt', false);
    expect(without.every((c) => (c.choices as unknown[]).length > 0 && !('usage' in c))).toBe(true);
  });

  it('every chunk carries the upstream id, and Mistral-only fields (`p`) do not leak', async () => {
    const frames = await openAIFrames('mistral-text-unicode.chunks.txt', false);
    expect(new Set(frames.map((f) => f.id))).toEqual(new Set(['b5810ef13dbb4811a20d34e1393d8431']));
    expect(JSON.stringify(frames)).not.toContain('"p"');
  });
});
