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
import { decodeCohereChatStream } from './chat-stream.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
const fixtureText = (name: string): string => new TextDecoder().decode(readFixture(name));

const TEXT = 'cohere-text.chunks.txt';
const TOOL = 'cohere-tool-call.chunks.txt';
const REASONING = 'cohere-reasoning.chunks.txt';
// Same frames with `\r\n` line endings: a framing variant the SSE parser must accept (PROTOCOLS §0.1).
const EMPTY_TOOL_CRLF = 'cohere-empty-tool-call-crlf.chunks.txt';
const MAX_TOKENS = 'cohere-max-tokens.chunks.txt';
const FIXTURES = [TEXT, TOOL, REASONING, EMPTY_TOOL_CRLF, MAX_TOKENS];

const OPTIONS = { model: 'command-a-03-2025', now: () => 1_770_000_000 };
const decodeBytes = (chunks: Uint8Array[]): Promise<StreamEvent[]> => collect(decodeCohereChatStream(fromItems(chunks), OPTIONS));
const decodeFixture = (name: string): Promise<StreamEvent[]> => decodeBytes([readFixture(name)]);
const decodeText = (text: string): Promise<StreamEvent[]> => collect(decodeCohereChatStream(fromStrings([text]), OPTIONS));

type ToolDelta = Extract<StreamEvent, { type: 'tool-call-delta' }>;
const toolDeltas = (events: StreamEvent[]): ToolDelta[] => events.filter((e): e is ToolDelta => e.type === 'tool-call-delta');
const textOf = (events: StreamEvent[], type: 'text-delta' | 'reasoning-delta'): string =>
  events.map((e) => (e.type === type ? e.text : '')).join('');

/** One SSE frame as Cohere writes it. */
const frame = (data: Record<string, unknown>): string => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
const START = frame({ id: 'msg-1', type: 'message-start', delta: { message: { role: 'assistant' } } });
const END = frame({ type: 'message-end', delta: { finish_reason: 'COMPLETE', usage: { tokens: { input_tokens: 3, output_tokens: 2 } } } });

describe('decodeCohereChatStream: recorded fixtures', () => {
  it('decodes text: start with the upstream id and the requested model, deltas with multi-byte characters, finish, usage', async () => {
    const events = await decodeFixture(TEXT);
    expect(events[0]).toEqual({ type: 'start', id: '321d178c-2c12-44d3-ae42-2f5510f6b1cc', model: 'command-a-03-2025', created: 1_770_000_000 });
    expect(textOf(events, 'text-delta')).toBe('The capital of France is Paris — café, 中文 and 🚀.');
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(13);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop', rawReason: 'COMPLETE' },
      {
        type: 'usage',
        usage: {
          inputTokens: 507, outputTokens: 16, cacheReadTokens: 448,
          extra: { billed_units: { input_tokens: 12, output_tokens: 13 } },
        },
      },
    ]);
  });

  it('decodes two tool calls: ordinal index, id and name on the first delta only, the plan as reasoning', async () => {
    const events = await decodeFixture(TOOL);
    const calls = toolDeltas(events);
    expect(calls[0]).toEqual({ type: 'tool-call-delta', choice: 0, index: 0, id: 'weather_e8p4pn45zt0t', name: 'weather', arguments: '' });
    const firsts = calls.filter((c) => c.id !== undefined);
    expect(firsts.map((c) => [c.index, c.name])).toEqual([[0, 'weather'], [1, 'cityAttractions']]);
    for (const call of calls.filter((c) => !firsts.includes(c))) {
      expect(Object.keys(call).sort()).toEqual(['arguments', 'choice', 'index', 'type']);
    }
    const args = [0, 1].map((i) => calls.filter((c) => c.index === i).map((c) => c.arguments).join(''));
    expect(args.map((a) => JSON.parse(a) as unknown)).toEqual([{ location: 'San Francisco' }, { city: 'San Francisco' }]);
    expect(textOf(events, 'reasoning-delta')).toMatch(/^I will use the weather tool .* attractions in San Francisco\.$/);
    expect(events.some((e) => e.type === 'text-delta')).toBe(false);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'tool_calls', rawReason: 'TOOL_CALL' },
      expect.objectContaining({ type: 'usage', usage: expect.objectContaining({ inputTokens: 1549, outputTokens: 95, cacheReadTokens: 1504 }) }),
    ]);
  });

  it('decodes thinking content as reasoning, before the text', async () => {
    const events = await decodeFixture(REASONING);
    expect(textOf(events, 'reasoning-delta')).toMatch(/^The user is asking for the sum of 2 and 2\..*directly\.$/);
    expect(textOf(events, 'text-delta')).toBe('The answer to 2 + 2 is 4.');
    const lastReasoning = events.map((e) => e.type).lastIndexOf('reasoning-delta');
    expect(lastReasoning).toBeLessThan(events.findIndex((e) => e.type === 'text-delta'));
  });

  it('gives a tool call without argument deltas `{}` as arguments (CRLF framing)', async () => {
    const calls = toolDeltas(await decodeFixture(EMPTY_TOOL_CRLF));
    expect(calls).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'currentTime_y46ar19t5gvw', name: 'currentTime', arguments: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{}' },
    ]);
  });

  it('maps MAX_TOKENS to length', async () => {
    const events = await decodeFixture(MAX_TOKENS);
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', choice: 0, reason: 'length', rawReason: 'MAX_TOKENS' });
  });

  it.each(FIXTURES)('%s: exactly one start, one finish and one usage event, in that order at the ends', async (name) => {
    const types = (await decodeFixture(name)).map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.slice(-2)).toEqual(['finish', 'usage']);
    expect(types.filter((t) => t === 'start' || t === 'finish' || t === 'usage')).toHaveLength(3);
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

describe('decodeCohereChatStream: stream end and errors', () => {
  const text = fixtureText(TEXT);

  it('throws when the stream is cut before message-end', async () => {
    const cut = text.slice(0, text.indexOf('event: message-end'));
    const { items, error } = await collectUntilError(decodeCohereChatStream(fromStrings([cut]), OPTIONS));
    expect(items.filter((e) => e.type === 'text-delta')).toHaveLength(13);
    expect(items.some((e) => e.type === 'finish')).toBe(false);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('upstream_error');
  });

  it('throws when the stream is cut inside the message-end frame', async () => {
    const cut = text.slice(0, text.indexOf('"finish_reason"'));
    expect((await captureGatewayErrorAsync(decodeText(cut))).code).toBe('upstream_error');
  });

  it('throws on an empty body', async () => {
    expect((await captureGatewayErrorAsync(decodeText(''))).message).toMatch(/ended before/);
  });

  it('ignores a trailing [DONE] and anything after message-end', async () => {
    const events = await decodeText(`${START}${END}data: [DONE]\n\n${frame({ type: 'content-delta', delta: { message: { content: { text: 'late' } } } })}`);
    expect(events.map((e) => e.type)).toEqual(['start', 'finish', 'usage']);
  });

  it('throws the sanitised message of an error reported in message-end', async () => {
    const key = 'co-secret-key-0123456789abcdef';
    const failing = frame({ type: 'message-end', delta: { finish_reason: 'ERROR', error: `generation failed for key ${key}` } });
    const { items, error } = await collectUntilError(decodeCohereChatStream(fromStrings([START, failing]), { ...OPTIONS, sanitize: createRedactor([key]) }));
    expect(items.map((e) => e.type)).toEqual(['start']);
    expect((error as GatewayError).message).toBe('generation failed for key [redacted]');
  });

  it('maps ERROR / TIMEOUT without an error text to the flagged `error` finish', async () => {
    for (const raw of ['ERROR', 'TIMEOUT']) {
      const events = await decodeText(`${START}${frame({ type: 'message-end', delta: { finish_reason: raw } })}`);
      expect(events.at(-1)).toEqual({ type: 'finish', choice: 0, reason: 'error', rawReason: raw });
    }
  });

  it('throws on an `event: error` frame and on a frame that is not JSON', async () => {
    const error = await captureGatewayErrorAsync(decodeText(`${START}event: error\ndata: {"message":"internal server error"}\n\n`));
    expect(error.message).toBe('internal server error');
    expect((await captureGatewayErrorAsync(decodeText(`${START}event: content-delta\ndata: {oops\n\n`))).message).toMatch(/malformed/);
  });

  it('skips citation and unknown events, and starts with a generated id when message-start is missing', async () => {
    const events = await decodeText([
      frame({ type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hi' } } } }),
      frame({ type: 'citation-start', index: 0, delta: { message: { citations: { start: 0, end: 2, text: 'Hi', sources: [] } } } }),
      frame({ type: 'citation-end', index: 0 }),
      frame({ type: 'debug', prompt: '…' }),
      END,
    ].join(''));
    expect(events[0]).toMatchObject({ type: 'start', id: expect.stringMatching(/^chatcmpl-/) });
    expect(events.slice(1).map((e) => e.type)).toEqual(['text-delta', 'finish', 'usage']);
  });
});

describe('decodeCohereChatStream: tool-call arguments', () => {
  const callFrames = (index: number, fragments: string[]): string => [
    frame({ type: 'tool-call-start', index, delta: { message: { tool_calls: { id: `f_${index}`, type: 'function', function: { name: `f${index}`, arguments: '' } } } } }),
    ...fragments.map((f) => frame({ type: 'tool-call-delta', index, delta: { message: { tool_calls: { function: { arguments: f } } } } })),
    frame({ type: 'tool-call-end', index }),
  ].join('');
  const argsOf = (events: StreamEvent[], index: number): string =>
    toolDeltas(events).filter((c) => c.index === index).map((c) => c.arguments).join('');

  it("turns Cohere's `null` arguments (even in pieces) into `{}`", async () => {
    const events = await decodeText(`${START}${callFrames(0, ['nu', 'll'])}${callFrames(1, [' null '])}${END}`);
    expect(argsOf(events, 0)).toBe('{}');
    expect(argsOf(events, 1)).toBe('{}');
  });

  it('relays arguments that start like `null` but are not, once they diverge', async () => {
    const events = await decodeText(`${START}${callFrames(0, ['{"n', 'ame":"x"}'])}${END}`);
    expect(argsOf(events, 0)).toBe('{"name":"x"}');
  });

  it('numbers calls by order of appearance, whatever index Cohere gives them', async () => {
    const events = await decodeText(`${START}${frame({ type: 'content-start', index: 0 })}${callFrames(1, ['{}'])}${callFrames(2, ['{"a":1}'])}${END}`);
    expect(toolDeltas(events).filter((c) => c.id !== undefined).map((c) => [c.index, c.id])).toEqual([[0, 'f_1'], [1, 'f_2']]);
    expect(argsOf(events, 1)).toBe('{"a":1}');
  });

  it('passes initial arguments carried by tool-call-start after the header delta', async () => {
    const start = frame({ type: 'tool-call-start', index: 0, delta: { message: { tool_calls: { id: 'f_0', type: 'function', function: { name: 'f', arguments: '{"x":2}' } } } } });
    const events = await decodeText(`${START}${start}${frame({ type: 'tool-call-end', index: 0 })}${END}`);
    expect(toolDeltas(events)).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'f_0', name: 'f', arguments: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, arguments: '{"x":2}' },
    ]);
  });
});

describe('Cohere stream re-encoded for an OpenAI caller', () => {
  type Chunk = { choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>; usage?: unknown };
  const encode = async (name: string): Promise<Chunk[]> => {
    const frames = await collect(encodeOpenAIChatStream(decodeCohereChatStream(fromItems([readFixture(name)]), OPTIONS), { includeUsage: true, passthrough: false }));
    const body = frames.join('');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    return body.split('\n\n').filter((f) => f.startsWith('data: {')).map((f) => JSON.parse(f.slice(6)) as Chunk);
  };

  it('tool calls follow the OpenAI pattern and usage comes last, normalised', async () => {
    const chunks = await encode(TOOL);
    const deltas = chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls as Array<Record<string, unknown>> | undefined) ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: 'weather_e8p4pn45zt0t', type: 'function', function: { name: 'weather', arguments: '' } });
    expect(deltas[1]).toEqual({ index: 0, function: { arguments: '{"' } });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 1549, completion_tokens: 95, total_tokens: 1644, prompt_tokens_details: { cached_tokens: 1504 } },
    });
    expect(JSON.stringify(chunks)).not.toContain('billed_units');
  });

  it('thinking arrives as reasoning_content deltas', async () => {
    const chunks = await encode(REASONING);
    const reasoning = chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('');
    expect(reasoning).toMatch(/^The user is asking/);
  });
});
