import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayErrorAsync } from '../../../test/unit/support/errors.js';
import {
  collect, createSeededRandom, cutsInsideCharacters, fromItems, fromStrings, randomCuts, splitAt,
} from '../../../test/unit/support/streams.js';
import { createRedactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { decodeGeminiChatStream } from './stream.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
const fixtureText = (name: string): string => new TextDecoder().decode(readFixture(name));

const COMPLETE = [
  'gemini-text.chunks.txt', 'gemini-text-lf.chunks.txt', 'gemini-3-tool-call.chunks.txt', 'gemini-parallel-tools.chunks.txt',
  'gemini-reasoning.chunks.txt', 'gemini-prompt-blocked.chunks.txt', 'gemini-safety.chunks.txt', 'gemini-two-candidates.chunks.txt',
];

type Chunk = Extract<StreamEvent, { type: 'chunk' }>;
type Canonical = Exclude<StreamEvent, Chunk>;

function flatten(events: StreamEvent[]): Canonical[] {
  return events.flatMap((e) => (e.type === 'chunk' ? flatten(e.events) : [e]));
}

const decode = async (chunks: Uint8Array[]): Promise<Canonical[]> => flatten(await collect(decodeGeminiChatStream(fromItems(chunks))));
const decodeFixture = (name: string): Promise<Canonical[]> => decode([readFixture(name)]);

/** Start events carry the wall clock: compare everything else. */
function withoutClock(events: Canonical[]): unknown[] {
  return events.map((e) => (e.type === 'start' ? { ...e, created: 0 } : e));
}

function textOf(events: Canonical[], choice = 0): string {
  return events.map((e) => (e.type === 'text-delta' && e.choice === choice ? e.text : '')).join('');
}

describe('decodeGeminiChatStream: recorded-shape fixtures', () => {
  it('the fixtures keep Google\'s framing: data-only, CRLF blocks, no terminator', () => {
    const text = fixtureText('gemini-text.chunks.txt');
    expect(text).toMatch(/^data: \{/);
    expect(text.split('\r\n\r\n').filter((b) => b !== '')).toHaveLength(4);
    expect(text).not.toContain('[DONE]');
    expect(text).not.toMatch(/^event:/m);
    expect(fixtureText('gemini-text-lf.chunks.txt')).not.toContain('\r');
  });

  it.each(COMPLETE)('%s: one chunk event per data frame, carrying its exact text, then one usage event', async (name) => {
    const events = await collect(decodeGeminiChatStream(fromItems([readFixture(name)])));
    const frames = fixtureText(name).split(/\r?\n\r?\n/).filter((b) => b !== '').map((b) => b.slice('data: '.length));
    const chunks = events.filter((e): e is Chunk => e.type === 'chunk');
    expect(chunks.map((c) => c.data)).toEqual(frames);
    expect(chunks.every((c) => c.dialect === 'gemini' && !c.usageOnly)).toBe(true);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('usage');
  });

  it('text: start from the first frame, text with multi-byte characters, finish, usage = the LAST cumulative counts', async () => {
    const events = await decodeFixture('gemini-text.chunks.txt');
    expect(events[0]).toMatchObject({ type: 'start', id: 'chatcmpl-mH6LacPqGdrM1MkPsbGP4Qk', model: 'gemini-2.5-flash' });
    expect(textOf(events)).toBe('Sure! A few words: café, 中文 and a rocket 🚀. "Quoted"\n\nDone.');
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'STOP' },
      // candidates 19 (not 6+12+18+19 summed) + thoughts 41; prompt 12.
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 60, reasoningTokens: 41 } },
    ]);
  });

  it('a Gemini 3 tool call: one delta with index 0, id, name and the whole arguments; STOP becomes tool_calls', async () => {
    const events = await decodeFixture('gemini-3-tool-call.chunks.txt');
    const calls = events.filter((e) => e.type === 'tool-call-delta');
    expect(calls).toHaveLength(1);
    const call = calls[0] as Extract<Canonical, { type: 'tool-call-delta' }>;
    expect(call).toMatchObject({ choice: 0, index: 0, name: 'weather', arguments: '{"location":"San Francisco"}' });
    // The signature travels inside the id, so the client sends it back with the history.
    expect(call.id).toMatch(/^call_QHiLaa6LBrb8vdIPoNztsAg_0_0__thought__EpEgCo4gAb4\+9vvWwdN/);
    expect(events.filter((e) => e.type === 'finish')).toEqual([{ type: 'finish', choice: 0, reason: 'tool_calls', rawReason: 'STOP' }]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 29, outputTokens: 819, reasoningTokens: 804 } });
  });

  it('parallel calls: ordinals 0, 1, 2; only the first id carries the signature; no args → {}', async () => {
    const calls = (await decodeFixture('gemini-parallel-tools.chunks.txt')).filter((e) => e.type === 'tool-call-delta');
    expect(calls).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'call_parResp7_0_0__thought__CiQBjz1rX2parallelSig==', name: 'get_weather', arguments: '{"city":"Zürich"}' },
      { type: 'tool-call-delta', choice: 0, index: 1, id: 'call_parResp7_0_1', name: 'get_time', arguments: '{"timezone":"Europe/Zurich"}' },
      { type: 'tool-call-delta', choice: 0, index: 2, id: 'call_parResp7_0_2', name: 'list_cities', arguments: '{}' },
    ]);
  });

  it('thought parts become reasoning deltas, before the text; the empty signature part adds nothing', async () => {
    const events = await decodeFixture('gemini-reasoning.chunks.txt');
    const kinds = events.map((e) => e.type);
    expect(kinds).toEqual(['start', 'reasoning-delta', 'reasoning-delta', 'text-delta', 'text-delta', 'finish', 'usage']);
    expect(events.filter((e) => e.type === 'reasoning-delta').map((e) => (e as { text: string }).text).join(''))
      .toBe('**Counting letters**\n\nI am scanning s-t-r-a-w-b-e-r-r-y for r.');
    expect(textOf(events)).toBe('There are **3** "r"s in strawberry.\n\nSt**r**awbe**rr**y');
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 9, outputTokens: 325, reasoningTokens: 302 } });
  });

  it('a blocked prompt (no candidates) ends as one content_filter finish, never an empty success', async () => {
    expect(withoutClock(await decodeFixture('gemini-prompt-blocked.chunks.txt'))).toEqual([
      { type: 'start', id: 'chatcmpl-EXCPatOAKMrQjMcPteHVmQo', model: 'gemini-3.7-flash', created: 0 },
      { type: 'finish', choice: 0, reason: 'content_filter', rawReason: 'PROHIBITED_CONTENT' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 0 } },
    ]);
  });

  it('a SAFETY stop after some text is a content_filter finish', async () => {
    const events = await decodeFixture('gemini-safety.chunks.txt');
    expect(textOf(events)).toBe('Once upon a time');
    expect(events.filter((e) => e.type === 'finish')).toEqual([{ type: 'finish', choice: 0, reason: 'content_filter', rawReason: 'SAFETY' }]);
  });

  it('two candidates: deltas and finishes keep their choice index; the stream ends once both finished', async () => {
    const events = await decodeFixture('gemini-two-candidates.chunks.txt');
    expect(textOf(events, 0)).toBe('Red.');
    expect(textOf(events, 1)).toBe('Blue sky');
    expect(events.filter((e) => e.type === 'finish')).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'STOP' },
      { type: 'finish', choice: 1, reason: 'length', rawReason: 'MAX_TOKENS' },
    ]);
  });
});

describe('decodeGeminiChatStream: byte splits', () => {
  it.each(COMPLETE)('%s: random splits and splits inside characters decode identically', async (name) => {
    const bytes = readFixture(name);
    const expected = withoutClock(await decode([bytes]));
    const random = createSeededRandom(0x6e3);
    for (let round = 0; round < 25; round++) {
      expect(withoutClock(await decode(splitAt(bytes, randomCuts(bytes.length, 1 + (round % 12), random))))).toEqual(expected);
    }
    const inside = cutsInsideCharacters(bytes);
    if (inside.length > 0) expect(withoutClock(await decode(splitAt(bytes, inside)))).toEqual(expected);
    expect(withoutClock(await decode(splitAt(bytes, Array.from({ length: bytes.length }, (_, i) => i))))).toEqual(expected);
  });

  it('a CRLF split between its CR and LF still separates the frames', async () => {
    const text = fixtureText('gemini-text.chunks.txt');
    const at = text.indexOf('\r\n\r\n') + 1;
    const events = flatten(await collect(decodeGeminiChatStream(fromStrings([text.slice(0, at), text.slice(at)]))));
    expect(textOf(events)).toContain('café, 中文');
  });
});

describe('decodeGeminiChatStream: failures', () => {
  it('a stream cut before any finishReason throws (Gemini has no terminator; EOF alone proves nothing)', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeGeminiChatStream(fromItems([readFixture('gemini-cut.chunks.txt')]))));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toMatch(/ended before the response was complete/);
  });

  it('an empty body throws too', async () => {
    const error = await captureGatewayErrorAsync(collect(decodeGeminiChatStream(fromStrings([]))));
    expect(error.code).toBe('upstream_error');
  });

  it('one finished candidate of two is not complete', async () => {
    const text = fixtureText('gemini-two-candidates.chunks.txt');
    const withoutLast = text.split('\r\n\r\n').slice(0, 2).join('\r\n\r\n') + '\r\n\r\n';
    await expect(collect(decodeGeminiChatStream(fromStrings([withoutLast])))).rejects.toThrow(/ended before/);
  });

  it('an in-band error throws, classified by its status, with the message sanitised', async () => {
    const sanitize = createRedactor([]);
    const decoded: StreamEvent[] = [];
    const error = await captureGatewayErrorAsync((async () => {
      for await (const event of decodeGeminiChatStream(fromItems([readFixture('gemini-in-band-error.chunks.txt')]), sanitize)) decoded.push(event);
    })());
    expect(textOf(flatten(decoded))).toBe('Partial');
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('The model is overloaded');
    expect(error.message).not.toContain('AIzaSyLeakedKey0123456789');
  });

  it('a frame that is not JSON throws', async () => {
    await expect(collect(decodeGeminiChatStream(fromStrings(['data: {not json\r\n\r\n'])))).rejects.toThrow(/malformed stream chunk/);
  });

  it('frames without modelVersion take the model from the hints', async () => {
    const frame = 'data: {"candidates":[{"content":{"parts":[{"text":"hi"}],"role":"model"},"finishReason":"STOP","index":0}]}\r\n\r\n';
    const events = flatten(await collect(decodeGeminiChatStream(fromStrings([frame]), undefined, { model: 'gemini-2.5-pro' })));
    expect(events[0]).toMatchObject({ type: 'start', model: 'gemini-2.5-pro' });
    expect(events.filter((e) => e.type === 'usage')).toEqual([]);
  });
});
