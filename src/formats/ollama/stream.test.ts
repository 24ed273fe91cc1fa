import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, collectUntilError, createSeededRandom, cutsInsideCharacters, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { GatewayError } from '../../core/errors.js';
import { createRedactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { encodeOpenAIChatStream } from '../openai/chat-stream.js';
import { decodeOllamaChatStream } from './stream.js';
import { buildOllamaToolCallId } from './tool-calls.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));

const TEXT = 'ollama-text.ndjson';
const TOOL = 'ollama-tool-call.ndjson';
const THINKING_TOOL = 'ollama-thinking-tool-call.ndjson';
const THINKING_CRLF = 'ollama-thinking-crlf.ndjson';
const LENGTH = 'ollama-length.ndjson';
const COMPLETE = [TEXT, TOOL, THINKING_TOOL, THINKING_CRLF, LENGTH];

type Chunk = Extract<StreamEvent, { type: 'chunk' }>;
type Canonical = Exclude<StreamEvent, Chunk>;
type ToolDelta = Extract<StreamEvent, { type: 'tool-call-delta' }>;

const decodeBytes = (chunks: Uint8Array[]): Promise<StreamEvent[]> => collect(decodeOllamaChatStream(fromItems(chunks)));
const decodeFixture = (name: string): Promise<StreamEvent[]> => decodeBytes([readFixture(name)]);

function flatten(events: StreamEvent[]): Canonical[] {
  return events.flatMap((e) => (e.type === 'chunk' ? flatten(e.events) : [e]));
}

/** Events without the start event's random id, so two decodings can be compared. */
function comparable(events: StreamEvent[]): unknown[] {
  return flatten(events).map((e) => (e.type === 'start' ? { ...e, id: '<id>' } : e));
}

const joined = (events: StreamEvent[], type: 'text-delta' | 'reasoning-delta'): string =>
  flatten(events).map((e) => (e.type === type ? e.text : '')).join('');

describe('decodeOllamaChatStream: recorded fixtures', () => {
  it.each(COMPLETE)('%s: one chunk event per NDJSON line, carrying the line as sent', async (name) => {
    const events = await decodeFixture(name);
    expect(events.every((e) => e.type === 'chunk' && e.dialect === 'ollama' && !e.usageOnly)).toBe(true);
    const lines = new TextDecoder().decode(readFixture(name)).split(/\r?\n/).filter((l) => l !== '');
    expect((events as Chunk[]).map((e) => e.data)).toEqual(lines);
  });

  it('text: start, one delta per token (multi-byte and Go-escaped characters intact), finish, usage', async () => {
    const events = flatten(await decodeFixture(TEXT));
    expect(events[0]).toEqual({ type: 'start', id: expect.stringMatching(/^chatcmpl-/), model: 'llama3.2', created: 1751919739 });
    expect(joined(events, 'text-delta')).toBe('Sure! Here are a few words: café, 中文 & a rocket 🚀.');
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(16);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 31, outputTokens: 17 } },
    ]);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
  });

  it('tool calls without ids: two OpenAI-style deltas per call, synthesised stable ids, finish tool_calls although Ollama said stop', async () => {
    const events = flatten(await decodeFixture(TOOL));
    const calls = events.filter((e): e is ToolDelta => e.type === 'tool-call-delta');
    const weatherId = buildOllamaToolCallId({ createdAt: '2025-07-07T20:22:19.184789Z', ordinal: 0, name: 'get_weather', args: '{"city":"Tokyo","unit":"celsius"}' });
    expect(calls).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: weatherId, name: 'get_weather', arguments: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city":"Tokyo","unit":"celsius"}' },
      { type: 'tool-call-delta', choice: 0, index: 1, id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'get_time', arguments: '' },
      { type: 'tool-call-delta', choice: 0, index: 1, arguments: '{"timezone":"Asia/Tokyo"}' },
    ]);
    expect(calls[0]?.id).not.toBe(calls[2]?.id);
    expect(flatten(await decodeFixture(TOOL)).filter((e) => e.type === 'tool-call-delta')).toEqual(calls);
    expect(events.at(-2)).toEqual({ type: 'finish', choice: 0, reason: 'tool_calls', rawReason: 'stop' });
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 169, outputTokens: 15 } });
    expect(events.some((e) => e.type === 'text-delta')).toBe(false);
  });

  it('thinking, then a tool call that brought its own id', async () => {
    const events = flatten(await decodeFixture(THINKING_TOOL));
    expect(joined(events, 'reasoning-delta')).toBe('Okay, the user wants the weather in Zürich. I should call get_weather.');
    const calls = events.filter((e): e is ToolDelta => e.type === 'tool-call-delta');
    expect(calls).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'call_9fk2m1xq', name: 'get_weather', arguments: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"city":"Zürich"}' },
    ]);
    expect(events.at(-2)).toMatchObject({ type: 'finish', reason: 'tool_calls' });
  });

  it('CRLF framing: reasoning deltas all come before the text', async () => {
    const events = flatten(await decodeFixture(THINKING_CRLF));
    expect(joined(events, 'reasoning-delta')).toBe('The user greets me.');
    expect(joined(events, 'text-delta')).toBe('Hallo! Schön, dich zu sehen 👋');
    const kinds = events.map((e) => e.type);
    expect(kinds.lastIndexOf('reasoning-delta')).toBeLessThan(kinds.indexOf('text-delta'));
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 12, outputTokens: 14 } });
  });

  it('length: finish length; a prompt_eval_count left out (fully cached prompt) counts 0', async () => {
    const events = flatten(await decodeFixture(LENGTH));
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'length', rawReason: 'length' },
      { type: 'usage', usage: { inputTokens: 0, outputTokens: 4 } },
    ]);
  });

  it.each(COMPLETE)('%s: split at random byte positions (seeded) gives identical events', async (name) => {
    const bytes = readFixture(name);
    const expected = comparable(await decodeBytes([bytes]));
    for (let seed = 1; seed <= 25; seed++) {
      const random = createSeededRandom(seed);
      const cuts = randomCuts(bytes.length, 1 + Math.floor(random() * 60), random);
      expect(comparable(await decodeBytes(splitAt(bytes, cuts))), `seed ${seed}`).toEqual(expected);
    }
  });

  it.each([TEXT, THINKING_TOOL, THINKING_CRLF])('%s: split inside every multi-byte character, and byte by byte', async (name) => {
    const bytes = readFixture(name);
    const expected = comparable(await decodeBytes([bytes]));
    expect(cutsInsideCharacters(bytes).length).toBeGreaterThan(0);
    expect(comparable(await decodeBytes(splitAt(bytes, cutsInsideCharacters(bytes))))).toEqual(expected);
    expect(comparable(await decodeBytes(splitAt(bytes, Array.from(bytes.keys()))))).toEqual(expected);
  });
});

describe('decodeOllamaChatStream: failures', () => {
  it('an {"error"} line after content throws, sanitised, after the content already decoded', async () => {
    const { items, error } = await collectUntilError(decodeOllamaChatStream(fromItems([readFixture('ollama-error-mid-stream.ndjson')])));
    expect(joined(items, 'text-delta')).toBe('The answer is');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_error', message: 'an error was encountered while running the model: unexpected EOF' });
    const secret = 'sk-abcdefghijklmnopqrstuvwxyz012345';
    const leaky = fromStrings([`{"error":"bad key ${secret} in header"}\n`]);
    const sanitised = await captureGatewayErrorAsync(collect(decodeOllamaChatStream(leaky, createRedactor([secret]))));
    expect(sanitised.message).not.toContain(secret);
    expect(sanitised.message).toContain('[redacted]');
  });

  it('a context overflow reported in-band keeps its code', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeOllamaChatStream(fromStrings(['{"error":"input length exceeds the context length"}\n']))));
    expect(error.code).toBe('context_length_exceeded');
  });

  it.each([
    ['a clean end before the done line', [readFixture('ollama-cut.ndjson')]],
    ['an empty body', []],
    ['a last line without its done flag or newline', [new TextEncoder().encode('{"model":"m","message":{"content":"x"},"done":false}')]],
  ])('%s throws instead of ending silently', async (_name, chunks) => {
    const error = await captureGatewayErrorAsync(collect(decodeOllamaChatStream(fromItems(chunks))));
    expect(error).toMatchObject({ code: 'upstream_error', message: 'Upstream stream ended before the response was complete.' });
  });

  it.each(['not json\n', '[1,2]\n', '"text"\n'])('a malformed line (%j) throws', async (line) => {
    const error = await captureGatewayErrorAsync(collect(decodeOllamaChatStream(fromStrings([line]))));
    expect(error.message).toBe('Upstream sent a malformed stream chunk.');
  });

  it('a done line ending the body without a newline still completes; nothing after done is read', async () => {
    const done = '{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"ok"},"done_reason":"stop","done":true,"eval_count":1}';
    expect(flatten(await collect(decodeOllamaChatStream(fromStrings([done]))))).toMatchObject([
      { type: 'start', model: 'm', created: 1735689600 }, { type: 'text-delta', text: 'ok' }, { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 0, outputTokens: 1 } },
    ]);
    const trailing = await collect(decodeOllamaChatStream(fromStrings([`${done}\n{"error":"ignored"}\n`])));
    expect(flatten(trailing).at(-1)).toMatchObject({ type: 'usage' });
  });

  it.each([
    ['load', 'stop'], ['unload', 'stop'], ['', 'stop'], ['length', 'length'], ['something-new', 'stop'],
  ])('done_reason %j → finish %s (no usage event when Ollama reports no counts)', async (reason, mapped) => {
    const line = `{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done_reason":${JSON.stringify(reason)},"done":true}\n`;
    const events = flatten(await collect(decodeOllamaChatStream(fromStrings([line]))));
    expect(events.map((e) => e.type)).toEqual(['start', 'finish']);
    expect(events[1]).toEqual({ type: 'finish', choice: 0, reason: mapped, rawReason: reason });
  });
});

describe('decodeOllamaChatStream → encodeOpenAIChatStream', () => {
  it('re-encodes as OpenAI chunks: tool-call deltas the SDK accumulates, finish tool_calls, usage only when asked', async () => {
    const frames = await collect(encodeOpenAIChatStream(decodeOllamaChatStream(fromItems([readFixture(TOOL)])), { includeUsage: true, passthrough: false }));
    const text = frames.join('');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = text.split('\n\n').filter((f) => f.startsWith('data: {')).map((f) => JSON.parse(f.slice(6)) as Record<string, unknown>);
    const deltas = chunks.flatMap((c) => (c.choices as Array<{ delta: { tool_calls?: unknown[] } }>).flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(deltas[0]).toEqual({ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas[1]).toEqual({ index: 0, function: { arguments: '{"city":"Tokyo","unit":"celsius"}' } });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 169, completion_tokens: 15, total_tokens: 184 } });
    const plain = (await collect(encodeOpenAIChatStream(decodeOllamaChatStream(fromItems([readFixture(TOOL)])), { includeUsage: false, passthrough: false }))).join('');
    expect(plain).not.toContain('"usage"');
  });
});
