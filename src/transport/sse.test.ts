import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSseParser, decodeSseStream, type SseMessage } from './sse.js';

const encoder = new TextEncoder();
const FIXTURE_DIR = new URL('../formats/openai/__fixtures__/', import.meta.url);
const FIXTURES = ['openai-text.chunks.txt', 'openai-tool-call.chunks.txt', 'openai-text-crlf-keep-alive.chunks.txt'];

function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
}

/** Feeds the byte chunks in order and flushes, returning every message. */
function parseChunks(chunks: Uint8Array[]): SseMessage[] {
  const parser = createSseParser();
  const out = chunks.flatMap((chunk) => parser.push(chunk));
  return [...out, ...parser.end()];
}

function parseStrings(chunks: string[]): SseMessage[] {
  return parseChunks(chunks.map((chunk) => encoder.encode(chunk)));
}

/** mulberry32: a tiny seeded PRNG so a failing split is reproducible from the seed. */
function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...sorted, bytes.length]) {
    out.push(bytes.subarray(start, cut));
    start = cut;
  }
  return out;
}

/** Byte offsets that are "hard" places to cut: inside a multi-byte UTF-8 character, or between `\r` and `\n`. */
function hardCuts(bytes: Uint8Array): { insideChar: number[]; insideCrlf: number[] } {
  const insideChar: number[] = [];
  const insideCrlf: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) insideChar.push(i);
    if (byte === 0x0a && bytes[i - 1] === 0x0d) insideCrlf.push(i);
  }
  return { insideChar, insideCrlf };
}

describe('createSseParser: line handling', () => {
  const cases: Array<{ name: string; chunks: string[]; expected: SseMessage[] }> = [
    { name: 'LF endings', chunks: ['data: a\n\ndata: b\n\n'], expected: [{ data: 'a' }, { data: 'b' }] },
    { name: 'CRLF endings', chunks: ['data: a\r\n\r\ndata: b\r\n\r\n'], expected: [{ data: 'a' }, { data: 'b' }] },
    { name: 'CR endings', chunks: ['data: a\r\rdata: b\r\r'], expected: [{ data: 'a' }, { data: 'b' }] },
    { name: 'mixed endings', chunks: ['data: a\r\n\ndata: b\r\rdata: c\n\r\n'], expected: [{ data: 'a' }, { data: 'b' }, { data: 'c' }] },
    {
      // Were the split `\r` + `\n` read as two line ends, the blank line would end the event after `a`.
      name: 'CRLF split across chunks is one line end',
      chunks: ['data: a\r', '\ndata: b\r', '\n\r', '\n'],
      expected: [{ data: 'a\nb' }],
    },
    { name: 'CR at the end of a chunk, then a new line', chunks: ['data: a\r', 'data: b\r\r'], expected: [{ data: 'a\nb' }] },
    { name: 'line split mid-field', chunks: ['da', 'ta: he', 'llo\n', '\n'], expected: [{ data: 'hello' }] },
    { name: 'comment lines are skipped', chunks: [': ping\n\ndata: x\n: inside\ndata: y\n\n'], expected: [{ data: 'x\ny' }] },
    { name: 'comment-only stream', chunks: [': keep-alive\n\n: keep-alive\n\n'], expected: [] },
    {
      name: 'event names, reset after each message',
      chunks: ['event: message_start\ndata: {"a":1}\n\ndata: plain\n\n'],
      expected: [{ event: 'message_start', data: '{"a":1}' }, { data: 'plain' }],
    },
    { name: 'event without data dispatches nothing', chunks: ['event: ping\n\ndata: x\n\n'], expected: [{ data: 'x' }] },
    { name: 'multi-line data joined with LF', chunks: ['data: one\ndata: two\ndata: three\n\n'], expected: [{ data: 'one\ntwo\nthree' }] },
    { name: 'data: without a space', chunks: ['data:x\n\n'], expected: [{ data: 'x' }] },
    { name: 'only one leading space is stripped', chunks: ['data:  two\n\n'], expected: [{ data: ' two' }] },
    { name: 'last message without the blank line', chunks: ['data: a\n\ndata: b'], expected: [{ data: 'a' }, { data: 'b' }] },
    { name: 'last message with a single newline', chunks: ['data: a\n'], expected: [{ data: 'a' }] },
    { name: 'empty data', chunks: ['data:\n\ndata\n\n'], expected: [{ data: '' }, { data: '' }] },
    { name: 'empty data line inside a message', chunks: ['data: a\ndata:\ndata: b\n\n'], expected: [{ data: 'a\n\nb' }] },
    {
      name: 'id persists as the last event id',
      chunks: ['id: 7\ndata: a\n\ndata: b\n\nid: 8\nevent: e\ndata: c\n\n'],
      expected: [{ id: '7', data: 'a' }, { id: '7', data: 'b' }, { id: '8', event: 'e', data: 'c' }],
    },
    { name: 'id containing NUL is ignored', chunks: ['id: 1\n\nid: x\0y\ndata: a\n\n'], expected: [{ id: '1', data: 'a' }] },
    { name: 'unknown fields and retry are ignored', chunks: ['retry: 1000\nfoo: bar\ndata: a\n\n'], expected: [{ data: 'a' }] },
    { name: 'colons after the first belong to the value', chunks: ['data: {"url":"http://x"}\n\n'], expected: [{ data: '{"url":"http://x"}' }] },
    { name: 'leading BOM is dropped', chunks: ['\uFEFFdata: a\n\n'], expected: [{ data: 'a' }] },
    { name: 'the [DONE] sentinel is ordinary data', chunks: ['data: [DONE]\n\n'], expected: [{ data: '[DONE]' }] },
    { name: 'empty input', chunks: [], expected: [] },
  ];

  it.each(cases)('$name', ({ chunks, expected }) => {
    expect(parseStrings(chunks)).toEqual(expected);
  });

  it('returns each message from the push that completes it, not before', () => {
    const parser = createSseParser();
    expect(parser.push(encoder.encode('data: a\n'))).toEqual([]);
    expect(parser.push(encoder.encode('\ndata: b\n'))).toEqual([{ data: 'a' }]);
    expect(parser.push(encoder.encode('\n'))).toEqual([{ data: 'b' }]);
    expect(parser.end()).toEqual([]);
  });

  it('keeps a multi-byte character cut between chunks intact', () => {
    const bytes = encoder.encode('data: café 中文 🚀\n\n');
    const rocketStart = bytes.length - 6; // 🚀 is 4 bytes, followed by \n\n
    const messages = parseChunks(splitAt(bytes, [rocketStart + 1, rocketStart + 2, rocketStart + 3, 8]));
    expect(messages).toEqual([{ data: 'café 中文 🚀' }]);
  });

  it('delivers a message whose blank line never came at end(), once', () => {
    const parser = createSseParser();
    expect(parser.push(encoder.encode('data: tail\r'))).toEqual([]);
    expect(parser.end()).toEqual([{ data: 'tail' }]);
  });
});

describe('recorded OpenAI fixtures', () => {
  const expectJsonChunks = (messages: SseMessage[]): Array<Record<string, unknown>> => {
    expect(messages.at(-1)).toEqual({ data: '[DONE]' });
    return messages.slice(0, -1).map((m) => {
      expect(m.event).toBeUndefined();
      return JSON.parse(m.data) as Record<string, unknown>;
    });
  };
  const deltaContent = (chunk: Record<string, unknown>): string => {
    const choices = chunk.choices as Array<{ delta: { content?: string | null } }>;
    return choices[0]?.delta.content ?? '';
  };

  it('openai-text: content with multi-byte characters, finish chunk, then the include_usage chunk', () => {
    const chunks = expectJsonChunks(parseChunks([readFixture('openai-text.chunks.txt')]));
    expect(chunks).toHaveLength(23); // role chunk, 20 content chunks, finish chunk, usage chunk
    expect(chunks.map(deltaContent).join('')).toBe('Sure! Here are a few words: café, 中文 and a rocket 🚀. "Quoted"\n\nDone.');
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }], usage: null });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 14, completion_tokens: 20, total_tokens: 34 } });
  });

  it('openai-tool-call: two parallel calls whose argument fragments reassemble by index', () => {
    const chunks = expectJsonChunks(parseChunks([readFixture('openai-tool-call.chunks.txt')]));
    const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
    for (const chunk of chunks) {
      const choices = chunk.choices as Array<{ delta: { tool_calls?: Array<{ index: number; id?: string; function: { name?: string; arguments: string } }> } }>;
      for (const delta of choices[0]?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { arguments: '' });
        if (delta.id !== undefined) call.id = delta.id;
        if (delta.function.name !== undefined) call.name = delta.function.name;
        call.arguments += delta.function.arguments;
      }
    }
    expect(calls).toEqual([
      { id: 'call_Xk3YqJ8mN2pL5vR7tW9aB1cD', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_Fh6GzT2wE4sQ8uI0oP3aS5dK', name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
    ]);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('openai-text-crlf-keep-alive: CRLF framing and keep-alive comments yield only the data events', () => {
    const raw = readFixture('openai-text-crlf-keep-alive.chunks.txt');
    const text = new TextDecoder().decode(raw);
    expect(text).toContain(': keep-alive\r\n\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // every line ending is CRLF
    const chunks = expectJsonChunks(parseChunks([raw]));
    expect(chunks).toHaveLength(8);
    expect(chunks.map(deltaContent).join('')).toBe('Naïve résumé — ok.');
  });
});

describe('split replay fuzz', () => {
  const ITERATIONS = 200;

  // Not a provider recording: packs event names, multi-line data, ids and all three line endings
  // together, so a `\r`|`\n` split that ends an event early changes the decoded result.
  const synthetic = encoder.encode(
    ': hi\r\nevent: a\r\ndata: 1\r\ndata: é🚀\r\nid: 5\r\n\r\nevent: b\rdata: 中\r\rdata:x\ndata: y\r\n\ndata: tail',
  );
  const sources = [...FIXTURES.map((name) => ({ name, bytes: readFixture(name) })), { name: 'synthetic mixed', bytes: synthetic }];

  it.each(sources)('$name decodes identically however the bytes are split', ({ name, bytes }) => {
    const expected = parseChunks([bytes]);
    expect(expected.length).toBeGreaterThan(2);
    const { insideChar, insideCrlf } = hardCuts(bytes);
    const hard = [...insideChar, ...insideCrlf];
    const random = createSeededRandom(0x5eed + name.length);
    let hardCutsTried = 0;

    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const cutCount = 1 + Math.floor(random() * 40);
      const cuts: number[] = [];
      for (let i = 0; i < cutCount; i++) {
        const pickHard = hard.length > 0 && random() < 0.3;
        cuts.push(pickHard ? (hard[Math.floor(random() * hard.length)] ?? 0) : 1 + Math.floor(random() * (bytes.length - 1)));
      }
      hardCutsTried += cuts.filter((c) => hard.includes(c)).length;
      expect(parseChunks(splitAt(bytes, cuts)), `seed iteration ${iteration}, cuts ${cuts.join(',')}`).toEqual(expected);
    }
    // One byte at a time puts a cut at every hard position at once.
    expect(parseChunks(splitAt(bytes, Array.from(bytes.keys())))).toEqual(expected);
    if (hard.length > 0) expect(hardCutsTried).toBeGreaterThan(20);
  });

  it('the sources contain the hard cases the fuzz is meant to hit', () => {
    expect(parseChunks([synthetic])).toEqual([
      { event: 'a', data: '1\né🚀', id: '5' },
      { event: 'b', data: '中', id: '5' },
      { data: 'x\ny', id: '5' },
      { data: 'tail', id: '5' },
    ]);
    expect(hardCuts(synthetic).insideCrlf.length).toBeGreaterThan(4);
    expect(hardCuts(readFixture('openai-text.chunks.txt')).insideChar).toHaveLength(8); // é, 中, 文, 🚀 continuation bytes
    expect(hardCuts(readFixture('openai-text-crlf-keep-alive.chunks.txt')).insideCrlf.length).toBeGreaterThan(10);
  });
});

describe('decodeSseStream', () => {
  async function* chunksOf(parts: Uint8Array[], pulls: { count: number; finished: boolean }): AsyncGenerator<Uint8Array> {
    try {
      for (const part of parts) {
        pulls.count++;
        yield part;
      }
    } finally {
      pulls.finished = true;
    }
  }

  it('frames an async iterable of byte chunks like the push parser', async () => {
    const bytes = readFixture('openai-text-crlf-keep-alive.chunks.txt');
    const pulls = { count: 0, finished: false };
    const messages: SseMessage[] = [];
    for await (const message of decodeSseStream(chunksOf(splitAt(bytes, [3, 100, 101, 250, 700]), pulls))) messages.push(message);
    expect(messages).toEqual(parseChunks([bytes]));
    expect(pulls).toEqual({ count: 6, finished: true });
  });

  it('delivers a trailing message without its blank line at the end of the stream', async () => {
    const pulls = { count: 0, finished: false };
    const messages: SseMessage[] = [];
    for await (const message of decodeSseStream(chunksOf([encoder.encode('data: a\n\ndata: b')], pulls))) messages.push(message);
    expect(messages).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('pulls upstream bytes only as messages are consumed, and stopping early closes the source', async () => {
    const parts = ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n', 'data: 4\n\n'].map((s) => encoder.encode(s));
    const pulls = { count: 0, finished: false };
    const stream = decodeSseStream(chunksOf(parts, pulls));
    expect(await stream.next()).toEqual({ done: false, value: { data: '1' } });
    expect(pulls.count).toBe(1);
    expect(pulls.finished).toBe(false);
    await stream.return(undefined);
    expect(pulls).toEqual({ count: 1, finished: true });
  });

  it('propagates a source error (e.g. an upstream socket reset) to the consumer', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('data: ok\n\n');
      throw new Error('socket hang up');
    }
    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const message of decodeSseStream(failing())) seen.push(message.data);
    };
    await expect(consume()).rejects.toThrow('socket hang up');
    expect(seen).toEqual(['ok']);
  });
});
