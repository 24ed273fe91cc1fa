import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect, createSeededRandom, cutsInsideCharacters, splitAt } from '../../test/unit/support/streams.js';
import { GatewayError } from '../core/errors.js';
import { createNdjsonParser, decodeNdjsonStream } from './ndjson.js';

const encoder = new TextEncoder();
const FIXTURE_DIR = new URL('../formats/ollama/__fixtures__/', import.meta.url);
const FIXTURES = [
  'ollama-text.ndjson', 'ollama-tool-call.ndjson', 'ollama-thinking-tool-call.ndjson', 'ollama-thinking-crlf.ndjson',
  'ollama-length.ndjson', 'ollama-error-mid-stream.ndjson',
];

const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));

function parseChunks(chunks: Uint8Array[]): string[] {
  const parser = createNdjsonParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

const parseStrings = (chunks: string[]): string[] => parseChunks(chunks.map((c) => encoder.encode(c)));

/** Offsets between a `\r` and its `\n`. */
function cutsInsideCrlf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < bytes.length; i++) if (bytes[i] === 0x0a && bytes[i - 1] === 0x0d) out.push(i);
  return out;
}

describe('createNdjsonParser: line handling', () => {
  const cases: Array<{ name: string; chunks: string[]; expected: string[] }> = [
    { name: 'LF endings', chunks: ['{"a":1}\n{"b":2}\n'], expected: ['{"a":1}', '{"b":2}'] },
    { name: 'CRLF endings', chunks: ['{"a":1}\r\n{"b":2}\r\n'], expected: ['{"a":1}', '{"b":2}'] },
    { name: 'CR endings', chunks: ['{"a":1}\r{"b":2}\r'], expected: ['{"a":1}', '{"b":2}'] },
    { name: 'mixed endings', chunks: ['1\r\n2\n3\r4\n'], expected: ['1', '2', '3', '4'] },
    { name: 'CRLF split across chunks is one line end', chunks: ['1\r', '\n2\r', '\n'], expected: ['1', '2'] },
    { name: 'CR at the end of a chunk, then a new line', chunks: ['1\r', '2\n'], expected: ['1', '2'] },
    { name: 'blank and whitespace-only lines are skipped', chunks: ['\n\n1\n \t\n\r\n2\n\n'], expected: ['1', '2'] },
    { name: 'line split mid-token', chunks: ['{"mes', 'sage":"hi"', '}\n'], expected: ['{"message":"hi"}'] },
    { name: 'last line without a line ending', chunks: ['1\n2'], expected: ['1', '2'] },
    { name: 'escaped line breaks inside a JSON string stay in the line', chunks: ['{"t":"a\\nb\\r\\n"}\n'], expected: ['{"t":"a\\nb\\r\\n"}'] },
    { name: 'leading BOM is dropped', chunks: ['\uFEFF{"a":1}\n'], expected: ['{"a":1}'] },
    { name: 'many lines in one chunk', chunks: [Array.from({ length: 50 }, (_, i) => `${i}\n`).join('')], expected: Array.from({ length: 50 }, (_, i) => `${i}`) },
    { name: 'empty input', chunks: [], expected: [] },
  ];

  it.each(cases)('$name', ({ chunks, expected }) => {
    expect(parseStrings(chunks)).toEqual(expected);
  });

  it('returns each line from the push that completes it, not before', () => {
    const parser = createNdjsonParser();
    expect(parser.push(encoder.encode('{"a"'))).toEqual([]);
    expect(parser.push(encoder.encode(':1}\n{"b":2'))).toEqual(['{"a":1}']);
    expect(parser.push(encoder.encode('}\r'))).toEqual(['{"b":2}']);
    expect(parser.push(encoder.encode('\n'))).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it('keeps a multi-byte character cut between chunks intact', () => {
    const bytes = encoder.encode('{"t":"café 中文 🚀"}\n');
    const rocketStart = bytes.length - 7; // 🚀 (4 bytes), then `"}` and `\n`
    expect(parseChunks(splitAt(bytes, [rocketStart + 1, rocketStart + 2, rocketStart + 3, 9]))).toEqual(['{"t":"café 中文 🚀"}']);
  });

  it('refuses a line longer than the limit instead of buffering forever', () => {
    const parser = createNdjsonParser({ maxLineLength: 16 });
    expect(parser.push(encoder.encode('{"a":"0123456789"}\n'))).toEqual(['{"a":"0123456789"}']);
    expect(parser.push(encoder.encode('{"a":"0123'))).toEqual([]);
    let error: unknown;
    try {
      parser.push(encoder.encode('456789"'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_error' });
  });
});

describe('recorded Ollama fixtures', () => {
  it.each(FIXTURES)('%s: every line is one JSON object, as written', (name) => {
    const bytes = readFixture(name);
    const lines = parseChunks([bytes]);
    const raw = new TextDecoder().decode(bytes).split(/\r?\n/).filter((l) => l !== '');
    expect(lines).toEqual(raw);
    for (const line of lines) expect(typeof JSON.parse(line)).toBe('object');
  });

  it('the fixtures hold the hard cases: multi-byte characters and CRLF', () => {
    expect(cutsInsideCharacters(readFixture('ollama-text.ndjson')).length).toBeGreaterThanOrEqual(8);
    const crlf = readFixture('ollama-thinking-crlf.ndjson');
    expect(cutsInsideCrlf(crlf)).toHaveLength(parseChunks([crlf]).length);
  });
});

describe('split replay fuzz', () => {
  const synthetic = encoder.encode('{"a":"é🚀"}\r\n\r\n{"b":"中"}\r{"c":1}\n\n{"d":"x"}\r\n{"tail":true}');
  const sources = [...FIXTURES.map((name) => ({ name, bytes: readFixture(name) })), { name: 'synthetic mixed', bytes: synthetic }];

  it.each(sources)('$name decodes identically however the bytes are split', ({ name, bytes }) => {
    const expected = parseChunks([bytes]);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const hard = [...cutsInsideCharacters(bytes), ...cutsInsideCrlf(bytes)];
    const random = createSeededRandom(0x0114 + name.length);
    for (let iteration = 0; iteration < 150; iteration++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        hard.length > 0 && random() < 0.3 ? (hard[Math.floor(random() * hard.length)] ?? 0) : 1 + Math.floor(random() * (bytes.length - 1)));
      expect(parseChunks(splitAt(bytes, cuts)), `iteration ${iteration}, cuts ${cuts.join(',')}`).toEqual(expected);
    }
    // One byte at a time puts a cut at every hard position at once.
    expect(parseChunks(splitAt(bytes, Array.from(bytes.keys())))).toEqual(expected);
  });

  it('the synthetic source decodes as intended', () => {
    expect(parseChunks([synthetic])).toEqual(['{"a":"é🚀"}', '{"b":"中"}', '{"c":1}', '{"d":"x"}', '{"tail":true}']);
  });
});

describe('decodeNdjsonStream', () => {
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

  it('frames an async iterable of byte chunks like the push parser, including a last line without its ending', async () => {
    const bytes = readFixture('ollama-thinking-crlf.ndjson');
    const pulls = { count: 0, finished: false };
    const lines = await collect(decodeNdjsonStream(chunksOf([...splitAt(bytes, [3, 100, 101, 250, 700]), encoder.encode('{"x":1}')], pulls)));
    expect(lines).toEqual([...parseChunks([bytes]), '{"x":1}']);
    expect(pulls).toEqual({ count: 7, finished: true });
  });

  it('pulls upstream bytes only as lines are consumed, and stopping early closes the source', async () => {
    const parts = ['1\n', '2\n', '3\n'].map((s) => encoder.encode(s));
    const pulls = { count: 0, finished: false };
    const stream = decodeNdjsonStream(chunksOf(parts, pulls));
    expect(await stream.next()).toEqual({ done: false, value: '1' });
    expect(pulls.count).toBe(1);
    await stream.return(undefined);
    expect(pulls).toEqual({ count: 1, finished: true });
  });
});
